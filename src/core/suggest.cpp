#include "core/suggest.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace constable::text {

namespace {

char fold(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t limit) {
  const std::size_t longer = std::max(a.size(), b.size());
  const std::size_t shorter = std::min(a.size(), b.size());
  if (longer - shorter > limit) return limit + 1;
  // Three rolling rows: the transposition looks two rows back.
  std::vector<std::size_t> before(b.size() + 1), previous(b.size() + 1), current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    std::size_t row_minimum = current[0];
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const bool same = fold(a[i - 1]) == fold(b[j - 1]);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (same ? 0 : 1)});
      if (i > 1 && j > 1 && fold(a[i - 1]) == fold(b[j - 2]) && fold(a[i - 2]) == fold(b[j - 1]))
        current[j] = std::min(current[j], before[j - 2] + 1);
      row_minimum = std::min(row_minimum, current[j]);
    }
    if (row_minimum > limit) return limit + 1;
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return std::min(previous[b.size()], limit + 1);
}

std::optional<std::string> closest_match(std::string_view typed, const std::vector<std::string_view>& candidates) {
  if (typed.empty()) return std::nullopt;
  // A known name is no typo, even when another is one edit away.
  if (std::find(candidates.begin(), candidates.end(), typed) != candidates.end()) return std::nullopt;
  const std::size_t allowed = std::max<std::size_t>(1, typed.size() / 3);
  std::optional<std::string> best;
  std::size_t best_distance = allowed + 1;
  for (const std::string_view candidate : candidates) {
    const std::size_t distance = edit_distance(typed, candidate, allowed);
    // Distance 0 differs only in case: still worth saying.
    if (distance < best_distance) {
      best = std::string(candidate);
      best_distance = distance;
    }
  }
  return best;
}

std::string did_you_mean(std::string_view typed, const std::vector<std::string_view>& candidates) {
  const auto match = closest_match(typed, candidates);
  return match ? fmt::format("; did you mean '{}'?", *match) : std::string();
}

}  // namespace constable::text
