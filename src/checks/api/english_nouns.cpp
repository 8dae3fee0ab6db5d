#include "checks/api/english_nouns.hpp"

#include <array>
#include <utility>

namespace constable::checks::api {

namespace {

// singular -> plural, for nouns whose plural is not formed with -s/-es.
constexpr std::array<std::pair<std::string_view, std::string_view>, 22> kIrregular{{
    {"person", "people"},     {"child", "children"},     {"man", "men"},           {"woman", "women"},
    {"mouse", "mice"},        {"goose", "geese"},        {"foot", "feet"},         {"tooth", "teeth"},
    {"datum", "data"},        {"medium", "media"},       {"criterion", "criteria"}, {"index", "indices"},
    {"analysis", "analyses"}, {"thesis", "theses"},      {"crisis", "crises"},     {"diagnosis", "diagnoses"},
    {"appendix", "appendices"}, {"matrix", "matrices"},  {"vertex", "vertices"},   {"phenomenon", "phenomena"},
    {"leaf", "leaves"},       {"life", "lives"},
}};

// Words that name a resource without a plural: mass nouns, singletons and
// actions that are conventional path segments.
constexpr std::string_view kUncountable[] = {
    "health",   "healthz",  "readyz",  "livez",     "status",  "auth",     "login",    "logout",   "signup",
    "register", "metadata", "search",  "info",      "config",  "configuration", "me",  "self",     "news",
    "equipment", "information", "software", "feedback", "analytics", "metrics", "openapi", "docs", "swagger",
    "graphql",  "oauth",    "token",   "callback",  "webhook", "inventory", "billing", "checkout", "account",
    "profile",  "settings", "preferences", "series", "species", "sheep",   "fish",     "deer",     "aircraft",
    "stats",    "version",  "ping",    "ready",     "live",    "refresh",  "verify",   "reset",    "export",
    "import",   "upload",   "download", "batch",    "bulk",    "current",  "latest",   "admin",    "public",
    "internal", "well-known", "coverage", "usage", "compliance", "telemetry", "traffic", "pricing", "storage",
    "monitoring", "logging",
};

bool ends_with(std::string_view word, std::string_view suffix) { return word.ends_with(suffix); }

}  // namespace

bool is_collection_word(std::string_view word) {
  for (auto u : kUncountable)
    if (word == u) return true;
  for (const auto& [singular, plural] : kIrregular) {
    if (word == plural) return true;
    if (word == singular) return false;
  }
  if (!ends_with(word, "s")) return false;
  // -ss (address), -us (campus) and -is (basis) are singular endings.
  return !ends_with(word, "ss") && !ends_with(word, "us") && !ends_with(word, "is");
}

std::string plural_of(std::string_view word) {
  for (const auto& [singular, plural] : kIrregular)
    if (word == singular) return std::string(plural);
  const std::string w(word);
  if (w.size() > 1 && w.back() == 'y' && std::string_view("aeiou").find(w[w.size() - 2]) == std::string_view::npos)
    return w.substr(0, w.size() - 1) + "ies";
  if (ends_with(w, "s") || ends_with(w, "x") || ends_with(w, "z") || ends_with(w, "ch") || ends_with(w, "sh"))
    return w + "es";
  return w + "s";
}

}  // namespace constable::checks::api
