// Whole charts rendered as `helm template` prints them: byte-for-byte
// fixtures, values layering, line mapping and problems with locations.

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "core/files.hpp"
#include "helm/chart.hpp"
#include "helm/render.hpp"
#include "helm/values.hpp"
#include "support/test_support.hpp"

namespace constable::helm {
namespace {

namespace fs = std::filesystem;

fs::path fixture(std::string_view name) { return testing::fixtures_dir() / "helm-render" / name; }

RenderResult render_fixture(std::string_view name, RenderOptions options = {}) {
  auto chart = load_chart(fixture(name), "charts/" + std::string(name) + "/");
  EXPECT_TRUE(chart.has_value()) << (chart ? "" : chart.error().to_string());
  if (!chart) return {};
  return render(*chart, options);
}

std::string problems_text(const RenderResult& r) {
  std::string out;
  for (const auto& p : r.problems) out += p.file + ":" + std::to_string(p.line) + ":" + std::to_string(p.column) + ": " + p.message + "\n";
  return out;
}

class FixtureChart : public ::testing::TestWithParam<std::string> {};

TEST_P(FixtureChart, RendersByteForByteLikeHelmTemplate) {
  const auto result = render_fixture(GetParam());
  EXPECT_TRUE(result.problems.empty()) << problems_text(result);
  EXPECT_EQ(helm_template_output(result), testing::read_file(fixture(GetParam() + ".expected.yaml")));
}

INSTANTIATE_TEST_SUITE_P(Charts, FixtureChart, ::testing::Values("web", "app-config", "platform"));

const Manifest* find(const RenderResult& r, std::string_view kind) {
  for (const auto& m : r.manifests)
    if (m.kind == kind) return &m;
  return nullptr;
}

TEST(ChartRender, ValuesFilesAndSetLayerAsHelmDoes) {
  RenderOptions options;
  options.base_dir = fixture("web");
  options.value_files = {"values-prod.yaml"};
  options.set_values = {"image.tag=1.0.0,service.port=8080"};
  options.set_string_values = {"config.LOG_LEVEL=5"};
  const auto r = render_fixture("web", options);
  ASSERT_TRUE(r.problems.empty()) << problems_text(r);
  EXPECT_EQ(find(r, "HorizontalPodAutoscaler"), nullptr);  // autoscaling.enabled: false
  const Manifest* deployment = find(r, "Deployment");
  ASSERT_NE(deployment, nullptr);
  EXPECT_NE(deployment->content.find("\n  replicas: 5\n"), std::string::npos);
  EXPECT_NE(deployment->content.find("image: \"nginx:1.0.0\""), std::string::npos);
  EXPECT_NE(deployment->content.find("containerPort: 8080\n"), std::string::npos);  // int64 from --set
  EXPECT_NE(deployment->content.find("      nodeSelector:\n        disktype: ssd"), std::string::npos);
  const Manifest* ingress = find(r, "Ingress");
  ASSERT_NE(ingress, nullptr);
  EXPECT_EQ(ingress->content.find("annotations:"), std::string::npos);  // null removed the default
  EXPECT_NE(ingress->content.find("  tls:\n    - hosts:\n        - \"web.example.com\"\n      secretName: web-tls\n"),
            std::string::npos);
  const Manifest* config = find(r, "ConfigMap");
  ASSERT_NE(config, nullptr);
  EXPECT_NE(config->content.find("LOG_LEVEL: \"5\""), std::string::npos);
}

TEST(ChartRender, EveryLineMapsToItsTemplateAndValue) {
  const auto r = render_fixture("web");
  const Manifest* deployment = find(r, "Deployment");
  ASSERT_NE(deployment, nullptr);
  const auto& content = deployment->content;
  ASSERT_EQ(static_cast<std::size_t>(std::count(content.begin(), content.end(), '\n')) + 1, deployment->lines.size());
  std::size_t line_index = 0;
  for (std::size_t pos = 0; pos < content.find("containerPort: 80"); ++pos)
    if (content[pos] == '\n') ++line_index;
  const LineOrigin& port = deployment->lines[line_index];
  EXPECT_EQ(port.template_file, "charts/web/templates/deployment.yaml");
  EXPECT_EQ(port.template_line, 30);
  EXPECT_EQ(port.template_column, 15);
  EXPECT_EQ(port.value_file, "charts/web/values.yaml");
  EXPECT_EQ(port.value_line, 10);
  // A line written by an action inside a helper maps to the include's call site.
  EXPECT_EQ(deployment->lines[0].template_line, 1);
  EXPECT_EQ(deployment->lines[5].template_file, "charts/web/templates/deployment.yaml");
  EXPECT_EQ(deployment->lines[5].template_line, 6);
  EXPECT_EQ(deployment->template_file, "charts/web/templates/deployment.yaml");
}

TEST(ChartRender, ProblemsCarryLocationsAndOtherTemplatesStillRender) {
  testing::TempDir dir;
  dir.write("Chart.yaml", "apiVersion: v2\nname: bad\nversion: 0.1.0\n");
  dir.write("values.yaml", "replicas: many\nname: x\n");
  dir.write("values.schema.json", R"({"type": "object", "required": ["image"],
    "properties": {"replicas": {"type": "integer"}, "name": {"type": "string", "enum": ["x", "y"]}}})");
  dir.write("templates/ok.yaml", "kind: ConfigMap\nname: {{ .Values.name }}\n");
  dir.write("templates/fail.yaml", "kind: A\n{{ required \"image is required\" .Values.image }}\n");
  dir.write("templates/unknown.yaml", "kind: B\n\n  {{ nope 1 }}\n");
  dir.write("templates/nil.yaml", "kind: C\n{{ .Values.a.b }}\n");
  dir.write("templates/badyaml.yaml", "kind: D\n  x: [\n");
  dir.write("charts/dep-1.0.0.tgz", "not really an archive");
  auto chart = load_chart(dir.path(), "deploy/bad/");
  ASSERT_TRUE(chart.has_value());
  const auto r = render(*chart, {});
  const std::string text = problems_text(r);
  EXPECT_NE(text.find("deploy/bad/templates/fail.yaml:2:4: execution error at (deploy/bad/templates/fail.yaml:2:4): image is required"),
            std::string::npos) << text;
  EXPECT_NE(text.find("deploy/bad/templates/unknown.yaml:3:6: parse error at (bad/templates/unknown.yaml:3): function \"nope\" not defined"),
            std::string::npos) << text;
  EXPECT_NE(text.find("deploy/bad/templates/nil.yaml:2:4: executing \"bad/templates/nil.yaml\" at <.Values.a.b>: nil pointer evaluating interface {}.b"),
            std::string::npos) << text;
  EXPECT_NE(text.find("deploy/bad/values.yaml:1:0: values don't meet the specifications of the schema(s) in the following chart(s):\nbad:\n- replicas: Invalid type. Expected: integer, given: string"),
            std::string::npos) << text;
  EXPECT_NE(text.find("- (root): image is required"), std::string::npos) << text;
  EXPECT_NE(text.find("deploy/bad/charts/dep-1.0.0.tgz:0:0: packaged subchart (.tgz) is not rendered"), std::string::npos) << text;
  EXPECT_NE(text.find("YAML parse error on bad/templates/badyaml.yaml"), std::string::npos) << text;
  const auto kinds = [&] {
    std::string k;
    for (const auto& m : r.manifests) k += m.kind + ";";
    return k;
  }();
  EXPECT_EQ(kinds, "ConfigMap;;");  // ok.yaml, and badyaml.yaml kept without a kind
  const auto unknown = std::find_if(r.problems.begin(), r.problems.end(), [](const Problem& p) { return p.kind == Problem::Kind::unknown_function; });
  EXPECT_NE(unknown, r.problems.end());
}

// What a caller already holds is not read again, but is heard of as a read:
// the content cache records a chart's dependencies from what it reads.
TEST(ChartLoad, AHeldTextIsTakenAsReadAndTheRestFromTheDisk) {
  struct Reads final : files::ReadObserver {
    std::map<std::string, std::string> seen;
    void observe(const fs::path& file, const files::Outcome<std::string>& outcome) override {
      seen[file.lexically_normal().generic_string()] = outcome ? *outcome : "<failed>";
    }
  } reads;
  testing::TempDir dir;
  dir.write("Chart.yaml", "apiVersion: v2\nname: web\nversion: 0.1.0\n");
  dir.write("templates/cm.yaml", "kind: ConfigMap # on disk\n");
  dir.write("templates/big.yaml", "kind: Secret # on disk\n");
  dir.write("charts/sub/Chart.yaml", "apiVersion: v2\nname: sub\nversion: 0.1.0\n");
  dir.write("charts/sub/templates/sa.yaml", "kind: ServiceAccount # on disk\n");
  const std::string too_large(files::kDefaultMaxSize + 1, 'x');
  std::vector<std::string> asked;
  const HeldFiles held = [&](std::string_view path) -> std::optional<HeldFile> {
    asked.emplace_back(path);
    if (path == "deploy/web/templates/cm.yaml") return HeldFile{"kind: ConfigMap # held\n"};
    if (path == "deploy/web/charts/sub/templates/sa.yaml") return HeldFile{"kind: ServiceAccount # held\n"};
    if (path == "deploy/web/templates/big.yaml") return HeldFile{too_large};  // read as before instead
    return std::nullopt;
  };
  const files::ObserveReads observing(reads, files::ObserveReads::On::this_thread);
  auto chart = load_chart(dir.path(), "deploy/web/", dir.path(), held);
  ASSERT_TRUE(chart.has_value()) << chart.error().to_string();
  ASSERT_EQ(chart->templates.size(), 2u);
  EXPECT_EQ(chart->templates[0].content, "kind: Secret # on disk\n");
  EXPECT_EQ(chart->templates[1].content, "kind: ConfigMap # held\n");
  ASSERT_EQ(chart->subcharts.size(), 1u);
  ASSERT_EQ(chart->subcharts[0].templates.size(), 1u);
  EXPECT_EQ(chart->subcharts[0].templates[0].content, "kind: ServiceAccount # held\n");
  EXPECT_EQ(chart->name, "web");
  EXPECT_NE(std::find(asked.begin(), asked.end(), "deploy/web/Chart.yaml"), asked.end());
  const std::string root = dir.path().lexically_normal().generic_string();
  EXPECT_EQ(reads.seen[root + "/templates/cm.yaml"], "kind: ConfigMap # held\n");
  EXPECT_EQ(reads.seen[root + "/charts/sub/templates/sa.yaml"], "kind: ServiceAccount # held\n");
  EXPECT_EQ(reads.seen[root + "/templates/big.yaml"], "kind: Secret # on disk\n");
  EXPECT_EQ(reads.seen[root + "/Chart.yaml"], "apiVersion: v2\nname: web\nversion: 0.1.0\n");
}

// A values.yaml the caller parsed already renders from that parse: the
// same manifests, and their lines still point at the values they came from.
// Text with a byte order mark is parsed again (the caller parsed it
// without one, so its first line's columns differ).
TEST(ChartLoad, AHeldValuesParseIsRenderedFrom) {
  testing::TempDir dir;
  const std::string values = "# Replicas\nreplicas: 3\n# Name\nname: web\n";
  dir.write("Chart.yaml", "apiVersion: v2\nname: web\nversion: 0.1.0\n");
  dir.write("values.yaml", values);
  dir.write("templates/cm.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Values.name }}\ndata:\n"
            "  replicas: \"{{ .Values.replicas }}\"\n");
  const yaml::Stream parsed = yaml::parse(values);
  const std::string with_bom = "\xEF\xBB\xBF" + values;
  std::string_view held_text = values;
  const HeldFiles held = [&](std::string_view path) -> std::optional<HeldFile> {
    if (path == "deploy/web/values.yaml") return HeldFile{held_text, &parsed};
    return std::nullopt;
  };
  auto from_disk = load_chart(dir.path(), "deploy/web/", dir.path());
  auto from_held = load_chart(dir.path(), "deploy/web/", dir.path(), held);
  ASSERT_TRUE(from_disk.has_value() && from_held.has_value());
  EXPECT_EQ(from_disk->values_yaml, nullptr);
  EXPECT_EQ(from_held->values_yaml, &parsed);
  const auto a = render(*from_disk, {});
  const auto b = render(*from_held, {});
  ASSERT_EQ(a.manifests.size(), 1u);
  ASSERT_EQ(b.manifests.size(), 1u);
  EXPECT_EQ(a.manifests[0].content, b.manifests[0].content);
  EXPECT_NE(b.manifests[0].content.find("replicas: \"3\""), std::string::npos) << b.manifests[0].content;
  ASSERT_EQ(a.manifests[0].lines.size(), b.manifests[0].lines.size());
  bool saw_value = false;
  for (std::size_t i = 0; i < a.manifests[0].lines.size(); ++i) {
    const LineOrigin& x = a.manifests[0].lines[i];
    const LineOrigin& y = b.manifests[0].lines[i];
    EXPECT_EQ(std::tie(x.template_file, x.template_line, x.value_file, x.value_line),
              std::tie(y.template_file, y.template_line, y.value_file, y.value_line))
        << "line " << i + 1;
    saw_value = saw_value || (y.value_file == "deploy/web/values.yaml" && y.value_line > 0);
  }
  EXPECT_TRUE(saw_value);

  dir.write("values.yaml", with_bom);
  held_text = with_bom;
  auto with_mark = load_chart(dir.path(), "deploy/web/", dir.path(), held);
  ASSERT_TRUE(with_mark.has_value());
  EXPECT_EQ(with_mark->values_yaml, nullptr);
}

// A chart's other files (.Files) are read when a template asks for them,
// and heard of as reads then: a README no template reads is no dependency
// of the render. One that cannot be read by then is the template's error.
TEST(ChartLoad, FilesAreReadWhenATemplateAsksForThem) {
  struct Reads final : files::ReadObserver {
    std::vector<std::string> seen;
    void observe(const fs::path& file, const files::Outcome<std::string>&) override {
      seen.push_back(file.filename().string());
    }
  } reads;
  testing::TempDir dir;
  dir.write("Chart.yaml", "apiVersion: v2\nname: web\nversion: 0.1.0\n");
  dir.write("README.md", "# web\n");
  dir.write("files/app.conf", "port = 80\n");
  dir.write("files/gone.conf", "soon gone\n");
  dir.write("templates/cm.yaml",
            "kind: ConfigMap\ndata:\n  conf: {{ .Files.Get \"files/app.conf\" | quote }}\n"
            "  names: {{ range $path, $_ := .Files.Glob \"files/*\" }}{{ $path }} {{ end }}\n");
  dir.write("templates/gone.yaml", "kind: Secret\n{{ .Files.Get \"files/gone.conf\" }}\n");
  const files::ObserveReads observing(reads, files::ObserveReads::On::this_thread);
  auto chart = load_chart(dir.path(), "deploy/web/", dir.path());
  ASSERT_TRUE(chart.has_value()) << chart.error().to_string();
  ASSERT_EQ(chart->files.size(), 3u);
  EXPECT_EQ(chart->files[0].name(), "README.md");
  EXPECT_EQ(std::count(reads.seen.begin(), reads.seen.end(), "app.conf"), 0);
  EXPECT_EQ(std::count(reads.seen.begin(), reads.seen.end(), "README.md"), 0);
  fs::remove(dir.path() / "files" / "gone.conf");
  const auto r = render(*chart, {});
  ASSERT_EQ(r.manifests.size(), 1u) << problems_text(r);
  EXPECT_NE(r.manifests[0].content.find("conf: \"port = 80\\n\""), std::string::npos) << r.manifests[0].content;
  EXPECT_NE(r.manifests[0].content.find("names: files/app.conf files/gone.conf"), std::string::npos)
      << r.manifests[0].content;
  EXPECT_EQ(std::count(reads.seen.begin(), reads.seen.end(), "app.conf"), 1);
  EXPECT_EQ(std::count(reads.seen.begin(), reads.seen.end(), "README.md"), 0);
  const std::string problems = problems_text(r);
  EXPECT_NE(problems.find("deploy/web/templates/gone.yaml"), std::string::npos) << problems;
  EXPECT_NE(problems.find("cannot read files/gone.conf"), std::string::npos) << problems;
}

TEST(ChartRender, MissingChartYamlFails) {
  testing::TempDir dir;
  const auto chart = load_chart(dir.path(), "x/");
  ASSERT_FALSE(chart.has_value());
  EXPECT_EQ(chart.error().path, "x/Chart.yaml");
}

TEST(ChartRender, SetSyntaxFollowsStrvals) {
  Dict values;
  ASSERT_TRUE(apply_set(values, "a.b=c,list={x,y},arr[1].k=v,esc=a\\,b,dot\\.key=1,n=0123,t=true,z=null", false, {}));
  const Value v = Value::of(values);
  EXPECT_EQ(format_v(v), "map[a:map[b:c] arr:[<nil> map[k:v]] dot.key:1 esc:a,b list:[x y] n:0123 t:true z:<nil>]");
  EXPECT_EQ(type_name((*values.find("dot.key")).second), "int64");
  EXPECT_FALSE(apply_set(values, "novalue", false, {}));
}

}  // namespace
}  // namespace constable::helm

