#pragma once
// Small text utilities used across parsers, checks and reporters. Everything
// works on bytes of (possibly invalid) UTF-8 and never throws.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace constable::text {

std::string_view trim(std::string_view s);
std::string to_lower(std::string_view s);
std::string to_upper(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
bool icontains(std::string_view haystack, std::string_view needle);
// Whether `needle` occurs in `haystack`. For a file's whole text: glibc's
// memmem is several times faster there than find(), which stops at every
// occurrence of the needle's first byte ('a' of "asyncapi" in YAML).
bool contains(std::string_view haystack, std::string_view needle);
// Where `needle` first occurs in `haystack` at or after `from` (npos if
// nowhere), as fast as contains(): for loops over a whole file's occurrences,
// and for needles whose first bytes are common ("expr" near every
// "matchExpressions"), which it finds by their rarest byte.
std::size_t find(std::string_view haystack, std::string_view needle, std::size_t from = 0);
std::vector<std::string_view> split(std::string_view s, char separator);

// Splits into lines without their terminators; accepts \n, \r\n and a lone \r.
// A final line without terminator is kept; a trailing terminator adds no line.
std::vector<std::string_view> split_lines(std::string_view s);

// The lines split_lines gives, one at a time, for a pass that needs no
// vector of them all (a 5 MB CHANGELOG is 100,000 lines).
class LineCursor {
 public:
  explicit LineCursor(std::string_view s) : s_(s), newline_(s.find('\n')), carriage_return_(s.find('\r')) {}
  // The next line, or false at the end.
  bool next(std::string_view& line);

 private:
  std::string_view s_;
  std::size_t at_ = 0;
  // The next of each terminator at or after at_ (npos: none), each looked
  // for again only once passed: linear even where one kind is rare.
  std::size_t newline_;
  std::size_t carriage_return_;
};

// Removes a leading UTF-8 byte order mark.
std::string_view strip_bom(std::string_view s);

// Byte offset of the first invalid UTF-8 sequence, or nullopt if valid.
std::optional<std::size_t> first_invalid_utf8(std::string_view s);
// Appends code point `cp` as UTF-8 (escapes in Dockerfiles, Go templates and Rego strings).
void append_utf8(std::string& out, std::uint32_t cp);
// Copy with every invalid sequence replaced by U+FFFD, safe for JSON and XML.
std::string sanitize_utf8(std::string_view s);
// Heuristic used by git: a NUL byte in the first 8000 bytes means binary.
bool looks_binary(std::string_view s);

// 1-based code-point column of the 1-based byte column `byte_column` in `line`.
int codepoint_column(std::string_view line, int byte_column);

// codepoint_column for many columns of one line: after one pass over the
// line, each answer counts at most kStride bytes. Thousands of findings on
// one line of minified JSON each counted from the line's start.
class CodepointColumns {
 public:
  static constexpr std::size_t kStride = 256;
  explicit CodepointColumns(std::string_view line);
  int of(int byte_column) const;

 private:
  std::string_view line_;
  std::vector<int> before_;  // code points before byte i * kStride
};

// `s` cut to at most `max_bytes` bytes at a UTF-8 character boundary, with
// "…" as its last character when it was cut.
std::string shorten(std::string_view s, std::size_t max_bytes);

// Lower-case ASCII slug of words: "Non-root user MUST be specified" ->
// "non-root-user-must-be-specified". At most `max_words` words (0 = all).
std::string slugify(std::string_view s, std::size_t max_words = 0);

// A secret, shortened so that it can be shown: a short prefix and the
// length, e.g. "AKIA…(20 chars)". Never returns the whole value.
std::string redact(std::string_view secret);
// `s` with each byte span [begin, end) of `spans` redacted, once: spans that
// overlap are redacted as one; ends past the end of `s` are clamped. Building
// stops once the result is longer than `limit` bytes (for a bounded excerpt).
std::string redact_spans(std::string_view s, std::vector<std::pair<std::size_t, std::size_t>> spans,
                         std::size_t limit = std::string::npos);

// Where a URL (scheme://user:password@host/path?query) carries credentials,
// as byte spans [begin, end) in order: the password of its user part, the
// values of its `password=` query parameters, and, with
// `user_alone_is_secret`, a user part without a password unless it is "git"
// (git hosts take a token as the user name: https://TOKEN@github.com/...;
// a database's user name is no secret).
std::vector<std::pair<std::size_t, std::size_t>> url_credential_spans(std::string_view url, bool user_alone_is_secret);
// `url` with each of those spans replaced by "***", for messages and stores.
std::string redact_url(std::string_view url, bool user_alone_is_secret);

// Stable 64-bit FNV-1a hash, as 16 lower-case hex digits (fingerprints).
std::uint64_t fnv1a64(std::string_view data, std::uint64_t seed = 0xcbf29ce484222325ULL);
std::string hex64(std::uint64_t value);

// Shannon entropy in bits per character.
double shannon_entropy(std::string_view s);

// Workspace paths are relative and '/'-separated: "a/b/c.yaml" has the
// basename "c.yaml" and the dirname "a/b" ("" for a file at the root).
std::string_view basename(std::string_view path);
std::string_view dirname(std::string_view path);

}  // namespace constable::text
