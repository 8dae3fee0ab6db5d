// workflow/code-review: the branch protection a repository declares requires
// reviews with at least the constitution's number of approvals, and authors
// get a review checklist.

#include <fmt/format.h>
#include <re2/re2.h>

#include "checks/docs/docs_support.hpp"
#include "checks/workflow/workflow_checks.hpp"
#include "checks/workflow/workflow_support.hpp"
#include "core/text.hpp"

namespace constable::checks::workflow {

namespace {
namespace code_review_check {

constexpr engine::CheckInfo kInfo{
    .id = "workflow/code-review",
    .domain = "workflow",
    .nature = Nature::reliability,
    .summary = "Require reviews with the constitution's minimum number of approvals, and a review checklist",
    .rationale =
        "Review catches what its author cannot see, and only a rule the hosting service enforces makes it "
        "happen every time. The check reads the branch protection a repository declares in its files (probot "
        "settings `required_pull_request_reviews`, a branch ruleset's `pull_request` rule; see "
        "workflow/branch-protection): an approval count below the clause's minimum, reviews switched off "
        "(`required_pull_request_reviews: null`), or declarations none of which requires reviews are "
        "reported. Which changes are critical, and so need more approvals, files cannot tell: only the "
        "minimum is judged. The review checklist sibling clause is met by checklist items (`- [ ]`) in the "
        "pull request template or a Markdown heading naming a review checklist in the documentation; it is "
        "judged only where a template exists (workflow/pull-request-template reports a missing one). Nothing "
        "is reported about protection a repository does not declare in its files.",
    .remediation = "Require pull request reviews with at least the constitution's number of approvals "
                   "(`required_approving_review_count`), and give the pull request template a checklist "
                   "reviewers complete.",
    .bad_example = "branches:\n"
                   "  - name: main\n"
                   "    protection:\n"
                   "      required_pull_request_reviews:\n"
                   "        required_approving_review_count: 0\n",
    .good_example = "branches:\n"
                    "  - name: main\n"
                    "    protection:\n"
                    "      required_pull_request_reviews:\n"
                    "        required_approving_review_count: 1\n",
    .parameters = "the minimum number of approvals, from the clause (\"minimum one approval\")",
    .clause = {.section = "code review|review", .text = "approv"},
    .file_kind = FileKind::other,
    .stack = "",
    .scope = engine::Scope::repository,
};

bool has_checklist_item(std::string_view markdown) {
  for (std::string_view line : text::split_lines(markdown)) {
    const std::string_view t = text::trim(line);
    if (t.starts_with("- [") || t.starts_with("* [") || t.starts_with("+ [")) return true;
  }
  return false;
}

// A review checklist in the documentation: a heading that names one.
bool documented_review_checklist(const engine::RepositoryContext& repo) {
  static const RE2 kHeading(R"((?i)review.*checklist|checklist.*review)");
  for (const auto& file : repo.workspace().files) {
    const std::string lower = text::to_lower(file.path);
    if (!lower.ends_with(".md")) continue;
    const bool place = lower.find('/') == std::string::npos || lower.starts_with("docs/") ||
                       lower.starts_with(".github/") || lower.starts_with(".gitlab/");
    if (!place) continue;
    for (const auto& heading : docs::headings(read_text(repo, file)))
      if (RE2::PartialMatch(heading.text, kHeading)) return true;
  }
  return false;
}

class CodeReviewCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  Result<void> bind(const constitution::Clause& clause, const engine::Config& config) override {
    (void)config;
    static const RE2 kMinimum(R"((?i)(?:minimum(?: of)?|at least|min\.?)\s+(\d+|[a-z]+)\s+(?:approv|review))");
    static const RE2 kRequired(R"((?i)\b(\d+|[a-z]+)\s+approvals?\s+(?:are\s+|is\s+)?required)");
    std::string count;
    if (!RE2::PartialMatch(clause.text, kMinimum, &count) && !RE2::PartialMatch(clause.text, kRequired, &count))
      return fail(fmt::format("workflow/code-review: cannot read the minimum number of approvals in '{}' (expected "
                              "\"minimum one approval\" or \"2 approvals required\")",
                              clause.text),
                  "", clause.line);
    std::optional<long long> value = number_word(count);
    if (!value && !count.empty() && std::isdigit(static_cast<unsigned char>(count[0])) != 0) value = std::stoll(count);
    if (!value || *value < 1)
      return fail(fmt::format("workflow/code-review: '{}' is not a number of approvals in '{}'", count, clause.text),
                  "", clause.line);
    minimum_ = *value;
    bound_ = &clause;
    return {};
  }

