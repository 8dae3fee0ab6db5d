#include "constitution/parameters.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>

#include <re2/re2.h>

#include "constitution/internal.hpp"
#include "core/text.hpp"

namespace constable::constitution {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

std::optional<double> to_double(std::string_view s) {
  double value = 0;
  const auto* end = s.data() + s.size();
  const auto [ptr, ec] = std::from_chars(s.data(), end, value);
  if (ec != std::errc{} || ptr != end || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::optional<long long> to_integer(std::string_view s) {
  long long value = 0;
  const auto* end = s.data() + s.size();
  const auto [ptr, ec] = std::from_chars(s.data(), end, value);
  if (ec != std::errc{} || ptr != end) return std::nullopt;
  return value;
}

// Integers of `text` that are not part of a decimal number ("3.1" yields none),
// with their byte offsets and lengths.
struct IntegerToken {
  std::size_t offset;
  std::size_t length;
};
std::vector<IntegerToken> integer_tokens(std::string_view text) {
  std::vector<IntegerToken> out;
  std::size_t i = 0;
  while (i < text.size()) {
    if (!is_digit(text[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < text.size() && is_digit(text[j])) ++j;
    const bool after_point = i >= 2 && text[i - 1] == '.' && is_digit(text[i - 2]);
    const bool before_point = j + 1 < text.size() && text[j] == '.' && is_digit(text[j + 1]);
    const bool glued = i > 0 && is_alpha(text[i - 1]);  // "v5", "sha-abc1234" parts
    if (!after_point && !before_point && !glued) out.push_back({i, j - i});
    i = j;
  }
  return out;
}

std::string trim_copy(std::string_view s) { return std::string(text::trim(s)); }

}  // namespace

namespace detail {

double unit_milliseconds(DurationUnit unit) {
  switch (unit) {
    case DurationUnit::milliseconds: return 1.0;
    case DurationUnit::seconds: return 1000.0;
    case DurationUnit::minutes: return 60'000.0;
    case DurationUnit::hours: return 3'600'000.0;
    case DurationUnit::days: return 86'400'000.0;
    case DurationUnit::weeks: return 7 * 86'400'000.0;
    case DurationUnit::months: return 30 * 86'400'000.0;
    case DurationUnit::years: return 365 * 86'400'000.0;
  }
  return 1.0;
}

std::optional<DurationMatch> find_duration(std::string_view text) {
  static const RE2 pattern(
      R"((?i)(?:^|[^0-9.A-Za-z])(\d+(?:\.\d+)?)\s*-?\s*)"
      R"((milliseconds?|ms|seconds?|secs?|s|minutes?|mins?|hours?|hrs?|h|days?|d|weeks?|wks?|w|months?|years?|yrs?)\b)");
  re2::StringPiece input(text.data(), text.size());
  re2::StringPiece number;
  re2::StringPiece unit;
  if (!RE2::PartialMatch(input, pattern, &number, &unit)) return std::nullopt;
  const auto amount = to_double(std::string_view(number.data(), number.size()));
  if (!amount) return std::nullopt;
  DurationMatch match;
  match.amount = *amount;
  match.offset = static_cast<std::size_t>(number.data() - text.data());
  match.unit = duration_unit(std::string_view(unit.data(), unit.size()));
  return match;
}

DurationUnit duration_unit(std::string_view word) {
  const std::string u = text::to_lower(word);
  if (u == "ms" || u.starts_with("millisecond")) return DurationUnit::milliseconds;
  if (u == "s" || u.starts_with("sec")) return DurationUnit::seconds;
  if (u.starts_with("min")) return DurationUnit::minutes;
  if (u == "h" || u.starts_with("h")) return DurationUnit::hours;
  if (u == "d" || u.starts_with("day")) return DurationUnit::days;
  if (u == "w" || u.starts_with("w")) return DurationUnit::weeks;
  if (u.starts_with("month")) return DurationUnit::months;
  return DurationUnit::years;
}

double size_factor(std::string_view unit) {
  const std::string u = text::to_lower(unit);
  if (u.starts_with('k')) return 1024.0;
  if (u.starts_with('m')) return 1024.0 * 1024.0;
  if (u.starts_with('g')) return 1024.0 * 1024.0 * 1024.0;
  if (u.starts_with('t')) return 1024.0 * 1024.0 * 1024.0 * 1024.0;
  return 1.0;
}

}  // namespace detail

std::optional<double> capture_percentage(std::string_view text) {
  static const RE2 pattern(R"((\d+(?:\.\d+)?)\s*%)");
  re2::StringPiece number;
  if (!RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), pattern, &number)) return std::nullopt;
  return to_double(std::string_view(number.data(), number.size()));
}

std::optional<long long> capture_integer(std::string_view text) {
  for (const auto& token : integer_tokens(text)) {
    if (auto value = to_integer(text.substr(token.offset, token.length))) return value;
  }
  return std::nullopt;
}

std::optional<long long> capture_integer_before(std::string_view text,
                                                const std::vector<std::string_view>& units) {
  for (const auto& token : integer_tokens(text)) {
    std::size_t i = token.offset + token.length;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '-')) ++i;
    std::size_t j = i;
    while (j < text.size() && is_alpha(text[j])) ++j;
    const std::string_view word = text.substr(i, j - i);
    if (word.empty()) continue;
    for (std::string_view unit : units) {
      const bool plural = word.size() == unit.size() + 1 && (word.back() == 's' || word.back() == 'S') &&
                          text::iequals(word.substr(0, unit.size()), unit);
      if (text::iequals(word, unit) || plural) {
        if (auto value = to_integer(text.substr(token.offset, token.length))) return value;
      }
    }
  }
  return std::nullopt;
}

