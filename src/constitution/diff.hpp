#pragma once
// Two versions of a constitution compared clause by clause: what was added,
// removed, reworded, moved or had a parameter changed, the SemVer bump that
// requires (spec-kit's rules), the bump the author made, and the Sync Impact
// Report the change implies.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "constitution/model.hpp"
#include "constitution/parameters.hpp"

namespace constable::constitution {

enum class Bump : std::uint8_t { none, patch, minor, major };
std::string_view to_string(Bump bump);  // "none", "PATCH", "MINOR", "MAJOR"

enum class ChangeKind : std::uint8_t { added, removed, reworded, parameter_changed, modality_changed, moved };
std::string_view to_string(ChangeKind kind);  // "parameter changed", ...

struct ParameterChange {
  std::string before;  // "25%"
  std::string after;   // "20%"
  Direction direction = Direction::unknown;
};

struct ClauseChange {
  ChangeKind kind = ChangeKind::added;
  const Clause* before = nullptr;  // null when added
  const Clause* after = nullptr;   // null when removed
  std::vector<ParameterChange> parameters;        // parameter_changed
  Direction modality = Direction::same;           // how the keyword changed, when it did
  Bump bump = Bump::none;                         // what this change alone requires
  std::string why;                                // "a parameter tightened: 3 partitions → 5 partitions"
};

struct SectionChange {
  bool added = true;
  std::vector<std::string> path;
  int line = 0;          // in the version that has it
  bool principle = false;  // under a "... Principles" heading
};

struct ConstitutionDiff {
  std::vector<ClauseChange> clauses;    // removals by their old position, the rest by their new one
  std::vector<SectionChange> sections;  // removed first, then added, each in document order
  Bump required = Bump::none;
  std::string required_because;         // the first change that requires it
  std::string version_before;           // footer versions; "" when a side has none
  std::string version_after;
  std::optional<Bump> made;             // nullopt when a version is missing or unreadable
  bool enough() const { return made && *made >= required; }
  // What the newer version's report still lists, carried into a new report.
  std::vector<std::string> pending_templates;
  std::vector<std::string> follow_up;
};

ConstitutionDiff diff(const Constitution& before, const Constitution& after);

// What two clauses must share to be the same clause: the text lower-cased,
// without surrounding space or a final period or semicolon.
std::string normalized_clause_text(std::string_view clause_text);

// `version` raised by `bump` (1.4.2 + MINOR = 1.5.0), or nullopt when it is
// not MAJOR.MINOR.PATCH.
std::optional<std::string> bumped(std::string_view version, Bump bump);
// The bump from one version to another (none when equal), or nullopt when
// either is not MAJOR.MINOR.PATCH or `after` is not greater.
std::optional<Bump> bump_between(std::string_view before, std::string_view after);

std::string render_diff_text(const ConstitutionDiff& change);
std::string render_diff_json(const ConstitutionDiff& change);
// spec-kit's HTML comment, "Sync Impact Report" first so the parser reads
// it back, for the change to `to_version`.
std::string render_sync_impact_report(const ConstitutionDiff& change, std::string_view to_version);

}  // namespace constable::constitution