  Result<void> bind_section(const std::vector<const constitution::Clause*>& section) override {
    reviewed_ = nullptr;
    checklist_ = nullptr;
    static const RE2 kReviewed(R"((?i)review(ed)?\b.*before\s+merg)");
    static const RE2 kChecklist(R"((?i)review.*checklist|checklist)");
    for (const constitution::Clause* clause : section) {
      if (clause == bound_) continue;
      if (reviewed_ == nullptr && RE2::PartialMatch(clause->text, kReviewed)) reviewed_ = clause;
      else if (checklist_ == nullptr && RE2::PartialMatch(clause->text, kChecklist)) checklist_ = clause;
    }
    return {};
  }

  std::vector<const constitution::Clause*> also_enforced() const override {
    std::vector<const constitution::Clause*> out;
    if (reviewed_ != nullptr) out.push_back(reviewed_);
    if (checklist_ != nullptr) out.push_back(checklist_);
    return out;
  }

  std::string bound_parameters() const override {
    return fmt::format("at least {} approval{}", minimum_, minimum_ == 1 ? "" : "s");
  }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    judge_protections(repo, out);
    if (checklist_ != nullptr) judge_checklist(repo, out);
  }

 private:
  void judge_protections(const engine::RepositoryContext& repo, engine::Emitter& out) const {
    const auto protections = declared_protections(repo);
    bool required_somewhere = false;
    bool reported = false;
    for (const auto& p : protections) {
      if (p.reviews == DeclaredProtection::Reviews::required) {
        required_somewhere = true;
        if (p.approvals && *p.approvals < minimum_) {
          out.emit({.range = SourceRange::at_line(p.reviews_line),
                    .message = fmt::format("{} requires {} approving review{}; the constitution asks for at least {}",
                                           p.description, *p.approvals, *p.approvals == 1 ? "" : "s", minimum_),
                    .path_override = p.path,
                    .anchor = p.description});
          reported = true;
        }
      } else if (p.reviews == DeclaredProtection::Reviews::not_required) {
        out.emit({.range = SourceRange::at_line(p.reviews_line),
                  .message = fmt::format("{} does not require pull request reviews (required_pull_request_reviews "
                                         "is null)",
                                         p.description),
                  .path_override = p.path,
                  .anchor = p.description,
                  .clause = reviewed_});
        reported = true;
      }
    }
    if (protections.empty() || required_somewhere || reported) return;
    const auto& first = protections.front();
    out.emit({.range = SourceRange::at_line(first.line),
              .message = fmt::format("no branch protection the repository declares requires pull request reviews "
                                     "({}{})",
                                     first.description,
                                     protections.size() > 1 ? fmt::format(" and {} more", protections.size() - 1) : ""),
              .path_override = first.path,
              .anchor = "no-required-reviews",
              .clause = reviewed_});
  }

  void judge_checklist(const engine::RepositoryContext& repo, engine::Emitter& out) const {
    const PullRequestTemplates templates = find_pull_request_templates(repo.workspace());
    if (templates.empty()) return;
    for (const auto* list : {&templates.defaults, &templates.choices})
      for (const workspace::File* file : *list)
        if (has_checklist_item(read_text(repo, *file))) return;
    if (documented_review_checklist(repo)) return;
    const workspace::File& first = templates.defaults.empty() ? *templates.choices.front() : *templates.defaults.front();
    out.emit({.range = SourceRange::at_line(1),
              .message = "no review checklist: the pull request template has no checklist item (- [ ]) and no "
                         "document has a review checklist heading",
              .remediation = fmt::format("Add a checklist (`- [ ] ...`) reviewers and authors complete to {}, as the "
                                         "constitution asks: \"{}\".",
                                         first.path, checklist_->text),
              .path_override = first.path,
              .anchor = "no-review-checklist",
              .clause = checklist_});
  }

  long long minimum_ = 1;
  const constitution::Clause* bound_ = nullptr;
  const constitution::Clause* reviewed_ = nullptr;
  const constitution::Clause* checklist_ = nullptr;
};

}  // namespace code_review_check
}  // namespace

std::unique_ptr<engine::Check> make_code_review_check() {
  return engine::make_check<code_review_check::CodeReviewCheck>();
}

}  // namespace constable::checks::workflow
