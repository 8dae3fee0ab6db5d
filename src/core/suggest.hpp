#pragma once
// "Did you mean": the known name closest to a mistyped one (a subcommand, a
// check id, a clause id, a configuration key), by edit distance.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace constable::text {

// Optimal string alignment distance (Levenshtein plus adjacent
// transpositions), case-insensitive for ASCII: "chekc" is 1 from "check".
// Stops counting past `limit` and returns limit + 1.
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t limit = 64);

// The candidate closest to `typed`, when it is close enough to be a typo of
// it (at most a third of its length away, at least one edit); ties go to the
// first candidate. nullopt when nothing is that close, or when `typed` is
// itself a candidate.
std::optional<std::string> closest_match(std::string_view typed, const std::vector<std::string_view>& candidates);

// "; did you mean 'check'?" or "" when nothing is close.
std::string did_you_mean(std::string_view typed, const std::vector<std::string_view>& candidates);

}  // namespace constable::text
