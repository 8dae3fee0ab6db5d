// helm/chart-tests: every application chart ships at least one `helm test`
// hook (a template annotated helm.sh/hook: test).

#include <fmt/format.h>
#include <re2/re2.h>

#include "checks/helm/helm_checks.hpp"
#include "checks/helm/helm_support.hpp"

namespace constable::checks::helm {

namespace {
namespace chart_tests_check {

constexpr engine::CheckInfo kInfo{
    .id = "helm/chart-tests",
    .domain = "helm",
    .nature = Nature::reliability,
    .summary = "Ship at least one helm test hook in every chart",
    .rationale = "`helm test` runs the chart's test hooks against a live release and is the cheapest proof "
                 "that an install or upgrade actually serves. Only rendered templates can be hooks, so the "
                 "check looks under templates/ (a chart-level tests/ folder is never rendered) for the "
                 "annotation `helm.sh/hook: test` (or Helm 2's test-success / test-failure), textually, since "
                 "templates are not YAML until rendered. Library charts are exempt.",
    .remediation = "Add e.g. templates/tests/test-connection.yaml: a Pod annotated `\"helm.sh/hook\": test` that "
                   "calls the service (wget/curl) and exits non-zero on failure.",
    .bad_example = "charts/web/templates/deployment.yaml\ncharts/web/templates/service.yaml\n",
    .good_example = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: \"{{ include \"web.fullname\" . }}-test\"\n"
                    "  annotations:\n    \"helm.sh/hook\": test\n",
    .parameters = "",
    .clause = {.section = "helm|chart", .text = R"(^[^\n]*(chart tests?|helm test)[^\n]*$)"},
    .file_kind = FileKind::other,
    .stack = "helm",
    .scope = engine::Scope::repository,
};

// The annotation key, quoted or not, then a hook list that names a test hook.
bool declares_test_hook(std::string_view text) {
  static const RE2 kTestHook(
      R"((?m)helm\.sh/hook['"]?\s*:\s*['"]?(?:[a-z-]+\s*,\s*)*test(?:-success|-failure)?(?:[^a-z-]|$))");
  return RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), kTestHook);
}

class ChartTestsCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  ReadAhead read_ahead(const workspace::Workspace&) const override {
    return {.texts = {FileKind::helm_template}, .yaml = {}};
  }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    for (const Chart& chart : find_charts(repo.workspace())) {
      const auto metadata = load_metadata(repo, chart);
      if (metadata && metadata->is_library()) continue;
      bool found = false;
      for (const auto& file : files_under(repo.workspace(), chart.dir + "templates/")) {
        const std::string* content = read_text(repo, file);
        found = content && declares_test_hook(*content);
        if (found) break;
      }
      if (found) continue;
      out.emit({.range = chart_anchor(metadata ? &metadata->yaml : nullptr),
                .message = fmt::format("chart '{}' has no template annotated \"helm.sh/hook\": test to run "
                                       "with helm test",
                                       chart.name()),
                .path_override = chart.chart_file->path});
    }
  }
};

}  // namespace chart_tests_check
}  // namespace

std::unique_ptr<engine::Check> make_chart_tests_check() {
  return engine::make_check<chart_tests_check::ChartTestsCheck>();
}

}  // namespace constable::checks::helm
