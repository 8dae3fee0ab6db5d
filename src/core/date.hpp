#pragma once
// Calendar dates (proleptic Gregorian, no time zone): due dates, waiver and
// suppression expiries.

#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace constable {

struct Date {
  int year = 1970;
  int month = 1;
  int day = 1;

  // Strict YYYY-MM-DD; rejects impossible dates such as 2026-02-30.
  static std::optional<Date> parse(std::string_view iso);
  // Today in UTC, or CONSTABLE_TODAY (YYYY-MM-DD) when set, so runs and
  // golden files can be made deterministic.
  static Date today();

  Date plus_days(long days) const;
  long days_since_epoch() const;
  static Date from_days_since_epoch(long days);
  std::string to_string() const;

  friend bool operator==(const Date&, const Date&) = default;
  friend auto operator<=>(const Date&, const Date&) = default;
};

// The current time in UTC to the second, ISO 8601: "2026-12-05T13:04:51Z".
std::string utc_timestamp_now();

}  // namespace constable
