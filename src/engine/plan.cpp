#include "engine/plan.hpp"

#include <algorithm>
#include <charconv>
#include <deque>
#include <functional>
#include <iterator>
#include <memory>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>
#include <re2/re2.h>

#include "core/cache.hpp"
#include "core/digest.hpp"
#include "core/text.hpp"

namespace constable::engine {

std::string_view to_string(BindingStatus status) {
  switch (status) {
    case BindingStatus::active: return "active";
    case BindingStatus::no_clause: return "no-clause";
    case BindingStatus::not_applicable: return "not-applicable";
    case BindingStatus::deselected: return "deselected";
  }
  return "no-clause";
}

bool selector_matches(std::string_view selector, std::string_view id) {
  if (selector.empty()) return false;
  if (selector == id || selector == "all") return true;
  // A domain ("docker" or "docker/") selects every check in it.
  std::string_view domain = selector;
  if (domain.ends_with('/')) domain.remove_suffix(1);
  return id.size() > domain.size() && id.starts_with(domain) && id[domain.size()] == '/';
}

namespace {

bool selected(std::string_view id, const Selection& selection) {
  bool in = selection.select.empty();
  for (const auto& s : selection.select) in = in || selector_matches(s, id);
  for (const auto& s : selection.ignore)
    if (selector_matches(s, id)) return false;
  return in;
}

// Lower-cases ASCII letters, and folds the two other characters RE2's
// case-insensitive matching equates with ASCII letters (U+212A KELVIN SIGN
// with k, U+017F LATIN SMALL LETTER LONG S with s), so that a plain word
// found in the folded text is exactly what RE2 would have found.
std::string fold_case(std::string_view text) {
  std::string folded;
  folded.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (text.substr(i).starts_with("\xE2\x84\xAA")) {
      folded += 'k';
      i += 2;
    } else if (text.substr(i).starts_with("\xC5\xBF")) {
      folded += 's';
      i += 1;
    } else {
      folded += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
  }
  return folded;
}

// A clause matcher's pattern (check.hpp), matched case-insensitively anywhere
// in a text. Most are alternations of plain words ("helm|chart",
// "functional specification"): those are looked for in the case-folded text,
// at a fraction of the cost of compiling and running a regular expression
// (binding is paid by every run); any other pattern is an RE2.
class Pattern {
 public:
  static Result<Pattern> make(std::string_view pattern) {
    Pattern made;
    if (is_plain_words(pattern)) {
      for (const auto word : text::split(pattern, '|')) made.words_.push_back(fold_case(word));
      return made;
    }
    RE2::Options options;
    options.set_log_errors(false);
    options.set_never_capture(true);  // only whether it matches counts
    // Without upper-case letters, escapes (`\b`, `\S`) or named classes
    // (`[[:upper:]]`), a pattern finds the same in the folded text
    // case-sensitively: a smaller program, compiled and run in a third less
    // time (binding is paid by every run).
    made.matches_folded_ = std::none_of(pattern.begin(), pattern.end(), [](char c) { return c >= 'A' && c <= 'Z'; }) &&
                           !has_escaped_letter(pattern) && pattern.find("[:") == std::string_view::npos;
    options.set_case_sensitive(made.matches_folded_);
    made.regex_ = std::make_unique<RE2>(pattern.empty() ? std::string_view(".") : pattern, options);
    if (!made.regex_->ok()) return fail(made.regex_->error());
    return made;
  }

  // `folded` is fold_case(text).
  bool found_in(std::string_view text, std::string_view folded) const {
    if (regex_) return RE2::PartialMatch(matches_folded_ ? folded : text, *regex_);
    return std::any_of(words_.begin(), words_.end(),
                       [&](const std::string& word) { return folded.find(word) != std::string_view::npos; });
  }

 private:
  // Letters, digits and spaces, in non-empty alternatives: no character RE2
  // would read as anything but itself.
  static bool is_plain_words(std::string_view pattern) {
    if (pattern.empty()) return false;
    const auto words = text::split(pattern, '|');
    return std::all_of(words.begin(), words.end(), [](std::string_view word) {
      return !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ';
      });
    });
  }

