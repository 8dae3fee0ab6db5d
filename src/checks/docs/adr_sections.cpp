// docs/adr-sections: an ADR has the sections the constitution lists
// (Context, Decision, Consequences, Alternatives) and a status.

#include <fmt/format.h>

#include "checks/docs/adr_support.hpp"
#include "checks/docs/docs_checks.hpp"
#include "checks/docs/docs_support.hpp"
#include "core/text.hpp"

namespace constable::checks::docs {

namespace {
namespace adr_sections_check {

constexpr engine::CheckInfo kInfo{
    .id = "docs/adr-sections",
    .domain = "docs",
    .nature = Nature::documentation,
    .summary = "Give every ADR a status, Context, Decision, Consequences and Alternatives",
    .rationale = "An ADR is read years later by someone who was not there: without the context the decision "
                 "cannot be judged, without the consequences nobody knows what to watch, without the "
                 "alternatives the same debate starts again. ADRs are the Markdown files under docs/adr, "
                 "doc/adr, docs/adrs, docs/decisions, docs/architecture/decisions, adr/ or decisions/ (not "
                 "README, index or template files). Sections are headings; MADR's names count: 'Context and "
                 "Problem Statement', 'Decision Outcome', 'Considered Options' or 'Pros and Cons of the "
                 "Options' for alternatives, 'Consequences' at any level. The status is front matter "
                 "`status:`, a `Status: ...` line or a Status section.",
    .remediation = "Add the missing headings (## Context, ## Decision, ## Consequences, ## Alternatives) and a "
                   "status line (`- Status: Accepted`).",
    .bad_example = "ADR 0004: Use Kafka\n==================\n\n## Context\nServices poll each other.\n\n"
                   "## Decision\nPublish events to Kafka.\n",
    .good_example = "ADR 0004: Use Kafka\n==================\n\n- Status: Accepted\n\n## Context\nServices poll "
                    "each other.\n\n## Decision\nPublish events to Kafka.\n\n## Consequences\nOne more system to "
                    "run; producers no longer wait.\n\n## Alternatives\nRabbitMQ: no replay.\n",
    .parameters = "the required sections, from the clause's list",
    .clause = {.section = "architectural decision|adr", .text = "^context"},
    .file_kind = FileKind::markdown,
    .stack = "",
};

// Heading names that mean the same as a section the constitution requires.
std::vector<std::string> synonyms(const std::string& section) {
  const std::string lower = text::to_lower(section);
  if (lower == "context") return {"context", "problem statement", "background"};
  if (lower == "decision") return {"decision", "chosen solution"};
  if (lower == "consequences") return {"consequences", "positive consequences", "negative consequences"};
  if (lower == "alternatives")
    return {"alternatives", "considered options", "options considered", "rejected alternatives",
            "pros and cons of the options", "options"};
  return {lower};
}

class AdrSectionsCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  Result<void> bind_section(const std::vector<const constitution::Clause*>& section) override {
    sections_.clear();
    section_clauses_.clear();
    for (const constitution::Clause* clause : section) {
      if (clause->kind != constitution::ClauseKind::list_item) continue;
      const auto colon = clause->text.find(':');
      const std::string name(text::trim(std::string_view(clause->text).substr(0, colon)));
      if (name.empty() || name.find(' ') != std::string::npos) continue;
      sections_.push_back(name);
      section_clauses_.push_back(clause);
    }
    if (sections_.empty())
      return fail("docs/adr-sections: the ADR requirements list no section ('Context: ...')", "", section.front()->line);
    return {};
  }

  std::vector<const constitution::Clause*> also_enforced() const override { return section_clauses_; }

  std::string bound_parameters() const override {
    std::string out;
    for (const auto& s : sections_) out += (out.empty() ? "" : ", ") + s;
    return out;
  }

  bool judges_path(std::string_view path) const override { return is_adr_path(path); }
  void check(const engine::FileContext& file, engine::Emitter& out) const override {
    if (!judges_path(file.file().path)) return;
    const auto found = headings(file.text());
    int title_line = 1;
    for (const Heading& h : found)
      if (h.level == 1) {
        title_line = h.line;
        break;
      }
    if (adr_status(file.text()).value.empty())
      out.report(SourceRange::at_line(title_line), "ADR has no status (e.g. '- Status: Accepted')");
    for (std::size_t i = 0; i < sections_.size(); ++i) {
      const std::string& section = sections_[i];
      bool present = false;
      for (const Heading& h : found) {
        if (h.level < 2) continue;
        std::string name = text::to_lower(text::trim(h.text));
        // "2. Decision", "Decision:" and "Decision Outcome" all name the section.
        while (!name.empty() && (std::isdigit(static_cast<unsigned char>(name[0])) || name[0] == '.' || name[0] == ' '))
          name.erase(0, 1);
        for (const auto& synonym : synonyms(section)) present = present || name.starts_with(synonym);
        if (present) break;
      }
      if (!present)
        out.emit({.range = SourceRange::at_line(title_line),
                  .message = fmt::format("ADR has no '{}' section", section),
                  .clause = section_clauses_[i]});
    }
  }

 private:
  std::vector<std::string> sections_;
  std::vector<const constitution::Clause*> section_clauses_;
};

}  // namespace adr_sections_check
}  // namespace

std::unique_ptr<engine::Check> make_adr_sections_check() {
  return engine::make_check<adr_sections_check::AdrSectionsCheck>();
}

}  // namespace constable::checks::docs
