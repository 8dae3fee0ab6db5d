#include "core/text.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>

#include <string.h>  // memmem, a GNU extension <cstring> does not declare

#include <fmt/format.h>

namespace constable::text {

namespace {
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
char upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

// Length of the valid UTF-8 sequence starting at s[i], or 0 if invalid.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) return 1;
  std::size_t n = 0;
  std::uint32_t min = 0;
  std::uint32_t cp = 0;
  if ((b0 & 0xE0) == 0xC0) { n = 2; min = 0x80; cp = b0 & 0x1F; }
  else if ((b0 & 0xF0) == 0xE0) { n = 3; min = 0x800; cp = b0 & 0x0F; }
  else if ((b0 & 0xF8) == 0xF0) { n = 4; min = 0x10000; cp = b0 & 0x07; }
  else return 0;
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}
}  // namespace

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower(c);
  return out;
}

std::string to_upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = upper(c);
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

bool contains(std::string_view haystack, std::string_view needle) {
  return find(haystack, needle) != std::string_view::npos;
}

namespace {

// How common a byte is in the text checks read (YAML, code, prose), higher
// is commoner; bytes not listed (digits, most punctuation, upper-case
// letters fold to lower) count as rare.
int commonness(char c) {
  static constexpr std::string_view kCommonestFirst = " etaoinsrhldcu\n-:m.\"/fpgwybvk_xjqz";
  const std::size_t at = kCommonestFirst.find(lower(c));
  return at == std::string_view::npos ? 0 : static_cast<int>(kCommonestFirst.size() - at);
}

const char* memmem_from(std::string_view haystack, std::size_t from, std::string_view needle) {
  return static_cast<const char*>(
      ::memmem(haystack.data() + from, haystack.size() - from, needle.data(), needle.size()));
}

}  // namespace

std::size_t find(std::string_view haystack, std::string_view needle, std::size_t from) {
  constexpr auto npos = std::string_view::npos;
  if (from > haystack.size()) return npos;
  if (needle.empty()) return from;
  // Also keeps an empty view's null pointer away from memchr and memmem.
  if (haystack.size() - from < needle.size()) return npos;
  // glibc's memmem walks a one- or two-byte needle a byte at a time ("k6",
  // "{{" over every file: 8x slower than memchr on its first byte).
  if (needle.size() <= 2) return haystack.find(needle, from);
  // Candidates are found by memchr for the needle's rarest byte. memmem sets
  // up its tables on every call, and checks call again after each near miss
  // ("expr" through every "matchExpressions" of a CRD); it stops at every
  // "e" too.
  std::size_t anchor = 0;
  const auto rarity = [](char c) { return c >= 'A' && c <= 'Z' ? 0 : commonness(c); };
  for (std::size_t i = 1; i < needle.size(); ++i)
    if (rarity(needle[i]) < rarity(needle[anchor])) anchor = i;
  const std::size_t last = haystack.size() - needle.size();  // the last start a match can have
  std::size_t candidates = 0;
  for (std::size_t at = from + anchor;;) {
    const void* hit = std::memchr(haystack.data() + at, needle[anchor], haystack.size() - at);
    if (hit == nullptr) return npos;
    const std::size_t start = static_cast<std::size_t>(static_cast<const char*>(hit) - haystack.data()) - anchor;
    if (start > last) return npos;
    if (std::memcmp(haystack.data() + start, needle.data(), needle.size()) == 0) return start;
    at = start + anchor + 1;
    // A text dense with the anchor (a run of one byte): memmem, linear whatever the text, for the rest.
    if (++candidates > 16 && candidates * 16 > at - from) {
      const char* found = memmem_from(haystack, start + 1, needle);
      return found == nullptr ? npos : static_cast<std::size_t>(found - haystack.data());
    }
  }
}

bool icontains(std::string_view haystack, std::string_view needle) {
  if (needle.empty()) return true;
  if (needle.size() > haystack.size()) return false;
  // Candidates are found by memchr for each case of the needle's rarest
  // byte: checks ask this of whole files, tens of megabytes on a chart
  // repository, and a common first byte ('s' of "sampl") stops memchr every
  // few bytes.
  std::size_t anchor = 0;
  for (std::size_t i = 1; i < needle.size(); ++i)
    if (commonness(needle[i]) < commonness(needle[anchor])) anchor = i;
  constexpr auto npos = std::string_view::npos;
  const char anchor_lower = lower(needle[anchor]);
  const char anchor_upper = upper(needle[anchor]);
  const std::size_t last = haystack.size() - needle.size();  // the last start a match can have
  std::size_t next_lower = haystack.find(anchor_lower, anchor);
  std::size_t next_upper = anchor_upper == anchor_lower ? npos : haystack.find(anchor_upper, anchor);
  for (;;) {
    const std::size_t at = std::min(next_lower, next_upper);
    if (at == npos || at - anchor > last) return false;
    if (iequals(haystack.substr(at - anchor, needle.size()), needle)) return true;
    if (at == next_lower) next_lower = haystack.find(anchor_lower, at + 1);
    if (at == next_upper) next_upper = haystack.find(anchor_upper, at + 1);
  }
}

