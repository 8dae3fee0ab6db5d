// observability/log-level-per-environment: "Log levels MUST be configurable
// per environment". Two shapes a file shows: a Helm chart whose templates
// write the level as a literal (no values file can set it for an
// environment), and a production configuration file that sets DEBUG or
// TRACE (the level was not set for production, it was carried there).

#include <fmt/format.h>
#include <re2/re2.h>

#include <optional>
#include <vector>

#include "checks/observability/observability_checks.hpp"
#include "core/text.hpp"
#include "formats/yaml/yaml.hpp"
#include "kube/production.hpp"

namespace constable::checks::observability {

namespace {
namespace log_level_per_environment_check {

constexpr engine::CheckInfo kInfo{
    .id = "observability/log-level-per-environment",
    .domain = "observability",
    .nature = Nature::maintainability,
    .summary = "Set the log level per environment: not a literal in a chart, not DEBUG in production",
    .rationale =
        "Development wants DEBUG, production wants INFO or WARN: DEBUG in production floods log aggregation, "
        "costs money and may write payloads and personal data to logs, while a level fixed in a chart's "
        "templates can only be changed by editing the chart. The check reads two places. A Helm chart's "
        "templates that set a log level environment variable (`LOG_LEVEL`, `*_LOG_LEVEL`, `LOGLEVEL`, "
        "`LOGGING_LEVEL_ROOT`) to a literal, as a container `env` entry or a ConfigMap key, instead of a "
        "value (`{{ .Values.logLevel }}`). And production configuration files (`values-prod.yaml`, a "
        "production overlay or path by the production rules, `.env.production`, `application-prod.yml` or "
        "`.properties`, `appsettings.Production.json`, `config/production.*`) that set a log level (a "
        "`logLevel`/`log_level`/`LOG_LEVEL` key or variable, `log.level`, `logging.level.root`, .NET's "
        "`Logging.LogLevel.Default`) to DEBUG, TRACE, VERBOSE or ALL. Levels of single named loggers (Spring's "
        "`logging.level.org.hibernate.SQL`) are not judged.",
    .remediation = "Write the level from a value (`value: {{ .Values.logLevel | quote }}`) with a sensible "
                   "default in values.yaml and an override per environment (values-dev.yaml: debug, "
                   "values-prod.yaml: info), and set production to INFO or WARN.",
    .bad_example = "env:\n  - name: LOG_LEVEL\n    value: debug\n",
    .good_example = "env:\n  - name: LOG_LEVEL\n    value: {{ .Values.logLevel | quote }}\n",
    .parameters = "",
    .clause = {.section = "logging|observability", .text = R"(log levels?\b.*\benvironment)"},
    .file_kind = FileKind::other,
    .stack = "",  // only chart templates and production configuration are judged
    .scope = engine::Scope::every_text_file,
};

enum class Place { none, chart_template, production };

bool is_chart_template(std::string_view path) {
  return path.find("templates/") != std::string_view::npos &&
         (path.ends_with(".yaml") || path.ends_with(".yml") || path.ends_with(".tpl"));
}

// Why the file configures production, or nullopt.
std::optional<std::string> production_file(std::string_view path, const engine::Config& config) {
  const std::string name = text::to_lower(text::basename(path));
  static const RE2 kNamed(
      R"(^(\.env\.(prod|production)(\.local)?|application-(prod|production)\.(ya?ml|properties)|appsettings\.production\.json)$)");
  if (RE2::FullMatch(name, kNamed)) return fmt::format("{} configures production", text::basename(path));
  static const RE2 kConfigDir(R"((^|/)(config|settings)/(prod|production)\.(ya?ml|json|toml|py|env|properties)$)");
  if (RE2::PartialMatch(text::to_lower(path), kConfigDir)) return fmt::format("{} configures production", path);
  const kube::ProductionRules rules(config.production);
  return rules.for_path(path);
}

bool is_verbose(std::string_view value) {
  const std::string v = text::to_lower(text::trim(value));
  return v == "debug" || v == "trace" || v == "verbose" || v == "all" || v == "finest" || v == "silly";
}

// A log level's key, normalised: lower-case without '_', '-' and '.'.
std::string normalised(std::string_view key) {
  std::string out;
  for (char c : key)
    if (c != '_' && c != '-' && c != '.') out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return out;
}

bool is_level_variable(std::string_view name) {
  static const RE2 kVariable(R"((?i)^([A-Z0-9_]*_)?LOG_?LEVEL$|^LOGGING_LEVEL_ROOT$)");
  return RE2::FullMatch(name, kVariable);
}

struct Setting {
  int line = 0;
  int column = 0;
  int end_column = 0;
  std::string name;
  std::string value;
};

// Key/value log level settings of a YAML or JSON document, walked without recursion.
void yaml_settings(const yaml::Node* root, std::vector<Setting>& out) {
  struct Frame {
    const yaml::Node* node;
    std::string parent;  // the normalised key this node is the value of
    int depth;
  };
  std::vector<Frame> stack;
  if (root != nullptr) stack.push_back({root, "", 0});
  const auto add = [&](const yaml::Entry& entry, std::string name) {
    const yaml::Node* value = entry.value;
    if (value == nullptr || !value->is_scalar() || !is_verbose(value->str())) return;
    out.push_back({value->start.line, value->start.column,
                   value->end.line == value->start.line ? value->end.column : value->start.column + 1,
                   std::move(name), std::string(value->str())});
  };
  while (!stack.empty()) {
    const Frame frame = stack.back();
    stack.pop_back();
    if (frame.depth > 64) continue;
    const yaml::Node* node = frame.node;
    if (node->is_sequence()) {
      for (const yaml::Node* item : node->items)
        if (item != nullptr && !item->is_scalar()) stack.push_back({item, frame.parent, frame.depth + 1});
      continue;
    }
    if (!node->is_mapping()) continue;
    // A container env entry: {name: LOG_LEVEL, value: debug}.
    if (const yaml::Node* name = node->get("name"); name != nullptr && name->is_scalar() && is_level_variable(name->str()))
      if (const yaml::Entry* value = node->find("value"); value != nullptr) add(*value, std::string(name->str()));
    for (const yaml::Entry& entry : node->entries) {
      if (entry.key == nullptr) continue;
      const std::string key = normalised(entry.key->str());
      if (entry.value != nullptr && !entry.value->is_scalar()) {
        stack.push_back({entry.value, key, frame.depth + 1});
        continue;
      }
      const bool level_key = key == "loglevel" || key == "logginglevel" || key == "logginglevelroot" ||
                             key == "loglevelroot" || key == "logleveldefault" ||
                             ((frame.parent == "log" || frame.parent == "logging" || frame.parent == "logger") &&
                              key == "level") ||
                             ((frame.parent == "logginglevel" || frame.parent == "level") && key == "root") ||
                             (frame.parent == "loglevel" && key == "default") ||
                             is_level_variable(entry.key->str());
      if (level_key) add(entry, std::string(entry.key->str()));
    }
  }
}

// `LOG_LEVEL=debug`, `export LOG_LEVEL="debug"`, `logging.level.root=DEBUG`, `LOG_LEVEL = "DEBUG"`.
void line_settings(const std::vector<std::string_view>& lines, std::vector<Setting>& out) {
  static const RE2 kSetting(
      R"re(^\s*(?:export\s+)?([A-Za-z0-9_]*LOG_?LEVEL|logging\.level\.root|log\.level|logLevel)\s*[=:]\s*["']?([A-Za-z]+)["']?\s*(?:#.*)?$)re");
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string name, value;
    if (!RE2::FullMatch(lines[i], kSetting, &name, &value) || !is_verbose(value)) continue;
    const auto at = lines[i].rfind(value);
    const int column = static_cast<int>(at) + 1;
    out.push_back({static_cast<int>(i) + 1, column, column + static_cast<int>(value.size()), name, value});
  }
}

// A chart template's literal level: `- name: LOG_LEVEL` then `value: info`, or `LOG_LEVEL: "info"`.
void template_literals(const std::vector<std::string_view>& lines, std::vector<Setting>& out) {
  static const RE2 kEnvName(R"re(^\s*-?\s*name\s*:\s*["']?([A-Za-z0-9_]+)["']?\s*$)re");
  static const RE2 kEnvValue(R"re(^\s*value\s*:\s*["']?([A-Za-z]+)["']?\s*$)re");
  static const RE2 kKey(R"re(^\s*["']?([A-Za-z0-9_]+)["']?\s*:\s*["']?([A-Za-z]+)["']?\s*$)re");
  static const RE2 kLevel(R"((?i)^(trace|debug|info|information|warn|warning|error|fatal|critical|verbose|all|off)$)");
  static const RE2 kAction(R"(\{\{-?\s*(if|with|range|define|block|else|end)\b)");
  struct Block {
    std::size_t line;
    bool in_else;
  };
  std::vector<Block> blocks;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string_view line = lines[i];
    // Template actions: track the blocks a literal is in. A literal in an `else` branch is the fallback of a
    // value (`{{- if .Values.config }}...{{- else }}`), and one just under an `if` is chosen by a value
    // (`{{- if .Values.debug }}`): both are configured.
    if (line.find("{{") != std::string_view::npos) {
      re2::StringPiece rest(line.data(), line.size());
      std::string action;
      while (RE2::FindAndConsume(&rest, kAction, &action)) {
        if (action == "if" || action == "with" || action == "range" || action == "define" || action == "block") {
          blocks.push_back({i, false});
        } else if (action == "else" && !blocks.empty()) {
          blocks.back() = {i, true};
        } else if (action == "end" && !blocks.empty()) {
          blocks.pop_back();
        }
      }
      continue;
    }
    bool configured = false;
    for (const Block& block : blocks)
      if (block.in_else) configured = true;
    if (!blocks.empty() && i - blocks.back().line <= 3) configured = true;
    if (configured) continue;
    if (line.find("EVEL") == std::string_view::npos && line.find("evel") == std::string_view::npos) continue;
    std::string name, value;
    if (RE2::FullMatch(line, kEnvName, &name) && is_level_variable(name)) {
      std::size_t next = i + 1;  // the entry's value, past comment lines
      while (next < lines.size() && text::trim(lines[next]).starts_with('#')) ++next;
      if (next < lines.size() && RE2::FullMatch(lines[next], kEnvValue, &value) && RE2::FullMatch(value, kLevel)) {
        const auto at = lines[next].rfind(value);
        const int column = static_cast<int>(at) + 1;
        out.push_back({static_cast<int>(next) + 1, column, column + static_cast<int>(value.size()), name, value});
      }
      continue;
    }
    if (RE2::FullMatch(line, kKey, &name, &value) && is_level_variable(name) && RE2::FullMatch(value, kLevel)) {
      const auto at = line.rfind(value);
      const int column = static_cast<int>(at) + 1;
      out.push_back({static_cast<int>(i) + 1, column, column + static_cast<int>(value.size()), name, value});
    }
  }
}

class LogLevelPerEnvironmentCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  bool judges_path(std::string_view path) const override {
    return is_chart_template(path) || text::icontains(text::basename(path), "prod") ||
           text::icontains(path, "prod");
  }

