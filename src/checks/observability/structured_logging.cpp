// observability/structured-logging: "Structured logging MUST be used (JSON
// format)". Judged in logging configuration files, where a service states how
// its log lines look: Logback, Log4j 2 and Python dictConfig files whose
// every layout is a text pattern.

#include <fmt/format.h>
#include <re2/re2.h>

#include "checks/observability/observability_checks.hpp"
#include "core/text.hpp"
#include "formats/yaml/yaml.hpp"
#include "workspace/provenance.hpp"

namespace constable::checks::observability {

namespace {
namespace structured_logging_check {

constexpr engine::CheckInfo kInfo{
    .id = "observability/structured-logging",
    .domain = "observability",
    .nature = Nature::maintainability,
    .summary = "Log JSON, not text patterns",
    .rationale =
        "Log aggregation (ELK, Loki, a cloud provider's) can index, filter and correlate fields only when "
        "each line is a JSON object; a text pattern leaves every query to a regular expression that breaks "
        "when the pattern changes, and multi-line stack traces split into unrelated lines. The check reads "
        "logging configuration files: Logback (`logback.xml`, `logback-spring.xml`), Log4j 2 "
        "(`log4j2*.xml`, `.yaml`, `.json`, `.properties`) and Python dictConfig files (`logging.yaml`, "
        "`log_config.yaml`, ... with `version: 1` and `formatters`). A file that configures a JSON layout "
        "anywhere (Logstash or Logback's JsonEncoder, ECS encoders, Log4j's JsonTemplateLayout, JsonLayout or "
        "EcsLayout, python-json-logger, structlog) is not judged, whatever else it holds, so a development "
        "profile may keep a readable pattern; otherwise each text pattern is reported. Test, development "
        "and local configuration files (a name with test, dev or local, or a file of a test tree such as "
        "src/test/ or a system-test module) are not judged.",
    .remediation = "Use a JSON layout: Logback's `ch.qos.logback.classic.encoder.JsonEncoder` or "
                   "`net.logstash.logback.encoder.LogstashEncoder`, Log4j 2's `JsonTemplateLayout` "
                   "(`EcsLayout.json`), python-json-logger's `JsonFormatter` in dictConfig.",
    .bad_example = "<configuration>\n  <appender name=\"STDOUT\" class=\"ch.qos.logback.core.ConsoleAppender\">\n"
                   "    <encoder>\n      <pattern>%d %-5level %logger - %msg%n</pattern>\n    </encoder>\n"
                   "  </appender>\n</configuration>\n",
    .good_example = "<configuration>\n  <appender name=\"STDOUT\" class=\"ch.qos.logback.core.ConsoleAppender\">\n"
                    "    <encoder class=\"net.logstash.logback.encoder.LogstashEncoder\"/>\n  </appender>\n"
                    "</configuration>\n",
    .parameters = "",
    .clause = {.section = "logging|observability", .text = R"(structured logging|json)"},
    .file_kind = FileKind::other,
    .stack = "",  // only logging configuration files are judged
    .scope = engine::Scope::every_text_file,
};

enum class Flavour { none, logback, log4j2, python };

Flavour flavour_of(std::string_view path) {
  // A test harness's logs (src/test/resources, a system-test module) are read by its developers, not aggregated.
  static const RE2 kTestTree(R"((^|/)(src/test|src/it|test|tests|systemtest|system-test|e2e|integration-tests?)/)");
  if (workspace::is_test_source(path) || workspace::is_test_artifact(path) || RE2::PartialMatch(path, kTestTree))
    return Flavour::none;
  const std::string name = text::to_lower(text::basename(path));
  static const RE2 kSetAside(R"((^|[-_.])(test|tests|dev|develop|development|local)([-_.]|$))");
  if (RE2::PartialMatch(name, kSetAside)) return Flavour::none;
  if (name.starts_with("logback") && name.ends_with(".xml")) return Flavour::logback;
  if (name.starts_with("log4j2") &&
      (name.ends_with(".xml") || name.ends_with(".yaml") || name.ends_with(".yml") || name.ends_with(".json") ||
       name.ends_with(".properties")))
    return Flavour::log4j2;
  static const RE2 kPython(R"(^(logging|log_config|log-config|logging_config|logging-config)\.(ya?ml)$)");
  if (RE2::FullMatch(name, kPython)) return Flavour::python;
  return Flavour::none;
}

bool configures_json(std::string_view content) {
  static const RE2 kJson(
      R"((?i)(logstash|JsonEncoder|JsonLayout|JsonTemplateLayout|EcsLayout|EcsEncoder|co\.elastic\.logging|GelfLayout|pythonjsonlogger|jsonlogger|JsonFormatter|structlog|ecs_logging))");
  return RE2::PartialMatch(content, kJson);
}

class StructuredLoggingCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }
  bool judges_path(std::string_view path) const override { return flavour_of(path) != Flavour::none; }