std::vector<std::string_view> split(std::string_view s, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == separator) {
      parts.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return parts;
}

bool LineCursor::next(std::string_view& line) {
  if (at_ >= s_.size()) return false;
  const std::size_t start = at_;
  if (newline_ < start) newline_ = s_.find('\n', start);
  if (carriage_return_ < start) carriage_return_ = s_.find('\r', start);
  const std::size_t end = std::min(newline_, carriage_return_);
  if (end == std::string_view::npos) {
    line = s_.substr(start);
    at_ = s_.size();
    return true;
  }
  line = s_.substr(start, end - start);
  at_ = end + (s_[end] == '\r' && end + 1 < s_.size() && s_[end + 1] == '\n' ? 2 : 1);
  return true;
}

std::vector<std::string_view> split_lines(std::string_view s) {
  std::vector<std::string_view> lines;
  // Sized once: a line per '\n' (and per lone '\r', rare, added as they come).
  lines.reserve(static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n')) + 1);
  LineCursor cursor(s);
  for (std::string_view line; cursor.next(line);) lines.push_back(line);
  return lines;
}

std::string_view strip_bom(std::string_view s) {
  if (s.starts_with("\xEF\xBB\xBF")) s.remove_prefix(3);
  return s;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::optional<std::size_t> first_invalid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    // ASCII, eight bytes at a time.
    constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;
    std::uint64_t word = 0;
    while (i + sizeof word <= s.size() && (std::memcpy(&word, s.data() + i, sizeof word), (word & kHighBits) == 0))
      i += sizeof word;
    if (i == s.size()) break;
    const std::size_t n = utf8_sequence_length(s, i);
    if (n == 0) return i;
    i += n;
  }
  return std::nullopt;
}

std::string sanitize_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = utf8_sequence_length(s, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

bool looks_binary(std::string_view s) {
  return s.substr(0, 8000).find('\0') != std::string_view::npos;
}

int codepoint_column(std::string_view line, int byte_column) {
  if (byte_column <= 1) return byte_column;
  const auto limit = std::min<std::size_t>(static_cast<std::size_t>(byte_column - 1), line.size());
  int column = 1;
  for (std::size_t i = 0; i < limit; ++i) {
    // Count every byte that does not continue a multi-byte sequence.
    if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80) ++column;
  }
  return column + static_cast<int>(static_cast<std::size_t>(byte_column - 1) - limit);
}

CodepointColumns::CodepointColumns(std::string_view line) : line_(line) {
  before_.reserve(line.size() / kStride + 1);
  int count = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (i % kStride == 0) before_.push_back(count);
    if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80) ++count;
  }
}

int CodepointColumns::of(int byte_column) const {
  if (byte_column <= 1 || before_.empty()) return codepoint_column(line_, byte_column);
  // From the last checkpoint at or before the column: the rest of the line
  // counted as a line of its own.
  const auto limit = std::min<std::size_t>(static_cast<std::size_t>(byte_column - 1), line_.size());
  const std::size_t checkpoint = std::min(limit / kStride, before_.size() - 1);
  const std::size_t start = checkpoint * kStride;
  return before_[checkpoint] + codepoint_column(line_.substr(start), byte_column - static_cast<int>(start));
}

std::string shorten(std::string_view s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) return std::string(s);
  constexpr std::string_view kEllipsis = "\u2026";
  if (max_bytes < kEllipsis.size()) return {};
  std::size_t cut = max_bytes - kEllipsis.size();
  // Back up over continuation bytes (10xxxxxx) to a character's first byte.
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return std::string(s.substr(0, cut)) + std::string(kEllipsis);
}

