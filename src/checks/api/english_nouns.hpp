#pragma once
// The one word table for resource naming: irregular plurals, uncountable
// and singleton words that are fine as path segments, and how to suggest a
// plural.

#include <string>
#include <string_view>

namespace constable::checks::api {

// Whether a lower-case word may name a collection: a regular plural
// ("orders", "categories", "addresses"), an irregular plural ("people",
// "children", "data", "media") or a word used without a plural ("health",
// "status", "auth", "login", "metadata", "search").
bool is_collection_word(std::string_view word);
// "order" -> "orders", "category" -> "categories", "person" -> "people".
std::string plural_of(std::string_view word);

}  // namespace constable::checks::api
