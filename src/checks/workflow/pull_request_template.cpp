// workflow/pull-request-template: the pull request template asks for what
// the constitution's Pull Request Standards say a pull request includes.

#include <fmt/format.h>
#include <re2/re2.h>

#include <array>
#include <cctype>
#include <memory>
#include <set>

#include "checks/docs/docs_support.hpp"
#include "checks/workflow/workflow_checks.hpp"
#include "checks/workflow/workflow_support.hpp"
#include "core/text.hpp"

namespace constable::checks::workflow {

namespace {
namespace pull_request_template_check {

constexpr engine::CheckInfo kInfo{
    .id = "workflow/pull-request-template",
    .domain = "workflow",
    .nature = Nature::maintainability,
    .summary = "Give pull requests a template that asks for what the constitution says a pull request includes",
    .rationale =
        "A template is how a repository asks every author for the same things; without it, what a pull request "
        "carries depends on who wrote it. The required parts are the items of the Pull Request Standards list, "
        "each recognised by its meaning: a description of the changes (description, summary, what, changes), "
        "the motivation (why, motivation, reason, purpose, context, problem), a link to the specification or "
        "issue (issue, ticket, `Fixes #`, spec, related), tests (test, coverage), documentation (docs, "
        "documentation, README) and screenshots (screenshot, recording, video, before/after); an item of "
        "other words is looked for by its own words. The template asks for a part when its text (headings, "
        "checklist items, prose or comments) names it. Screenshots are asked for only where the repository "
        "has a user interface (.tsx, .jsx, .vue or .svelte files, or two or more style sheets outside documentation sites, examples and tooling). The templates are the default ones "
        "(.github/pull_request_template.md, PULL_REQUEST_TEMPLATE.md at the root or in docs/, GitLab's "
        ".gitlab/merge_request_templates/Default.md); without one, the templates an author picks from "
        "(.github/PULL_REQUEST_TEMPLATE/, .gitlab/merge_request_templates/) together. A repository without "
        "any template is reported only when its files show its hosting service (.github/, .gitlab/).",
    .remediation = "Add .github/pull_request_template.md (GitLab: .gitlab/merge_request_templates/Default.md) with "
                   "a heading or checklist item for each part the constitution lists.",
    .bad_example = "## Changes\n\n<!-- what changed -->\n",
    .good_example = "## Description and motivation\n\n## Related issue or specification\n\nCloses #\n\n"
                    "## Checklist\n\n- [ ] Tests cover the new code\n- [ ] Documentation updated\n"
                    "- [ ] Screenshots attached for UI changes\n",
    .parameters = "the parts a pull request includes, from the section's list",
    .clause = {.section = "pull request", .text = "descri|motivation"},
    .file_kind = FileKind::other,
    .stack = "",
    .scope = engine::Scope::repository,
};

// A part of a pull request, recognised in a clause by `in_clause` and in a
// template by `in_template` (RE2, case-insensitive).
struct Part {
  std::string_view in_clause;
  std::string_view in_template;
  std::string_view asks_for;  // for messages
  bool user_interface = false;  // only where the repository has a user interface
};

constexpr std::array kParts = {
    Part{R"(descri|summar)", R"(descri|summar|\bwhat\b|\bchanges?\b|overview)", "a description of the changes"},
    Part{R"(motivat|\bwhy\b|\breasons?\b|rationale|justif)",
         R"(motivat|\bwhy\b|\breasons?\b|rationale|purpose|context|problem|background|use.?case|justif|benefit)",
         "the motivation for the changes"},
    Part{R"(\blink|\bissues?\b|ticket|specification|\bspecs?\b)",
         R"(\bissues?\b|ticket|(fix|fixes|fixed|close|closes|closed|resolve|resolves|resolved)\s*:?\s*#|\bspec|jira|\blink(s|ed)?\b|related)",
         "a link to the related specification or issue"},
    Part{R"(\btest)", R"(\btest|coverage)", "tests for the new code"},
    Part{R"(documentation|\bdocs?\b)", R"(\bdoc(s|umentation|umented)?\b|readme)", "documentation updates"},
    Part{R"(screen|\bui\b|user interface|visual)",
         R"(screen.?shots?|screen.?casts?|recording|video|\bgifs?\b|before.{0,20}after|visual)",
         "screenshots of UI changes", true},
};

// kParts' in_clause patterns, compiled once for every clause of every run.
const std::array<std::unique_ptr<RE2>, kParts.size()>& in_clause_patterns() {
  static const auto patterns = [] {
    std::array<std::unique_ptr<RE2>, kParts.size()> compiled;
    for (std::size_t i = 0; i < kParts.size(); ++i)
      compiled[i] = std::make_unique<RE2>(fmt::format("(?i){}", kParts[i].in_clause));
    return compiled;
  }();
  return patterns;
}

// Words of an item no part recognises, looked for as they are.
const std::set<std::string_view>& ignored_words() {
  static const std::set<std::string_view> words = {"about", "after", "before", "every", "their", "there",
                                                  "these", "those", "where", "which", "while", "should",
                                                  "would", "could", "shall", "must", "applicable", "include",
                                                  "required", "clear", "changes", "updated"};
  return words;
}

struct Requirement {
  const constitution::Clause* clause = nullptr;
  std::string asks_for;
  std::unique_ptr<RE2> evidence;
  bool user_interface = false;
};

// Component files of a web front end, or style sheets of the project's own
// pages (two or more, outside documentation sites, examples and tooling).
bool has_user_interface(const workspace::Workspace& workspace) {
  if (workspace.stack.has("nextjs")) return true;
  int style_sheets = 0;
  for (const auto& file : workspace.files) {
    const std::string lower = text::to_lower(file.path);
    for (std::string_view ext : {".tsx", ".jsx", ".vue", ".svelte"})
      if (lower.ends_with(ext)) return true;
    bool aside = false;
    for (std::string_view dir : {"docs/", "doc/", "site/", "website/", "dev/", "hack/", "examples/", "test/", "tests/"})
      aside = aside || lower.starts_with(dir) || lower.find(fmt::format("/{}", dir)) != std::string::npos;
    if (aside) continue;
    for (std::string_view ext : {".css", ".scss", ".sass", ".less"})
      if (lower.ends_with(ext)) ++style_sheets;
  }
  return style_sheets >= 2;
}

// Where a finding about a template goes: its first heading, else its first
// checklist item, else its first line.
int anchor_line(std::string_view markdown) {
  const auto found = docs::headings(markdown);
  if (!found.empty()) return found.front().line;
  const auto lines = text::split_lines(markdown);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string_view line = text::trim(lines[i]);
    if (line.starts_with("- [") || line.starts_with("* [")) return static_cast<int>(i) + 1;
  }
  return 1;
}

class PullRequestTemplateCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  Result<void> bind(const constitution::Clause& clause, const engine::Config& config) override {
    (void)config;
    bound_ = &clause;
    return {};
  }