std::optional<std::uint64_t> capture_size_bytes(std::string_view text) {
  static const RE2 pattern(R"((?i)(?:^|[^0-9.])(\d+(?:\.\d+)?)\s*(kib|kb|mib|mb|gib|gb|tib|tb|bytes?)\b)");
  re2::StringPiece number;
  re2::StringPiece unit;
  if (!RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), pattern, &number, &unit))
    return std::nullopt;
  const auto amount = to_double(std::string_view(number.data(), number.size()));
  if (!amount) return std::nullopt;
  const double bytes = std::round(*amount * detail::size_factor(std::string_view(unit.data(), unit.size())));
  if (!(bytes >= 0) || bytes > 9.0e18) return std::nullopt;
  return static_cast<std::uint64_t>(bytes);
}

std::optional<std::chrono::milliseconds> capture_duration(std::string_view text) {
  const auto match = detail::find_duration(text);
  if (!match) return std::nullopt;
  const double ms = std::round(match->amount * detail::unit_milliseconds(match->unit));
  if (!(ms >= 0) || ms > 9.0e18) return std::nullopt;
  return std::chrono::milliseconds(static_cast<std::chrono::milliseconds::rep>(ms));
}

std::vector<std::string> capture_list(std::string_view text) {
  std::string_view body = text::trim(text);
  // "(Alpine/distroless/slim preferred)": the remark itself.
  if (body.size() >= 2 && body.front() == '(' && body.back() == ')') body = body.substr(1, body.size() - 2);
  // "Environment isolation: dev, staging, ...": the part after the label.
  if (const auto colon = body.find(": "); colon != std::string_view::npos) body = body.substr(colon + 2);

  std::vector<std::string> items;
  std::string current;
  auto flush = [&] {
    std::string item = trim_copy(current);
    while (!item.empty() && (item.back() == '.' || item.back() == ';')) item.pop_back();
    item = trim_copy(item);
    if (!item.empty()) items.push_back(std::move(item));
    current.clear();
  };
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (body[i] == ',' || body[i] == '/') {
      flush();
    } else if (body.substr(i).starts_with(" or ")) {
      flush();
      i += 3;
    } else if (body.substr(i).starts_with(" and ")) {
      flush();
      i += 4;
    } else {
      current += body[i];
    }
  }
  flush();
  if (items.size() < 2) return items;

  auto words = [](const std::string& s) { return text::split(s, ' '); };
  const bool any_single = std::any_of(items.begin(), items.end(),
                                      [&](const std::string& s) { return words(s).size() == 1; });
  if (any_single) {
    // "Skaffold or Tilt MUST be used" -> {"Skaffold", "Tilt"}: the prose around
    // the enumeration sticks to its first and last items.
    if (auto w = words(items.front()); w.size() > 1) items.front() = std::string(w.back());
    if (auto w = words(items.back()); w.size() > 1) items.back() = std::string(w.front());
  }
  return items;
}