  void check(const engine::FileContext& file, engine::Emitter& out) const override {
    const Flavour flavour = flavour_of(file.file().path);
    if (flavour == Flavour::none || configures_json(file.text())) return;
    if (flavour == Flavour::python) {
      check_dict_config(file, out);
      return;
    }
    static const RE2 kLogbackPattern(R"(<pattern>)");
    static const RE2 kLog4jPattern(R"((<PatternLayout\b|^\s*PatternLayout\s*:|"PatternLayout"\s*:|type\s*=\s*PatternLayout\b))");
    const RE2& pattern = flavour == Flavour::logback ? kLogbackPattern : kLog4jPattern;
    const auto& lines = file.lines();
    for (std::size_t i = 0; i < lines.size(); ++i) {
      if (!RE2::PartialMatch(lines[i], pattern)) continue;
      const auto at = lines[i].find(flavour == Flavour::logback ? "<pattern>" : "PatternLayout");
      const int column = at == std::string_view::npos ? 1 : static_cast<int>(at) + 1;
      const int line = static_cast<int>(i) + 1;
      out.report({line, column, line, column + (flavour == Flavour::logback ? 9 : 13)},
                 fmt::format("{} writes log lines with a text pattern and the file configures no JSON layout: "
                             "aggregated logs cannot be queried by field",
                             flavour == Flavour::logback ? "this Logback encoder" : "this Log4j 2 PatternLayout"),
                 fmt::format("pattern {}", i + 1));
    }
  }

 private:
  // A dictConfig whose formatters are all `format:` strings.
  static void check_dict_config(const engine::FileContext& file, engine::Emitter& out) {
    for (const yaml::Document& document : file.yaml().documents) {
      const yaml::Node* root = document.root;
      if (root == nullptr || !root->is_mapping() || root->get("version") == nullptr) continue;
      const yaml::Node* formatters = root->get("formatters");
      if (formatters == nullptr || !formatters->is_mapping()) continue;
      for (const yaml::Entry& entry : formatters->entries) {
        if (entry.value == nullptr || !entry.value->is_mapping()) continue;
        // A formatter class or factory of its own (`()`, `class`) is not judged: it may write JSON.
        if (entry.value->get("()") != nullptr || entry.value->get("class") != nullptr) continue;
        const yaml::Entry* format = entry.value->find("format");
        if (format == nullptr) continue;
        out.report({format->key->start.line, format->key->start.column, format->key->end.line,
                    format->key->end.column},
                   fmt::format("formatter '{}' writes log lines with a text format and no formatter writes JSON: "
                               "aggregated logs cannot be queried by field",
                               entry.key->str()),
                   fmt::format("formatter {}", entry.key->str()));
      }
    }
  }
};

}  // namespace structured_logging_check
}  // namespace

std::unique_ptr<engine::Check> make_structured_logging_check() {
  return engine::make_check<structured_logging_check::StructuredLoggingCheck>();
}

}  // namespace constable::checks::observability