  static bool has_escaped_letter(std::string_view pattern) {
    for (std::size_t i = 0; i + 1 < pattern.size(); ++i) {
      if (pattern[i] != '\\') continue;
      const char next = pattern[++i];
      if ((next >= 'a' && next <= 'z') || (next >= 'A' && next <= 'Z')) return true;
    }
    return false;
  }

  std::vector<std::string> words_;
  std::unique_ptr<RE2> regex_;
  bool matches_folded_ = false;
};

// The constitution as the clause matchers see it: each clause's section as
// an index into the distinct sections (checks of one family share a section
// matcher, "kubernetes" or "helm|chart", so it runs once per section, not
// once per clause and check).
struct Haystack {
  std::vector<std::string> sections;  // distinct section_joined() strings
  std::vector<std::vector<std::size_t>> clauses_of;  // per distinct section, its clauses' indices
  std::vector<std::size_t> section_of;  // per clause

  explicit Haystack(const constitution::Constitution& c) {
    section_of.reserve(c.clauses.size());
    // Looked up, not searched: a constitution of one clause per heading has
    // as many sections as clauses.
    std::unordered_map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < c.clauses.size(); ++i) {
      const auto [found, added] = index.try_emplace(c.clauses[i].section_joined(), sections.size());
      if (added) {
        sections.push_back(found->first);
        clauses_of.emplace_back();
      }
      section_of.push_back(found->second);
      clauses_of[found->second].push_back(i);
    }
  }

  // The clauses of `clause`'s section, in order.
  std::vector<const constitution::Clause*> section(const constitution::Constitution& c,
                                                   const constitution::Clause& clause) const {
    std::vector<const constitution::Clause*> out;
    const constitution::Clause* first = c.clauses.data();
    const bool in_constitution = std::greater_equal<const constitution::Clause*>{}(&clause, first) &&
                                 std::less<const constitution::Clause*>{}(&clause, first + c.clauses.size());
    if (!in_constitution) {
      for (const auto& other : c.clauses)
        if (other.section_path == clause.section_path) out.push_back(&other);
      return out;
    }
    // Joined paths may coincide where a heading holds " > ": the paths decide.
    for (const std::size_t i : clauses_of[section_of[static_cast<std::size_t>(&clause - first)]])
      if (c.clauses[i].section_path == clause.section_path) out.push_back(&c.clauses[i]);
    return out;
  }
};

// The distinct sections and the clauses' texts case-folded once, for the
// matchers (Pattern::found_in).
struct Folded {
  std::vector<std::string> sections;  // per distinct section
  std::vector<std::string> texts;     // per clause

  Folded(const Haystack& haystack, const constitution::Constitution& c) {
    sections.reserve(haystack.sections.size());
    for (const auto& section : haystack.sections) sections.push_back(fold_case(section));
    texts.reserve(c.clauses.size());
    for (const auto& clause : c.clauses) texts.push_back(fold_case(clause.text));
  }
};

// Which sections each distinct section matcher matches, worked out once.
class SectionMatches {
 public:
  SectionMatches(const Haystack& haystack, const Folded& folded) : haystack_(haystack), folded_(folded) {}

  // Per distinct section of the haystack: does `pattern` match it?
  Result<const std::vector<bool>*> of(std::string_view pattern) {
    for (const auto& [known, matches] : known_)
      if (known == pattern) return &matches;
    auto section = Pattern::make(pattern);
    if (!section) return std::unexpected(section.error());
    std::vector<bool> matches;
    matches.reserve(haystack_.sections.size());
    for (std::size_t i = 0; i < haystack_.sections.size(); ++i)
      matches.push_back(section->found_in(haystack_.sections[i], folded_.sections[i]));
    known_.emplace_back(std::string(pattern), std::move(matches));
    return &known_.back().second;
  }

 private:
  const Haystack& haystack_;
  const Folded& folded_;
  std::deque<std::pair<std::string, std::vector<bool>>> known_;  // stable addresses
};

