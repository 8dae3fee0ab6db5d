#pragma once
// What the ADR checks read from an Architectural Decision Record.

#include <string>
#include <string_view>

namespace constable::checks::docs {

struct AdrStatus {
  std::string value{};  // "Accepted", "Superseded by ADR-0007", "" when absent
  int line = 0;       // of the value (a `Status:` line, or the line after a Status heading)
};

// The status of a MADR or Nygard ADR: YAML front matter `status:`, a
// `Status: X` line (as a list item or in bold too), or a Status heading
// followed by its text.
AdrStatus adr_status(std::string_view markdown);

}  // namespace constable::checks::docs