std::vector<std::string> capture_parentheticals(std::string_view text) {
  std::vector<std::string> out;
  int depth = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '(') {
      if (depth == 0) start = i + 1;
      ++depth;
    } else if (text[i] == ')' && depth > 0) {
      --depth;
      if (depth == 0) {
        std::string inner = trim_copy(text.substr(start, i - start));
        if (!inner.empty()) out.push_back(std::move(inner));
      }
    }
  }
  return out;
}

std::optional<Tree> capture_tree(std::string_view code_block) {
  struct Line {
    std::size_t column;  // visual column where the name starts
    std::string name;
    std::string comment;
    int offset;
  };
  std::vector<Line> lines;
  const auto raw_lines = text::split_lines(code_block);
  for (std::size_t n = 0; n < raw_lines.size(); ++n) {
    std::string_view line = raw_lines[n];
    std::size_t column = 0;
    std::size_t i = 0;
    bool drawing = false;  // the previous character was part of a drawing
    // Skip indentation and box-drawing characters, counting visual columns.
    while (i < line.size()) {
      if (line[i] == ' ') { ++column; ++i; drawing = false; continue; }
      if (line[i] == '\t') { column += 4; ++i; drawing = false; continue; }
      const std::string_view rest = line.substr(i);
      if (rest.starts_with("\xE2\x94\x82") || rest.starts_with("\xE2\x94\x9C") ||
          rest.starts_with("\xE2\x94\x94") || rest.starts_with("\xE2\x94\x80")) {  // │ ├ └ ─
        ++column;
        i += 3;
        drawing = true;
        continue;
      }
      // ASCII drawings: "|-- ", "`-- ", "+-- ".
      if (line[i] == '|' || line[i] == '`' || line[i] == '+' || (line[i] == '-' && drawing)) {
        ++column;
        ++i;
        drawing = true;
        continue;
      }
      break;
    }
    std::string_view content = line.substr(i);
    std::string comment;
    // A '#' that starts the content or follows whitespace begins a comment.
    for (std::size_t k = 0; k < content.size(); ++k) {
      if (content[k] == '#' && (k == 0 || content[k - 1] == ' ' || content[k - 1] == '\t')) {
        comment = trim_copy(content.substr(k + 1));
        content = content.substr(0, k);
        break;
      }
    }
    std::string name = trim_copy(content);
    if (name.empty() || name == "..." || name == "\xE2\x80\xA6") continue;
    lines.push_back({column, std::move(name), std::move(comment), static_cast<int>(n)});
  }
  if (lines.empty()) return std::nullopt;

  Tree tree;
  std::size_t first = 0;
  const bool root_like =
      lines[0].name.ends_with('/') &&
      std::all_of(lines.begin() + 1, lines.end(), [&](const Line& l) { return l.column > lines[0].column; });
  if (root_like) {
    tree.root = lines[0].name;
    first = 1;
  }
  // Stack of (column, path) of the open directories.
  std::vector<std::pair<std::size_t, std::size_t>> stack;  // column, entry index
  for (std::size_t k = first; k < lines.size(); ++k) {
    const Line& line = lines[k];
    while (!stack.empty() && stack.back().first >= line.column) stack.pop_back();
    std::string prefix;
    if (!stack.empty()) {
      TreeEntry& parent = tree.entries[stack.back().second];
      if (!parent.directory) {  // it has children, so it is a directory
        parent.directory = true;
        parent.path += '/';
      }
      prefix = parent.path;
    }
    TreeEntry entry;
    entry.path = prefix + line.name;
    entry.directory = line.name.ends_with('/');
    entry.comment = line.comment;
    entry.line_offset = line.offset;
    tree.entries.push_back(std::move(entry));
    stack.emplace_back(line.column, tree.entries.size() - 1);
  }
  if (tree.entries.empty()) return std::nullopt;
  return tree;
}