  void check(const engine::FileContext& file, engine::Emitter& out) const override {
    const std::string& path = file.file().path;
    const bool chart_template = file.file().kind == FileKind::helm_template || is_chart_template(path);
    if (!chart_template && !text::icontains(path, "prod")) return;
    const std::string_view content = file.text();
    if (!text::contains(content, "evel") && !text::contains(content, "EVEL")) return;
    std::vector<Setting> found;
    if (file.file().kind == FileKind::helm_template || (chart_template && text::contains(content, "{{"))) {
      template_literals(file.lines(), found);
      for (const Setting& setting : found)
        out.report({setting.line, setting.column, setting.line, setting.end_column},
                   fmt::format("the chart's template sets {} to the literal '{}': no values file can set the log "
                               "level for an environment",
                               setting.name, setting.value),
                   "literal " + setting.name);
      return;
    }
    if (!text::icontains(path, "prod")) return;
    const auto reason = production_file(path, file.config());
    if (!reason) return;
    if (file.file().kind == FileKind::yaml || file.file().kind == FileKind::json) {
      for (const yaml::Document& document : file.yaml().documents) yaml_settings(document.root, found);
    } else {
      line_settings(file.lines(), found);
    }
    for (const Setting& setting : found)
      out.report({setting.line, setting.column, setting.line, setting.end_column},
                 fmt::format("{} is set to {} in production ({}): the log level is not set for the environment",
                             setting.name, setting.value, *reason),
                 "production " + setting.name);
  }
};

}  // namespace log_level_per_environment_check
}  // namespace

std::unique_ptr<engine::Check> make_log_level_per_environment_check() {
  return engine::make_check<log_level_per_environment_check::LogLevelPerEnvironmentCheck>();
}

}  // namespace constable::checks::observability
