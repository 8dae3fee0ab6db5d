#pragma once
// What users see of a file's content: the offending line (the snippet) and
// the message. A check marks the secrets it reports (Emission::secrets), but a
// line often holds secrets that another check, or no check, reports (an ENV
// line with a database URL and a token, a values key without a comment), so
// every snippet and message redacts every secret the scanner finds in the
// file as well as the emission's own, each once (text::redact).

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/types.hpp"

namespace constable::engine {

// Byte spans [begin, end) of a text.
using Spans = std::vector<std::pair<std::size_t, std::size_t>>;

// The secrets of one file's text (BOM stripped, as FileContext::text()),
// found by one scanner pass on first use: a file without findings is not scanned.
class FileSecrets {
 public:
  // `text` and `path` must outlive this object.
  FileSecrets(std::string_view text, std::string_view path) : text_(text), path_(path) {}

  // The secrets that start on, end on or pass through `line` (1-based).
  std::span<const SourceRange> on_line(int line) const;
  // Adds the span of every occurrence of one of the file's secret values in `message`.
  void find_values(std::string_view message, Spans& spans) const;

 private:
  void scan() const;

  std::string_view text_;
  std::string_view path_;
  mutable bool scanned_ = false;
  mutable std::vector<SourceRange> ranges_;  // disjoint, in text order
  // Values by their first four bytes, so a message is searched in one pass
  // however many secrets the file holds.
  mutable std::vector<std::pair<std::uint32_t, std::string_view>> values_;
};

// The line `line_number` as shown: each secret that touches it redacted once
// (`own`: the ranges the finding's check marked; `detected`: the file's
// secrets on the line, in text order as FileSecrets::on_line gives them;
// 1-based byte columns, end exclusive; ranges may overlap, repeat or run past
// the line), valid UTF-8, bounded in length. A line inside a secret that
// began on an earlier line, or one marked as a whole (column 0), shows
// nothing but "[redacted]".
std::string make_snippet(std::string_view line, int line_number, std::span<const SourceRange> own,
                         std::span<const SourceRange> detected = {});

// The text of each single-line range of `secrets` in `lines` (1-based byte
// columns), for redacting a message that quotes it.
std::vector<std::string_view> values_in(std::span<const SourceRange> secrets, std::span<const std::string_view> lines);

// `message` as valid UTF-8 with every secret the scanner finds in it, every
// occurrence of a `known` value and every secret value of `file` (the file
// the message is about, if any) redacted once.
std::string redact_message(std::string_view message, std::span<const std::string_view> known = {},
                           const FileSecrets* file = nullptr);

}  // namespace constable::engine
