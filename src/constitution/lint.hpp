#pragma once
// `constable constitution lint`: the constitution judged as a document.
// Unfilled template tokens, a version footer and Sync Impact Report that
// disagree, dates not in ISO form, an amendment without its report,
// principles stated without a keyword, clauses that repeat or contradict
// each other, and clauses nothing in a repository can show.

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "constitution/diff.hpp"
#include "constitution/model.hpp"
#include "core/date.hpp"
#include "core/error.hpp"

namespace constable::constitution {

// error: the document is wrong (a token left unfilled, versions that
// disagree); warning: likely wrong, a reader should look (a principle with no
// keyword); note: worth knowing, nothing to fix (a clause only an attestation
// can show). Errors and warnings fail `constitution lint`.
enum class LintLevel : std::uint8_t { error, warning, note };
std::string_view to_string(LintLevel level);

struct LintRule {
  std::string_view id;  // "constitution/placeholder"
  LintLevel level;
  std::string_view summary;
};
// Every rule, sorted by id: the CLI's documentation and JSON name them.
const std::vector<LintRule>& lint_rules();

struct LintFinding {
  const LintRule* rule = nullptr;
  int line = 0;
  int column = 0;  // 1-based byte column; 0 when the whole line
  std::string message;
  std::string clause_id;  // the clause it is about, when one
};

struct LintOptions {
  Date today;
  // Clauses a check of the catalog binds: they are enforced by a check,
  // whatever their words say (null: not known, nothing is assumed).
  const std::set<std::string, std::less<>>* enforced_clause_ids = nullptr;
  // The change since the committed version ("HEAD:.specify/memory/constitution.md"),
  // when the file differs from it: a change that needs a bump needs a new
  // version and a report of it (null: not known).
  const ConstitutionDiff* since_committed = nullptr;
  std::string committed_label;
};

struct LintResult {
  std::optional<Constitution> constitution;  // when it parsed
  std::vector<LintFinding> findings;         // by line, then column, then rule
};

// Fails only when the text cannot be read as a document at all (binary,
// invalid UTF-8, empty): a constitution that does not parse as one (no
// clause, a malformed severity table) is a finding, and the rules that need
// only its text still run.
Result<LintResult> lint(std::string_view markdown, const std::string& path, const LintOptions& options);

}  // namespace constable::constitution