  Result<void> bind_section(const std::vector<const constitution::Clause*>& section) override {
    requirements_.clear();
    for (const constitution::Clause* clause : section) {
      if (clause->kind != constitution::ClauseKind::list_item && clause->kind != constitution::ClauseKind::standard_item)
        continue;
      bool recognised = false;
      for (std::size_t i = 0; i < kParts.size(); ++i) {
        const Part& part = kParts[i];
        if (!RE2::PartialMatch(clause->text, *in_clause_patterns()[i])) continue;
        recognised = true;
        add(clause, std::string(part.asks_for), fmt::format("(?i){}", part.in_template), part.user_interface);
      }
      if (!recognised) {
        std::string words;
        for (const std::string& word : constitution_words(clause->text))
          words += (words.empty() ? "" : "|") + RE2::QuoteMeta(word);
        if (!words.empty()) add(clause, fmt::format("'{}'", clause->text), fmt::format("(?i)\\b({})", words), false);
      }
    }
    if (requirements_.empty())
      return fail("workflow/pull-request-template: the Pull Request Standards list no part a pull request includes");
    return {};
  }

  std::vector<const constitution::Clause*> also_enforced() const override {
    std::vector<const constitution::Clause*> out;
    for (const auto& r : requirements_)
      if (out.empty() || out.back() != r.clause) out.push_back(r.clause);
    return out;
  }

