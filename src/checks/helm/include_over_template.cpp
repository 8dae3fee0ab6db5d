// helm/include-over-template: templates call named templates with
// {{ include }}, not {{ template }}.

#include <fmt/format.h>

#include <algorithm>

#include "checks/helm/helm_checks.hpp"
#include "checks/helm/helm_support.hpp"
#include "core/text.hpp"

namespace constable::checks::helm {

namespace {
namespace include_over_template_check {

constexpr engine::CheckInfo kInfo{
    .id = "helm/include-over-template",
    .domain = "helm",
    .nature = Nature::maintainability,
    .summary = "Call named templates with {{ include }}, not {{ template }}",
    .rationale = "`template` is an action: its output cannot be piped, so it cannot be indented with nindent "
                 "or quoted, and mis-indented YAML surfaces as a confusing error far from the call. `include` "
                 "is a function whose output pipes into nindent/quote/toYaml and whose failures name the "
                 "included template. Comments ({{/* ... */}}) and `define`/`block` are not calls and are "
                 "ignored.",
    .remediation = "Replace {{ template \"name\" . }} with {{ include \"name\" . }}; where the output is a "
                   "YAML block, pipe it: {{- include \"name\" . | nindent 4 }}.",
    .bad_example = "metadata:\n  labels:\n{{ template \"web.labels\" . }}\n",
    .good_example = "metadata:\n  labels:\n    {{- include \"web.labels\" . | nindent 4 }}\n",
    .parameters = "",
    .clause = {.section = "helm|chart", .text = R"(include.*template)"},
    .file_kind = FileKind::helm_template,
    .stack = "helm",
    .scope = engine::Scope::files_of_kind,
    .one_finding_per_file = true,
};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Whether some "template" in `text` opens an action ("{{ template", "{{-
// template"): the actions are walked only then. Most templates have
// "template" only as a key (a workload's spec.template).
bool may_call_template(std::string_view text) {
  for (std::size_t at = text::find(text, "template"); at != std::string_view::npos;
       at = text::find(text, "template", at + 1)) {
    std::size_t before = at;
    while (before > 0 && is_space(text[before - 1])) --before;
    if (before > 0 && text[before - 1] == '-') --before;
    if (before >= 2 && text.substr(before - 2, 2) == "{{") return true;
  }
  return false;
}

// The end (one past "}}") of the action starting at `open` ("{{"), skipping
// string and character literals, which may hold "}}"; npos when unterminated.
std::size_t action_end(std::string_view text, std::size_t open) {
  std::size_t i = open + 2;
  while (i + 1 < text.size()) {
    const char c = text[i];
    if (c == '"' || c == '\'') {
      for (++i; i < text.size() && text[i] != c && text[i] != '\n'; ++i)
        if (text[i] == '\\') ++i;
      ++i;
    } else if (c == '`') {
      const auto close = text.find('`', i + 1);
      if (close == std::string_view::npos) return std::string_view::npos;
      i = close + 1;
    } else if (c == '}' && text[i + 1] == '}') {
      return i + 2;
    } else {
      ++i;
    }
  }
  return std::string_view::npos;
}

class IncludeOverTemplateCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check(const engine::FileContext& file, engine::Emitter& out) const override {
    const std::string_view text = file.text();
    if (!may_call_template(text)) return;
    // Lines are counted only for a finding: most templates call no `template`.
    std::vector<std::size_t> line_starts;
    const auto position = [&](std::size_t offset) {
      if (line_starts.empty()) {
        line_starts.push_back(0);
        for (std::size_t at = text.find('\n'); at != std::string_view::npos; at = text.find('\n', at + 1))
          line_starts.push_back(at + 1);
      }
      const auto it = std::upper_bound(line_starts.begin(), line_starts.end(), offset) - 1;
      return std::pair{static_cast<int>(it - line_starts.begin()) + 1, static_cast<int>(offset - *it) + 1};
    };

    std::size_t open = text.find("{{");
    while (open != std::string_view::npos) {
      std::size_t body = open + 2;
      if (body < text.size() && text[body] == '-' && body + 1 < text.size() && is_space(text[body + 1])) ++body;
      while (body < text.size() && is_space(text[body])) ++body;
      std::size_t end = 0;
      if (text.substr(body).starts_with("/*")) {
        // A comment ends at "*/" followed by "}}" (optionally " -}}").
        const auto close = text.find("*/", body + 2);
        if (close == std::string_view::npos) return;
        end = text.find("}}", close + 2);
        if (end == std::string_view::npos) return;
        end += 2;
      } else {
        end = action_end(text, open);
        if (end == std::string_view::npos) return;
        const std::string_view word = text.substr(body, 8);
        const bool ends_word = body + 8 < text.size() && (is_space(text[body + 8]) || text[body + 8] == '"' ||
                                                          text[body + 8] == '`' || text[body + 8] == '}');
        if (word == "template" && ends_word) report(text.substr(open, end - open), position(open), position(end), out);
      }
      open = text.find("{{", end);
    }
  }

 private:
  static void report(std::string_view action, std::pair<int, int> start, std::pair<int, int> end,
                     engine::Emitter& out) {
    const auto first = action.find("template");
    std::string suggestion(action);
    suggestion.replace(first, 8, "include");
    if (suggestion.find('\n') != std::string::npos || suggestion.size() > 80) suggestion = "{{ include ... }}";
    out.report({start.first, start.second, end.first, end.second},
               fmt::format("named template called with {{{{ template }}}}; use {} (pipe it to nindent where the "
                           "output is a YAML block)",
                           suggestion));
  }
};

}  // namespace include_over_template_check
}  // namespace

std::unique_ptr<engine::Check> make_include_over_template_check() {
  return engine::make_check<include_over_template_check::IncludeOverTemplateCheck>();
}

}  // namespace constable::checks::helm
