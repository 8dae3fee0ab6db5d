#pragma once
// Private helpers shared by the constitution sources (not part of the contract).

#include <cstddef>
#include <optional>
#include <string_view>

#include "constitution/model.hpp"

namespace constable::constitution::detail {

enum class DurationUnit : unsigned char { milliseconds, seconds, minutes, hours, days, weeks, months, years };

// The first "<number>[ -]<unit>" in `text`: "24-hour", "7 days", "2.5s".
struct DurationMatch {
  double amount = 0;
  DurationUnit unit = DurationUnit::days;
  std::size_t offset = 0;  // byte offset of the number in `text`
};
std::optional<DurationMatch> find_duration(std::string_view text);

// Milliseconds in one `unit` (months are 30 days, years 365 days).
double unit_milliseconds(DurationUnit unit);
// "hours", "h", "6-month"'s "month": the unit a duration word names.
DurationUnit duration_unit(std::string_view word);
// Bytes in one "KB", "MiB", ... (1 KB = 1024 B).
double size_factor(std::string_view unit);

// "Immediate action required, 24-hour resolution" -> 24 hours; "Next sprint
// or quarterly cleanup" -> sprint; nullopt when no deadline can be read.
std::optional<Deadline> read_deadline(std::string_view description);

// Applies a "Critical: Security vulnerabilities, data loss risk" item: every
// nature the description mentions gets `severity`.
void apply_natures(SeverityPolicy& policy, Severity severity, std::string_view description);

}  // namespace constable::constitution::detail