  std::string bound_parameters() const override {
    std::string out;
    for (const auto& r : requirements_) out += (out.empty() ? "" : "; ") + r.asks_for;
    return out;
  }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    const workspace::Workspace& workspace = repo.workspace();
    const PullRequestTemplates templates = find_pull_request_templates(workspace);
    if (templates.empty()) {
      const std::string_view service = hosting_service(workspace);
      if (service.empty()) return;  // nothing shows where pull requests are made
      const std::string path =
          service == "GitLab" ? ".gitlab/merge_request_templates/Default.md" : ".github/pull_request_template.md";
      out.emit({.range = SourceRange::whole_file(),
                .message = fmt::format("the repository has no pull request template for {}: nothing asks authors "
                                       "for what the constitution says a pull request includes",
                                       service),
                .path_override = path,
                .anchor = "no-template"});
      return;
    }
    const bool user_interface = has_user_interface(workspace);
    const bool judged_apart = !templates.defaults.empty();
    const auto& judged = judged_apart ? templates.defaults : templates.choices;
    std::vector<std::string_view> texts;
    for (const workspace::File* file : judged) texts.push_back(read_text(repo, *file));
    for (const Requirement& requirement : requirements_) {
      if (requirement.user_interface && !user_interface) continue;
      auto asks = [&](std::string_view text) {
        return RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *requirement.evidence);
      };
      if (judged_apart) {
        for (std::size_t i = 0; i < judged.size(); ++i)
          if (!asks(texts[i])) report(out, *judged[i], texts[i], requirement, "the pull request template");
      } else {
        bool any = false;
        for (std::string_view text : texts) any = any || asks(text);
        if (!any)
          report(out, *judged.front(), texts.front(), requirement,
                 judged.size() == 1 ? std::string("the pull request template")
                                    : fmt::format("none of the {} pull request templates", judged.size()));
      }
    }
  }

 private:
  void add(const constitution::Clause* clause, std::string asks_for, const std::string& pattern, bool ui) {
    requirements_.push_back({.clause = clause,
                             .asks_for = std::move(asks_for),
                             .evidence = std::make_unique<RE2>(pattern),
                             .user_interface = ui});
  }

  // The words of an item no part recognises: five letters or more, not filler.
  static std::vector<std::string> constitution_words(std::string_view clause) {
    std::vector<std::string> out;
    std::string word;
    auto flush = [&] {
      if (word.size() >= 5 && !ignored_words().contains(word)) out.push_back(word);
      word.clear();
    };
    for (char c : clause) {
      if (std::isalpha(static_cast<unsigned char>(c)) != 0) word.push_back(static_cast<char>(std::tolower(c)));
      else flush();
    }
    flush();
    return out;
  }

  void report(engine::Emitter& out, const workspace::File& file, std::string_view text,
              const Requirement& requirement, const std::string& subject) const {
    out.emit({.range = SourceRange::at_line(anchor_line(text)),
              .message = fmt::format("{} does not ask for {}", subject, requirement.asks_for),
              .remediation = fmt::format("Add a heading or checklist item asking for {} to {}, as the constitution "
                                         "asks: \"{}\".",
                                         requirement.asks_for, file.path, requirement.clause->text),
              .path_override = file.path,
              .anchor = requirement.asks_for,
              .clause = requirement.clause == bound_ ? nullptr : requirement.clause});
  }

  const constitution::Clause* bound_ = nullptr;
  std::vector<Requirement> requirements_;
};

}  // namespace pull_request_template_check
}  // namespace

std::unique_ptr<engine::Check> make_pull_request_template_check() {
  return engine::make_check<pull_request_template_check::PullRequestTemplateCheck>();
}

}  // namespace constable::checks::workflow
