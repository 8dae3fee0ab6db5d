#pragma once
// The constitution as constable understands it: sections, normative clauses,
// its version, its Sync Impact Report and its severity policy.

#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "core/types.hpp"

namespace constable::constitution {

// RFC 2119 keywords, plus `rule` for a standards item that states a rule with
// no keyword ("Maximum unavailable pods: 25%") and `structure` for a code
// block that prescribes a file tree.
enum class Modality : std::uint8_t {
  must, must_not, shall, shall_not, required, prohibited, should, should_not, may, rule, structure
};
std::string_view to_string(Modality modality);  // "MUST NOT", "rule", ...

enum class ClauseKind : std::uint8_t { sentence, list_item, standard_item, structure_block };
std::string_view to_string(ClauseKind kind);

struct Section {
  std::vector<std::string> path;  // heading texts from the top, e.g. {"Project Constitution", ...}
  int level = 0;                  // 1 for '#'
  int line = 0;
  std::string title() const { return path.empty() ? std::string{} : path.back(); }
  std::string joined() const;  // "A > B > C"
};

struct Clause {
  // Human-readable and stable: "<parent-heading>/<heading>/<text-slug>", so
  // inserting or deleting another clause does not change it.
  // Scheme: the slugs (text::slugify) of the two innermost headings above the
  // clause (one when there is only one), then the slug of the clause text cut
  // to 8 words; the document title is left out when the document has exactly
  // one H1. Structure blocks end in "/structure" instead of a text slug.
  // Clauses with identical ids get "-2", "-3", ... in document order, so only
  // clauses with the same slug in the same place can shift each other.
  // E.g. "docker-standards/dockerfile-requirements/non-root-user-must-be-specified".
  std::string id;
  std::vector<std::string> section_path;
  std::string text;  // plain text, inline markup removed, whitespace collapsed
  int line = 0;
  int end_line = 0;
  ClauseKind kind = ClauseKind::sentence;
  Modality modality = Modality::must;
  bool modality_inherited = false;  // true when it comes from a lead-in
  std::string lead_in;              // the lead-in sentence, when inherited
  // For a lead-in ("Every project MUST include:"): how many clauses its list
  // holds (its items and theirs), which follow it in Constitution::clauses.
  std::size_t list_clauses = 0;

  std::string section_joined() const;  // "A > B > C"
};

// A sentence of a paragraph that states no RFC 2119 keyword: a rationale, a
// description, or a rule that lost its keyword. Not a clause; kept so that
// `constitution lint` can tell which is which.
struct Statement {
  std::vector<std::string> section_path;
  std::string text;  // plain text, whitespace collapsed
  int line = 0;
  int end_line = 0;
  bool rationale = false;  // of a paragraph that starts "Rationale": why, not what
};

struct VersionFooter {
  std::string version;  // "2.0.0"
  std::optional<Date> ratified;
  std::optional<Date> last_amended;
  int line = 0;
};

struct SyncImpactReport {
  std::string text;  // the comment body, verbatim
  std::string version_from;
  std::string version_to;
  std::vector<std::string> modified, added, removed, pending_templates, follow_up;
  int line = 0;
};

// "Low: Next sprint", "Critical: ... 24-hour resolution", "High: 7-day resolution".
struct Deadline {
  enum class Unit : std::uint8_t { hours, days, sprint };
  Unit unit = Unit::days;
  int amount = 0;      // hours or days; sprints count 1
  std::string text;    // as the constitution words it, or "default"
};

struct SeverityPolicy {
  std::array<Deadline, 4> deadlines;             // indexed by Severity
  std::array<Severity, 5> severity_of_nature;    // indexed by Nature
  std::array<std::string, 4> descriptions;       // "Security vulnerabilities, data loss risk"
  bool from_constitution = false;
  int line = 0;  // the violations section heading, when read from the constitution

  // The documented defaults (docs/severity.md): critical 24 h, high 7 days,
  // medium 30 days, low next sprint; security and data loss are critical,
  // reliability high, maintainability medium, documentation low.
  static SeverityPolicy defaults();
  Severity severity_for(Nature nature) const;
  // The date by which a violation found on `found` must be fixed.
  Date due(Severity severity, Date found, int sprint_days) const;
};

// Something in the constitution constable reads past instead of refusing it
// (a malformed version footer): the run goes on and reports show it as a
// note at the constitution's path and this line.
struct Warning {
  std::string message;  // says what was expected ("expected MAJOR.MINOR.PATCH")
  int line = 0;
};

struct Constitution {
  std::string path;  // as given (used in messages)
  std::string source_digest;  // SHA-256 of the Markdown it was parsed from: names results made with it
  std::vector<Section> sections;
  std::vector<Clause> clauses;
  std::vector<Statement> prose;  // in document order; none from a glossary
  std::optional<VersionFooter> version;
  std::optional<SyncImpactReport> sync_impact;
  SeverityPolicy severity = SeverityPolicy::defaults();
  std::vector<Warning> warnings;  // in document order

  const Clause* find(std::string_view clause_id) const;
};

// Parses constitution Markdown. Fails (with path:line) only when the text
// cannot be a constitution: binary, invalid UTF-8, no clause at all, a
// malformed severity table. A malformed version footer is only a warning:
// the version is metadata no check depends on.
Result<Constitution> parse(std::string_view markdown, std::string path);
// As parse, but a document with no clause is returned as it is (its
// sections, prose and footer), for `constitution lint` to say why.
Result<Constitution> parse_document(std::string_view markdown, std::string path);

// The constitution is read like any file constable reads (core/files.hpp):
// a regular file of at most kMaxSize bytes.
inline constexpr std::uintmax_t kMaxSize = files::kDefaultMaxSize;

// Reads and parses `file`. A constitution the repository names (found by
// name or through its configuration) is confined to the repository:
// `confine_to` is its root. One the user named (--constitution) may be
// anywhere: `confine_to` is empty.
Result<Constitution> load(const std::filesystem::path& file, const std::filesystem::path& confine_to = {});

}  // namespace constable::constitution
