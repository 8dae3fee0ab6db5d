// Hostile templates end in a located problem, not a blown stack, a parse
// that grows with the square of the nesting, or a message of every frame.

#include <gtest/gtest.h>

#include <string>

#include "helm/chart.hpp"
#include "helm/render.hpp"
#include "helm/template/parser.hpp"
#include "support/test_support.hpp"

namespace constable::helm {
namespace {

std::string nested_parentheses(std::size_t depth) {
  return "{{ " + std::string(depth, '(') + "1" + std::string(depth, ')') + " }}\n";
}

std::string nested_ifs(int depth) {
  std::string text;
  for (int i = 0; i < depth; ++i) text += "{{ if true }}";
  text += "x";
  for (int i = 0; i < depth; ++i) text += "{{ end }}";
  return text + "\n";
}

// A chart with one hostile template and one ordinary ConfigMap.
RenderResult render_with(const testing::TempDir& dir, const std::string& hostile, const std::string& values = "") {
  dir.write("Chart.yaml", "apiVersion: v2\nname: limits\nversion: 0.1.0\n");
  dir.write("values.yaml", values);
  dir.write("templates/hostile.yaml", hostile);
  dir.write("templates/ok.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n");
  auto chart = load_chart(dir.path(), "");
  EXPECT_TRUE(chart.has_value());
  if (!chart) return {};
  return render(*chart, RenderOptions{});
}

bool renders_ok_configmap(const RenderResult& r) {
  for (const auto& m : r.manifests)
    if (m.kind == "ConfigMap") return true;
  return false;
}

TEST(TemplateLimits, NestingAtTheLimitParsesAndRuns) {
  testing::TempDir dir;
  const std::size_t depth = tmpl::kMaxNesting;
  const auto r = render_with(dir, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata:\n  v: \"{{ " +
                                      std::string(depth, '(') + "1" + std::string(depth, ')') + " }}\"\n");
  EXPECT_TRUE(r.problems.empty()) << r.problems.front().message;
  EXPECT_EQ(r.manifests.size(), 2u);
}

TEST(TemplateLimits, DeepParenthesesAreALocatedParseError) {
  testing::TempDir dir;
  const auto r = render_with(dir, nested_parentheses(20000));
  ASSERT_EQ(r.problems.size(), 1u);
  const auto& p = r.problems.front();
  EXPECT_EQ(p.kind, Problem::Kind::parse);
  EXPECT_NE(p.message.find("nesting deeper than 1000 levels"), std::string::npos) << p.message;
  EXPECT_EQ(p.file, "templates/hostile.yaml");
  EXPECT_EQ(p.line, 1);
  EXPECT_EQ(p.column, 4 + 1000);  // the 1001st '('
  EXPECT_TRUE(renders_ok_configmap(r));
}

TEST(TemplateLimits, DeepBlocksAreALocatedParseError) {
  testing::TempDir dir;
  const auto r = render_with(dir, nested_ifs(20000));
  ASSERT_EQ(r.problems.size(), 1u);
  const auto& p = r.problems.front();
  EXPECT_NE(p.message.find("nesting deeper than 1000 levels"), std::string::npos) << p.message;
  EXPECT_EQ(p.line, 1);
  EXPECT_EQ(p.column, 1000 * 13 + 4);  // the 1001st `if`
  EXPECT_TRUE(renders_ok_configmap(r));
}

TEST(TemplateLimits, RecursionInsideDeepNestingStopsAtTheExecutionLimit) {
  for (const std::string& body : {std::string(999, '(') + "include \"x\" ." + std::string(999, ')'),
                                  std::string("true }}") }) {
    testing::TempDir dir;
    std::string hostile;
    if (body.starts_with("(")) {
      hostile = "{{ define \"x\" }}{{ " + body + " }}{{ end }}{{ include \"x\" . }}\n";
    } else {
      hostile = "{{ define \"x\" }}";
      for (int i = 0; i < 999; ++i) hostile += "{{ if true }}";
      hostile += "{{ include \"x\" . }}";
      for (int i = 0; i < 999; ++i) hostile += "{{ end }}";
      hostile += "{{ end }}{{ include \"x\" . }}\n";
    }
    const auto r = render_with(dir, hostile);
    ASSERT_EQ(r.problems.size(), 1u);
    EXPECT_EQ(r.problems.front().kind, Problem::Kind::limit);
    EXPECT_NE(r.problems.front().message.find("nested deeper than 10000 levels"), std::string::npos)
        << r.problems.front().message;
    EXPECT_TRUE(renders_ok_configmap(r));
  }
}

TEST(TemplateLimits, TooManyTokensIsALocatedParseError) {
  testing::TempDir dir;
  std::string hostile = "{{ list";
  for (int i = 0; i < 600000; ++i) hostile += " 1";  // 1.2 million tokens
  const auto r = render_with(dir, hostile + " }}\n");
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_NE(r.problems.front().message.find("template too large: more than 1000000 tokens"), std::string::npos)
      << r.problems.front().message;
  EXPECT_EQ(r.problems.front().line, 1);
  EXPECT_TRUE(renders_ok_configmap(r));
}

TEST(TemplateLimits, TplSelfRecursionKeepsTheFirstAndLastFrames) {
  testing::TempDir dir;
  const auto r = render_with(dir, "{{ tpl .Values.x . }}\n", "x: '{{ tpl .Values.x . }}'\n");
  ASSERT_EQ(r.problems.size(), 1u);
  const std::string& message = r.problems.front().message;
  EXPECT_LT(message.size(), 2000u) << message.substr(0, 3000);
  EXPECT_EQ(message.find("error during tpl function execution"), message.rfind("error during tpl function execution",
                                                                                message.find("left out")))
      << "one frame before the count: " << message;
  EXPECT_NE(message.find("nested tpl calls left out"), std::string::npos) << message;
  EXPECT_NE(message.find("exceeded maximum template depth (1000)"), std::string::npos) << message;
  EXPECT_EQ(r.problems.front().file, "templates/hostile.yaml");
  EXPECT_EQ(r.problems.front().line, 1);
  EXPECT_TRUE(renders_ok_configmap(r));
}

TEST(TemplateLimits, ShortTplChainsAreShownWhole) {
  testing::TempDir dir;
  // Two tpl frames, then `fail`: nothing is left out.
  const auto r = render_with(dir, "{{ tpl .Values.a . }}\n", "a: '{{ tpl .Values.b . }}'\nb: '{{ fail \"boom\" }}'\n");
  ASSERT_EQ(r.problems.size(), 1u);
  const std::string& message = r.problems.front().message;
  EXPECT_EQ(message.find("left out"), std::string::npos) << message;
  EXPECT_NE(message.find("{{ tpl .Values.b . }}"), std::string::npos) << message;
  EXPECT_NE(message.find("{{ fail \\\"boom\\\" }}"), std::string::npos) << message;
  EXPECT_NE(message.find("boom"), std::string::npos) << message;
}

TEST(TemplateLimits, LongContextsAreCut) {
  testing::TempDir dir;
  const auto r = render_with(dir, "{{ index (list \"" + std::string(5000, 'a') + "\") 5 }}\n");
  ASSERT_EQ(r.problems.size(), 1u);
  const std::string& message = r.problems.front().message;
  EXPECT_LT(message.size(), 400u) << message;
  EXPECT_NE(message.find("index out of range"), std::string::npos) << message;
}

}  // namespace
}  // namespace constable::helm
