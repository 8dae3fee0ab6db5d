// The secret scanner (one Vectorscan pass, RE2 validation, entropy,
// placeholders) over a text whose path the first byte chooses, then the
// redaction every snippet goes through: every match on the text redacted at
// once, and no detected value may survive it whole outside a redaction mark.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/text.hpp"
#include "fuzz_support.hpp"
#include "secrets/scanner.hpp"

using namespace constable;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static constexpr std::string_view kPaths[] = {"config/app.yaml", ".env", "Dockerfile", "src/main.py",
                                                "values.yaml",     "id_rsa", "docs/README.md", "settings.json"};
  if (size == 0) return 0;
  const std::string_view path = kPaths[data[0] % std::size(kPaths)];
  const std::string text(fuzz::as_text(data + 1, size - 1));
  const auto matches = secrets::Scanner::builtin().scan(text, path);
  std::vector<std::pair<std::size_t, std::size_t>> spans;
  for (const auto& match : matches) {
    if (match.offset > text.size() || match.length > text.size() - match.offset) __builtin_trap();
    spans.emplace_back(match.offset, match.offset + match.length);
    (void)secrets::value_fingerprint(std::string_view(text).substr(match.offset, match.length));
  }
  const std::string redacted = text::redact_spans(text, spans);
  // Bytes of the redacted text that belong to a redaction mark ("abcd…(32 chars)"):
  // a value seen across a mark was not printed whole.
  std::vector<bool> in_mark(redacted.size(), false);
  static constexpr std::string_view kEllipsis = "\u2026(";
  for (std::size_t at = redacted.find(kEllipsis); at != std::string::npos; at = redacted.find(kEllipsis, at + 1)) {
    const std::size_t close = redacted.find(')', at);
    const std::size_t end = close == std::string::npos ? redacted.size() : close + 1;
    for (std::size_t i = at >= 16 ? at - 16 : 0; i < end; ++i) in_mark[i] = true;
  }
  for (const auto& match : matches) {
    // A value written more than once may have a copy the scanner rightly did not match.
    const std::string_view value = std::string_view(text).substr(match.offset, match.length);
    if (value.empty() || text.find(value) != match.offset || text.find(value, match.offset + 1) != std::string::npos) continue;
    for (std::size_t at = redacted.find(value); at != std::string::npos; at = redacted.find(value, at + 1)) {
      bool crosses_mark = false;
      for (std::size_t i = at; i < at + value.size() && !crosses_mark; ++i) crosses_mark = in_mark[i];
      if (!crosses_mark) __builtin_trap();  // a detected secret survived redaction whole
    }
  }
  return 0;
}