std::string slugify(std::string_view s, std::size_t max_words) {
  std::string out;
  std::size_t words = 0;
  bool pending_dash = false;
  for (char c : s) {
    const char l = lower(c);
    const bool word_char = (l >= 'a' && l <= 'z') || (l >= '0' && l <= '9');
    if (word_char) {
      if (pending_dash || out.empty()) {
        if (max_words != 0 && words == max_words) break;
        ++words;
      }
      if (pending_dash && !out.empty()) out += '-';
      pending_dash = false;
      out += l;
    } else if (!out.empty()) {
      pending_dash = true;
    }
  }
  return out;
}

std::string redact(std::string_view secret) {
  // Show at most a quarter of the value, and never more than 4 characters.
  const std::size_t shown = std::min<std::size_t>(4, secret.size() / 4);
  std::string prefix = sanitize_utf8(secret.substr(0, shown));
  return fmt::format("{}…({} chars)", prefix, secret.size());
}

std::string redact_spans(std::string_view s, std::vector<std::pair<std::size_t, std::size_t>> spans,
                         std::size_t limit) {
  std::sort(spans.begin(), spans.end());
  std::string out;
  std::size_t cursor = 0;
  // Appends s[cursor, to), but no more than one byte past the limit (called while out.size() <= limit).
  auto keep_until = [&](std::size_t to) {
    const std::size_t left = limit - out.size();
    const std::size_t room = left == std::string::npos ? left : left + 1;
    out.append(s.substr(cursor, std::min(to - cursor, room)));
    cursor = to;
  };
  for (std::size_t i = 0; i < spans.size() && out.size() <= limit;) {
    const std::size_t begin = std::min(spans[i].first, s.size());
    std::size_t end = std::min(spans[i].second, s.size());
    for (++i; i < spans.size() && std::min(spans[i].first, s.size()) < end; ++i)
      end = std::max(end, std::min(spans[i].second, s.size()));
    if (end <= begin) continue;
    keep_until(begin);
    if (out.size() > limit) return out;
    out += redact(s.substr(begin, end - begin));
    cursor = end;
  }
  if (out.size() <= limit) keep_until(s.size());
  return out;
}

std::uint64_t fnv1a64(std::string_view data, std::uint64_t seed) {
  std::uint64_t h = seed;
  for (char c : data) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::string hex64(std::uint64_t value) { return fmt::format("{:016x}", value); }

double shannon_entropy(std::string_view s) {
  if (s.empty()) return 0.0;
  std::array<std::size_t, 256> counts{};
  for (char c : s) ++counts[static_cast<unsigned char>(c)];
  double entropy = 0.0;
  const auto n = static_cast<double>(s.size());
  for (std::size_t count : counts) {
    if (count == 0) continue;
    const double p = static_cast<double>(count) / n;
    entropy -= p * std::log2(p);
  }
  return entropy;
}

std::string_view basename(std::string_view path) {
  const auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string_view dirname(std::string_view path) {
  const auto slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string_view{} : path.substr(0, slash);
}

std::vector<std::pair<std::size_t, std::size_t>> url_credential_spans(std::string_view url, bool user_alone_is_secret) {
  std::vector<std::pair<std::size_t, std::size_t>> spans;
  const auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return spans;
  const std::size_t authority = scheme + 3;
  const std::size_t authority_end = std::min(url.find_first_of("/?#", authority), url.size());
  const std::size_t at = url.substr(0, authority_end).rfind('@');
  if (at != std::string_view::npos && at >= authority) {
    const std::string_view user_part = url.substr(authority, at - authority);
    if (const std::size_t colon = user_part.find(':'); colon != std::string_view::npos)
      spans.emplace_back(authority + colon + 1, at);
    else if (user_alone_is_secret && !user_part.empty() && user_part != "git")
      spans.emplace_back(authority, at);
  }
  const std::size_t query = url.find('?', authority);
  if (query == std::string_view::npos) return spans;
  const std::size_t query_end = std::min(url.find('#', query), url.size());
  for (std::size_t start = query + 1; start < query_end;) {
    const std::size_t end = std::min(url.find('&', start), query_end);
    if (url.substr(start, end - start).starts_with("password=")) spans.emplace_back(start + 9, end);
    start = end + 1;
  }
  return spans;
}

std::string redact_url(std::string_view url, bool user_alone_is_secret) {
  std::string out(url);
  const auto spans = url_credential_spans(url, user_alone_is_secret);
  for (auto it = spans.rbegin(); it != spans.rend(); ++it)  // from the end: earlier offsets stay valid
    out.replace(it->first, it->second - it->first, "***");
  return out;
}

}  // namespace constable::text
