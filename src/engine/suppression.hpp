#pragma once
// Inline suppressions written in the checked file:
//   # constable:ignore[docker/healthcheck] reason="batch job" until=2027-01-31
// applies to its own line and to the next line that is neither blank nor a
// comment; `constable:ignore-file[...]` applies to the whole file. A reason is
// required; `until` is optional.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.hpp"

namespace constable::engine {

struct InlineSuppression {
  std::vector<std::string> checks;  // ids or domains
  std::string reason;
  std::optional<Date> until;
  int line = 0;         // where the comment is
  int column = 0;       // where "constable:ignore" starts (bytes)
  int target_line = 0;  // the line it covers besides its own; 0 for file-wide
  bool file_wide = false;
  std::string problem;  // why it is invalid, "" when valid
};

std::vector<InlineSuppression> find_suppressions(const std::vector<std::string_view>& lines);
// Whether `text` may hold one at all (most files name no suppression:
// they need not be split into lines to learn it).
bool may_hold_suppressions(std::string_view text);

}  // namespace constable::engine
