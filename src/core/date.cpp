#include "core/date.hpp"

#include <chrono>
#include <cstdlib>

#include <fmt/chrono.h>
#include <fmt/format.h>

namespace constable {

namespace {
bool all_digits(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return !s.empty();
}
int to_int(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}
}  // namespace

std::optional<Date> Date::parse(std::string_view iso) {
  if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-') return std::nullopt;
  const auto y = iso.substr(0, 4), m = iso.substr(5, 2), d = iso.substr(8, 2);
  if (!all_digits(y) || !all_digits(m) || !all_digits(d)) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year{to_int(y)},
                                        std::chrono::month{static_cast<unsigned>(to_int(m))},
                                        std::chrono::day{static_cast<unsigned>(to_int(d))}};
  if (!ymd.ok()) return std::nullopt;
  return Date{to_int(y), to_int(m), to_int(d)};
}

Date Date::today() {
  if (const char* fixed = std::getenv("CONSTABLE_TODAY")) {
    if (auto parsed = parse(fixed)) return *parsed;
  }
  const auto now = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  return from_days_since_epoch(static_cast<long>(now.time_since_epoch().count()));
}

long Date::days_since_epoch() const {
  const std::chrono::year_month_day ymd{std::chrono::year{year},
                                        std::chrono::month{static_cast<unsigned>(month)},
                                        std::chrono::day{static_cast<unsigned>(day)}};
  return static_cast<long>(std::chrono::sys_days{ymd}.time_since_epoch().count());
}

Date Date::from_days_since_epoch(long days) {
  const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{days}}};
  return Date{static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
              static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

Date Date::plus_days(long days) const { return from_days_since_epoch(days_since_epoch() + days); }

std::string Date::to_string() const { return fmt::format("{:04}-{:02}-{:02}", year, month, day); }

std::string utc_timestamp_now() {
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}",
                     std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
}

}  // namespace constable
