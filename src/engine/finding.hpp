#pragma once
// A violation: which check found it, which clause it breaks, how severe it
// is, when it is due, and exactly where it is.

#include <optional>
#include <string>
#include <vector>

#include "core/date.hpp"
#include "core/types.hpp"

namespace constable::engine {

struct Suppression {
  enum class Kind : std::uint8_t { inline_comment, waiver };
  Kind kind = Kind::inline_comment;
  std::string reason;
  std::string owner;              // waivers only
  std::optional<Date> expires;
  std::string source;             // "path:line" of the comment or waiver
};

// A deprecation warning rather than a violation: the clause was added or
// tightened by an amendment whose transition period (constitution/transition.hpp)
// ends on `until`; from then on the finding is a violation.
struct TransitionNotice {
  Date until;
  std::string reason;  // "clause added in 2.1.0; the 6-month transition period counts from ..."
};

// One more place a finding was seen (Finding::also_at).
struct RelatedLocation {
  SourceRange range;
  std::string message;
};

struct Finding {
  std::string check_id;
  std::string clause_id;       // "" for findings of the engine itself
  std::string clause_text;
  std::string clause_section;  // "A > B > C"
  int clause_line = 0;
  Severity severity = Severity::medium;
  Date due;
  std::string path;  // relative to the root; a directory ends in '/'
  SourceRange range;
  std::string message;
  std::string remediation;
  std::string snippet;      // the offending line (secrets redacted), "" for whole-file findings
  std::string fingerprint;  // stable across unrelated line shifts
  std::string anchor;       // what the finding judges (Emission::anchor), hashed into the fingerprint; never shown
  // For a check with one finding per file: every further place of the same
  // problem in the file, in position order (the finding's own range is the first).
  std::vector<RelatedLocation> also_at;
  std::optional<Suppression> suppression;
  std::optional<TransitionNotice> transition;  // due is then counted from transition->until

  bool suppressed() const { return suppression.has_value(); }
  bool in_transition() const { return transition.has_value(); }
  // What gates count: neither suppressed nor a deprecation warning.
  bool enforced() const { return !suppressed() && !in_transition(); }
};

// Canonical report order: path, position, check, message.
bool report_order(const Finding& a, const Finding& b);

}  // namespace constable::engine
