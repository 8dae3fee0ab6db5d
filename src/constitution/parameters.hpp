#pragma once
// Parameters captured from clause text, so that amending a number in the
// constitution changes what a check enforces.

#include <chrono>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace constable::constitution {

// "25%" -> 25.0; first percentage in the text.
std::optional<double> capture_percentage(std::string_view text);
// First integer: "minimum 3 partitions" -> 3, "10 revisions" -> 10.
std::optional<long long> capture_integer(std::string_view text);
// First integer followed by one of `units` (case-insensitive word):
// capture_integer_before("history limit: 10 revisions", {"revisions"}) -> 10.
std::optional<long long> capture_integer_before(std::string_view text,
                                                const std::vector<std::string_view>& units);
// "< 200KB gzipped" -> 204800 bytes (KB, KiB, MB, MiB, GB, GiB; 1 KB = 1024 B).
std::optional<std::uint64_t> capture_size_bytes(std::string_view text);
// "2.5s", "100ms", "24-hour", "7 days", "2 weeks", "6 months" -> milliseconds.
std::optional<std::chrono::milliseconds> capture_duration(std::string_view text);
// The items of an enumeration: "dev, staging, production namespaces" ->
// {"dev", "staging", "production"}; "(Alpine/distroless/slim preferred)" ->
// {"Alpine", "distroless", "slim"}. Splits on ',', '/', " or ", " and ".
std::vector<std::string> capture_list(std::string_view text);
// Parenthesised remarks: "Image size MUST be minimized (Alpine Linux preferred
// for production)" -> {"Alpine Linux preferred for production"}.
std::vector<std::string> capture_parentheticals(std::string_view text);

// A number a clause states, with what it counts and which way it binds:
// "minimum 3 partitions", "< 500ms", "within 48 hours", "80% code coverage".
enum class Bound : std::uint8_t { at_least, at_most, unknown };
struct Quantity {
  enum class Kind : std::uint8_t { count, percentage, duration, size };
  double value = 0;
  std::string unit;          // "%", "ms", "hours", "KB", or the counted noun ("partition"), "" for none
  Kind kind = Kind::count;
  double comparable = 0;     // durations in milliseconds, sizes in bytes, else the value
  Bound bound = Bound::unknown;
  std::size_t offset = 0;    // in the text
  std::size_t length = 0;
  std::string text;          // "3 partitions", "500ms", "6-month"
};
// Every quantity of `text`, in order. Numbers that name things are left
// out: glued to letters (P95, v2), versions (1.2.3), standards (RFC 7807),
// tiers, phases and steps ("Tier 1").
std::vector<Quantity> quantities(std::string_view text);
// What changing `before` into `after` does to the rule: tightened (a
// minimum raised, a maximum lowered), loosened, the same, or unknown when
// they do not compare (another unit, no bound).
enum class Direction : std::uint8_t { tightened, loosened, same, unknown };
Direction direction(const Quantity& before, const Quantity& after);
// `text` with each of `found` (quantities(text)) replaced by `with`:
// "minimum # partitions" tells two clauses apart by all but their numbers.
std::string replace_quantities(std::string_view text, const std::vector<Quantity>& found, std::string_view with);
// The lower-case words of a clause, letters, digits and any non-ASCII
// character (so "繁體中文" is a word); what clauses are compared by.
std::set<std::string> clause_words(std::string_view text);

// Paths prescribed by a file-tree code block (├── / └── / │ drawing or
// indentation), relative to the tree's root, directories ending in '/':
// {"Chart.yaml", "values.yaml", "templates/", "templates/deployment.yaml", ...}.
// Trailing '# comments' are ignored.
struct TreeEntry {
  std::string path;
  bool directory = false;
  std::string comment;
  int line_offset = 0;  // 0-based line within the block
};
struct Tree {
  std::string root;  // "chart/" (the first line), empty if none
  std::vector<TreeEntry> entries;
};
std::optional<Tree> capture_tree(std::string_view code_block);

}  // namespace constable::constitution