namespace {

// Words before a number that bound it from below or above, nearest first.
Bound bound_before(std::string_view before) {
  static const RE2 at_least(R"((?i)(?:\bminimum|\bmin\.?|\bat least|>=|\x{2265}|>|\bmore than|\bover|\bno less than)\W*$)");
  static const RE2 at_most(
      R"((?i)(?:\bmaximum|\bmax\.?|\bat most|<=|\x{2264}|<|\bunder|\bwithin|\bless than|\bfewer than|\bno more than|)"
      R"(\bup to|\blimit|\bbelow|\bbudgets?|\btimeouts?)\W*$)");
  // A label names the bound further off: "Maximum subagent depth: 3 levels".
  static const RE2 label_at_least(R"((?i)\b(?:minimum|min\.?|at least)\b)");
  static const RE2 label_at_most(R"((?i)\b(?:maximum|max\.?|at most)\b)");
  const re2::StringPiece input(before.data(), before.size());
  if (RE2::PartialMatch(input, at_least)) return Bound::at_least;
  if (RE2::PartialMatch(input, at_most)) return Bound::at_most;
  if (RE2::PartialMatch(input, label_at_least)) return Bound::at_least;
  if (RE2::PartialMatch(input, label_at_most)) return Bound::at_most;
  return Bound::unknown;
}

Bound bound_after(std::string_view after) {
  static const RE2 at_least(R"((?i)^\s*(?:\+|or more\b|or higher\b|or greater\b|minimum\b|at least\b))");
  static const RE2 at_most(R"((?i)^\s*(?:or less\b|or fewer\b|or lower\b|maximum\b|at most\b))");
  const re2::StringPiece input(after.data(), after.size());
  if (RE2::PartialMatch(input, at_least)) return Bound::at_least;
  if (RE2::PartialMatch(input, at_most)) return Bound::at_most;
  return Bound::unknown;
}

// The words just before `offset`, back to the previous number, clause
// boundary or four words: "Maximum subagent depth: " for "3 levels".
std::string_view window_before(std::string_view text, std::size_t offset) {
  std::size_t start = offset;
  int words = 0;
  while (start > 0) {
    const char c = text[start - 1];
    if (c == ',' || c == ';' || c == '(' || is_digit(c)) break;
    if (c == ' ' && start < offset && text[start] != ' ' && ++words == 5) break;
    --start;
  }
  return text.substr(start, offset - start);
}

}  // namespace