namespace constable::helm {
namespace {

TEST(ChartRenderLimits, RunawayRecursionAndLoopsBecomeProblems) {
  testing::TempDir dir;
  dir.write("Chart.yaml", "apiVersion: v2\nname: loop\nversion: 0.1.0\n");
  dir.write("templates/_r.tpl", "{{ define \"r\" }}{{ include \"r\" . }}{{ end }}");
  dir.write("templates/recurse.yaml", "{{ include \"r\" . }}");
  dir.write("templates/spin.yaml", "{{ range until 100000 }}{{ range until 100000 }}{{ end }}{{ end }}");
  auto chart = load_chart(dir.path(), "");
  ASSERT_TRUE(chart.has_value());
  RenderOptions options;
  options.limits.max_steps = 2'000'000;
  const auto r = render(*chart, options);
  ASSERT_EQ(r.problems.size(), 2u);
  EXPECT_EQ(r.problems[0].kind, Problem::Kind::limit);
  EXPECT_NE(r.problems[0].message.find("exceeded maximum template depth (1000)"), std::string::npos) << r.problems[0].message;
  EXPECT_EQ(r.problems[1].kind, Problem::Kind::limit);
  EXPECT_NE(r.problems[1].message.find("step budget"), std::string::npos) << r.problems[1].message;
}

}  // namespace
}  // namespace constable::helm