Result<const constitution::Clause*> find_clause(const CheckInfo& info, const constitution::Constitution& c,
                                                const Haystack& haystack, const Folded& folded,
                                                SectionMatches& section_matches) {
  auto invalid = [&](const Error& e) {
    return fail(fmt::format("check {} has an invalid clause matcher: {}", info.id, e.message));
  };
  auto in_section = section_matches.of(info.clause.section);
  if (!in_section) return invalid(in_section.error());
  auto text = Pattern::make(info.clause.text);
  if (!text) return invalid(text.error());
  for (std::size_t i = 0; i < c.clauses.size(); ++i)
    if ((**in_section)[haystack.section_of[i]] && text->found_in(c.clauses[i].text, folded.texts[i]))
      return &c.clauses[i];
  return nullptr;
}

// The clause each catalog check matched, in catalog order (null: none).
using ClauseMatches = std::vector<const constitution::Clause*>;

Result<ClauseMatches> match_clauses(const Catalog& catalog, const constitution::Constitution& c,
                                    const Haystack& haystack) {
  const Folded folded(haystack, c);
  SectionMatches section_matches(haystack, folded);
  ClauseMatches matches;
  matches.reserve(catalog.infos().size());
  for (const CheckInfo* info : catalog.infos()) {
    auto clause = find_clause(*info, c, haystack, folded, section_matches);
    if (!clause) return std::unexpected(clause.error());
    matches.push_back(*clause);
  }
  return matches;
}

// Matching compiles and runs a hundred regular expressions over every
// clause, a fifth of a small repository's run, and its outcome depends on
// nothing but the checks' matchers and the clauses' sections and texts: the
// cache entry is named by a digest of exactly those (core/cache.hpp), and
// of the version and a format number, to be raised when matching itself
// (Pattern, find_clause) changes.
std::string matches_entry_name(const Catalog& catalog, const constitution::Constitution& c) {
  // Each piece length-prefixed, so that no two inputs share a key; digested
  // in one piece, a tenth of the time of a digest fed piece by piece.
  std::string key = "constable clause matches 1 " CONSTABLE_VERSION;
  auto add = [&key](std::string_view piece) { fmt::format_to(std::back_inserter(key), " {}:{}", piece.size(), piece); };
  key += fmt::format(" {} checks", catalog.infos().size());
  for (const CheckInfo* info : catalog.infos()) {
    add(info->id);
    add(info->clause.section);
    add(info->clause.text);
  }
  key += fmt::format(" {} clauses", c.clauses.size());
  for (const auto& clause : c.clauses) {
    key += fmt::format(" {} headings", clause.section_path.size());
    for (const auto& heading : clause.section_path) add(heading);
    add(clause.text);
  }
  return fmt::format("clause-matches-{}.txt", digest::sha256_hex(key));
}

// One line per catalog check: the index of its clause, or "-".
std::string serialize(const ClauseMatches& matches, const constitution::Constitution& c) {
  std::string out;
  for (const constitution::Clause* clause : matches)
    out += clause == nullptr ? std::string("-\n") : fmt::format("{}\n", clause - c.clauses.data());
  return out;
}

// nullopt for an entry that is not one line per check, each "-" or the
// index of a clause: it is matched afresh and written again.
std::optional<ClauseMatches> deserialize(std::string_view entry, std::size_t checks,
                                         const constitution::Constitution& c) {
  ClauseMatches matches;
  matches.reserve(checks);
  for (const std::string_view line : text::split(entry, '\n')) {
    if (line.empty()) continue;
    if (line == "-") {
      matches.push_back(nullptr);
      continue;
    }
    std::size_t index = 0;
    const auto [end, error] = std::from_chars(line.data(), line.data() + line.size(), index);
    if (error != std::errc() || end != line.data() + line.size() || index >= c.clauses.size()) return std::nullopt;
    matches.push_back(&c.clauses[index]);
  }
  if (matches.size() != checks) return std::nullopt;
  return matches;
}