std::vector<Quantity> quantities(std::string_view text) {
  // A number, an optional hyphen ("6-month"), and what it counts: a unit or
  // the noun after it. Numbers glued to letters (P95, v2, sha-abc1234) or in
  // versions (1.2.3) and standards (RFC 7807) are names, not quantities.
  static const RE2 number(R"((\d+(?:\.\d+)?)(\s*%|\s*-?\s*[A-Za-z]+)?)");
  static const RE2 name_before(R"((?i)(?:\b(?:rfc|iso|tier|article|phase|step|stage|v|version)\s*|#)$)");
  std::vector<Quantity> out;
  re2::StringPiece input(text.data(), text.size());
  re2::StringPiece digits;
  re2::StringPiece unit;
  while (RE2::FindAndConsume(&input, number, &digits, &unit)) {
    const auto offset = static_cast<std::size_t>(digits.data() - text.data());
    const std::size_t number_end = offset + digits.size();
    const char before = offset > 0 ? text[offset - 1] : ' ';
    const bool glued = is_alpha(before) || before == '_' || before == '-' || before == '.' || before == '/';
    const bool version = number_end < text.size() && text[number_end] == '.' && number_end + 1 < text.size() &&
                         is_digit(text[number_end + 1]);
    const std::string_view preceding = text.substr(0, offset);
    const bool named = RE2::PartialMatch(re2::StringPiece(preceding.data(), preceding.size()), name_before);
    if (glued || version || named) continue;
    const auto value = to_double(std::string_view(digits.data(), digits.size()));
    if (!value) continue;
    Quantity q;
    q.value = *value;
    q.comparable = *value;
    std::string word = unit.data() == nullptr ? std::string{} : std::string(text::trim(std::string_view(unit.data(), unit.size())));
    if (!word.empty() && word.front() == '-') word = std::string(text::trim(std::string_view(word).substr(1)));
    std::size_t end = number_end + (unit.data() == nullptr ? 0 : unit.size());
    // "Level 2 minimum", "3 or more": a bound or a joining word, not what is counted.
    static const RE2 not_a_noun(R"((?i)minimum|maximum|min|max|or|and|at|to|per|of|in|for|the|a|an|is|are|be)");
    if (RE2::FullMatch(word, not_a_noun)) {
      word.clear();
      end = number_end;
    }
    static const RE2 duration_word(
        R"((?i)milliseconds?|ms|seconds?|secs?|s|minutes?|mins?|hours?|hrs?|h|days?|d|weeks?|wks?|w|months?|years?|yrs?)");
    static const RE2 size_word(R"((?i)kib|kb|mib|mb|gib|gb|tib|tb|bytes?)");
    if (word == "%") {
      q.unit = "%";
    } else if (RE2::FullMatch(word, duration_word)) {
      const auto kind = detail::duration_unit(word);
      q.unit = word;
      q.comparable = *value * detail::unit_milliseconds(kind);
      q.kind = Quantity::Kind::duration;
    } else if (RE2::FullMatch(word, size_word)) {
      q.unit = word;
      q.comparable = *value * detail::size_factor(word);
      q.kind = Quantity::Kind::size;
    } else {
      q.unit = text::to_lower(word);  // the counted noun, "partitions"; "" for a bare number
      if (q.unit.size() > 1 && q.unit.back() == 's') q.unit.pop_back();
    }
    if (q.unit == "%") q.kind = Quantity::Kind::percentage;
    q.offset = offset;
    q.length = end - offset;
    q.text = std::string(text.substr(offset, q.length));
    q.bound = bound_before(window_before(text, offset));
    if (q.bound == Bound::unknown) q.bound = bound_after(text.substr(end));
    out.push_back(std::move(q));
  }
  return out;
}

std::string replace_quantities(std::string_view text, const std::vector<Quantity>& found, std::string_view with) {
  std::string out;
  std::size_t at = 0;
  for (const Quantity& q : found) {
    out.append(text.substr(at, q.offset - at));
    out.append(with);
    at = q.offset + q.length;
  }
  out.append(text.substr(at));
  return out;
}

std::set<std::string> clause_words(std::string_view text) {
  std::set<std::string> out;
  std::string word;
  for (const char c : text) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c & 0x80) != 0) {
      word += c;
    } else if (c >= 'A' && c <= 'Z') {
      word += static_cast<char>(c - 'A' + 'a');
    } else if (!word.empty()) {
      out.insert(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) out.insert(std::move(word));
  return out;
}

Direction direction(const Quantity& before, const Quantity& after) {
  const bool comparable = before.kind == after.kind && before.bound == after.bound &&
                          (before.kind != Quantity::Kind::count || before.unit == after.unit);
  if (!comparable || before.bound == Bound::unknown) return Direction::unknown;
  if (before.comparable == after.comparable) return Direction::same;
  const bool higher = after.comparable > before.comparable;
  return (before.bound == Bound::at_least) == higher ? Direction::tightened : Direction::loosened;
}

}  // namespace constable::constitution
