#include "engine/snippet.hpp"

#include <algorithm>
#include <cstring>

#include "core/text.hpp"
#include "secrets/scanner.hpp"

namespace constable::engine {

namespace {

constexpr std::size_t kMaxSnippetBytes = 240;
// Bytes built past the limit, so that the last character shown is whole.
constexpr std::size_t kMaxUtf8Bytes = 4;
// Values are looked up by their first bytes; a shorter value quoted in a
// message is more likely a word than the secret.
constexpr std::size_t kMinKnownValueBytes = sizeof(std::uint32_t);

std::uint32_t first_bytes(std::string_view s) {
  std::uint32_t key = 0;
  std::memcpy(&key, s.data(), sizeof key);
  return key;
}

std::string bounded(std::string_view shown) {
  std::string safe = text::sanitize_utf8(shown);
  if (safe.size() > kMaxSnippetBytes) {
    std::size_t cut = kMaxSnippetBytes;
    while (cut > 0 && (static_cast<unsigned char>(safe[cut]) & 0xC0) == 0x80) --cut;
    safe = safe.substr(0, cut) + "…";
  }
  return safe;
}

}  // namespace

void FileSecrets::scan() const {
  if (scanned_) return;
  scanned_ = true;
  for (const auto& match : secrets::Scanner::builtin().scan(text_, path_)) {
    ranges_.push_back({match.line, match.column, match.end_line, match.end_column});
    const std::string_view value = text_.substr(match.offset, match.length);
    if (value.size() >= kMinKnownValueBytes) values_.emplace_back(first_bytes(value), value);
  }
  std::sort(values_.begin(), values_.end());
  values_.erase(std::unique(values_.begin(), values_.end()), values_.end());
}

std::span<const SourceRange> FileSecrets::on_line(int line) const {
  scan();
  // The scanner's matches are disjoint and in text order, so both their
  // first and their last lines ascend: those touching `line` are contiguous.
  const auto first =
      std::partition_point(ranges_.begin(), ranges_.end(), [&](const SourceRange& r) { return r.end_line < line; });
  const auto last = std::partition_point(first, ranges_.end(), [&](const SourceRange& r) { return r.line <= line; });
  return {first, last};
}

void FileSecrets::find_values(std::string_view message, Spans& spans) const {
  scan();
  if (values_.empty()) return;
  for (std::size_t at = 0; at + kMinKnownValueBytes <= message.size(); ++at) {
    const std::uint32_t key = first_bytes(message.substr(at));
    auto candidate = std::lower_bound(values_.begin(), values_.end(), key,
                                      [](const auto& entry, std::uint32_t k) { return entry.first < k; });
    for (; candidate != values_.end() && candidate->first == key; ++candidate)
      if (message.substr(at).starts_with(candidate->second)) spans.emplace_back(at, at + candidate->second.size());
  }
}

std::string make_snippet(std::string_view line, int line_number, std::span<const SourceRange> own,
                         std::span<const SourceRange> detected) {
  Spans spans;
  std::size_t redacted_bytes = 0;
  // False when the whole line must be hidden.
  auto add = [&](const SourceRange& s) {
    const int last_line = std::max(s.line, s.end_line);
    if (s.line > line_number || last_line < line_number) return true;
    // Inside a secret that began earlier (a key block), or a whole line marked.
    if (s.line < line_number || s.column <= 0) return false;
    const auto begin = static_cast<std::size_t>(s.column - 1);
    const bool to_line_end = last_line > line_number || s.end_column <= s.column;
    const std::size_t end = to_line_end ? line.size() : static_cast<std::size_t>(s.end_column - 1);
    spans.emplace_back(begin, end);
    redacted_bytes += end > begin ? end - begin : 0;
    return true;
  };
  for (const auto& s : own)
    if (!add(s)) return "[redacted]";
  // `detected` is in text order. One that begins after more plain bytes than
  // a snippet shows cannot change it, nor can any after it: a line holding
  // thousands of secrets costs each of its findings a bounded amount.
  for (const auto& s : detected) {
    if (s.line == line_number && s.column > 0 &&
        static_cast<std::size_t>(s.column - 1) > kMaxSnippetBytes + redacted_bytes)
      break;
    if (!add(s)) return "[redacted]";
  }
  return bounded(text::redact_spans(line, std::move(spans), kMaxSnippetBytes + kMaxUtf8Bytes));
}

std::vector<std::string_view> values_in(std::span<const SourceRange> secrets, std::span<const std::string_view> lines) {
  std::vector<std::string_view> values;
  for (const auto& s : secrets) {
    if (s.line < 1 || static_cast<std::size_t>(s.line) > lines.size() || s.column < 1) continue;
    if (s.end_line != s.line || s.end_column <= s.column) continue;
    const std::string_view line = lines[static_cast<std::size_t>(s.line - 1)];
    const auto begin = static_cast<std::size_t>(s.column - 1);
    if (begin >= line.size()) continue;
    values.push_back(line.substr(begin, static_cast<std::size_t>(s.end_column - s.column)));
  }
  return values;
}

std::string redact_message(std::string_view message, std::span<const std::string_view> known,
                           const FileSecrets* file) {
  Spans spans;
  for (const auto& match : secrets::Scanner::builtin().scan(message, {}))
    spans.emplace_back(match.offset, match.offset + match.length);
  for (const std::string_view value : known) {
    if (value.size() < kMinKnownValueBytes) continue;
    for (auto at = message.find(value); at != std::string_view::npos; at = message.find(value, at + 1))
      spans.emplace_back(at, at + value.size());
  }
  if (file != nullptr) file->find_values(message, spans);
  if (spans.empty()) return text::sanitize_utf8(message);
  return text::sanitize_utf8(text::redact_spans(message, std::move(spans)));
}

}  // namespace constable::engine