Result<ClauseMatches> match_clauses(const Catalog& catalog, const constitution::Constitution& c,
                                    const Haystack& haystack,
                                    const std::optional<std::filesystem::path>& cache_directory) {
  if (!cache_directory) return match_clauses(catalog, c, haystack);
  const std::string name = matches_entry_name(catalog, c);
  constexpr std::uintmax_t kMaxEntryBytes = 1024 * 1024;
  if (const auto entry = cache::read(*cache_directory, name, kMaxEntryBytes))
    if (auto matches = deserialize(*entry, catalog.infos().size(), c)) return std::move(*matches);
  auto matches = match_clauses(catalog, c, haystack);
  if (matches) cache::write(*cache_directory, name, serialize(*matches, c));
  return matches;
}

}  // namespace

const Binding* Plan::find(std::string_view check_id) const {
  for (const auto& b : bindings)
    if (b.check->info().id == check_id) return &b;
  return nullptr;
}

std::vector<const Binding*> Plan::for_clause(std::string_view clause_id) const {
  std::vector<const Binding*> out;
  for (const auto& b : bindings)
    if ((b.clause != nullptr && b.clause->id == clause_id) ||
        std::any_of(b.also_enforces.begin(), b.also_enforces.end(),
                    [&](const constitution::Clause* c) { return c->id == clause_id; }))
      out.push_back(&b);
  return out;
}

Result<Plan> bind(const Catalog& catalog, const constitution::Constitution& constitution, const Config& config,
                  const workspace::StackFacts& stack, const Selection& selection, std::vector<ExtraCheck> extra,
                  const std::optional<std::filesystem::path>& cache_directory) {
  auto plan = bind_clauses(catalog, constitution, config, selection, std::move(extra), cache_directory);
  if (plan) restrict_to_stack(*plan, stack);
  return plan;
}

void restrict_to_stack(Plan& plan, const workspace::StackFacts& stack) {
  for (auto& binding : plan.bindings) {
    const std::string_view needs = binding.check->info().stack;
    if (binding.status == BindingStatus::active && !needs.empty() && !stack.has(needs))
      binding.status = BindingStatus::not_applicable;
  }
}

Result<Plan> bind_clauses(const Catalog& catalog, const constitution::Constitution& constitution, const Config& config,
                          const Selection& selection, std::vector<ExtraCheck> extra,
                          const std::optional<std::filesystem::path>& cache_directory) {
  Plan plan;
  const Haystack haystack(constitution);
  auto matches = match_clauses(catalog, constitution, haystack, cache_directory);
  if (!matches) return std::unexpected(matches.error());
  std::vector<ExtraCheck> all;
  all.reserve(catalog.factories().size() + extra.size());
  for (std::size_t i = 0; i < catalog.factories().size(); ++i)
    all.push_back({.check = catalog.factories()[i](), .clause = (*matches)[i]});
  for (auto& check : extra) all.push_back(std::move(check));
  for (auto& [check, clause] : all) {
    Binding binding;
    binding.check = std::move(check);
    const CheckInfo& info = binding.check->info();
    binding.clause = clause;
    if (binding.clause == nullptr) {
      binding.status = BindingStatus::no_clause;
    } else {
      const std::vector<const constitution::Clause*> section = haystack.section(constitution, *binding.clause);
      auto bound = binding.check->bind(*binding.clause, config);
      if (bound) bound = binding.check->bind_section(section);
      if (bound) bound = binding.check->bind_related(constitution);
      if (!bound) {
        return fail(fmt::format("check {} cannot enforce clause {}: {}", info.id, binding.clause->id,
                                bound.error().message),
                    constitution.path, binding.clause->line);
      }
      binding.parameters = binding.check->bound_parameters();
      for (const constitution::Clause* c : binding.check->also_enforced())
        if (c != binding.clause) binding.also_enforces.push_back(c);
      binding.status = selected(info.id, selection) ? BindingStatus::active : BindingStatus::deselected;
    }
    plan.bindings.push_back(std::move(binding));
  }
  return plan;
}

}  // namespace constable::engine
