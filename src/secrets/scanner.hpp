#pragma once
// Secret detection: one multi-pattern pass over a text with Vectorscan, then
// per-rule validation (RE2 on the matched region), entropy scoring and
// placeholder filtering. Values are never returned whole to reporters: callers
// get positions and redact them (text::redact).

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace constable::secrets {

struct Rule {
  std::string_view id;           // "aws-access-key-id", "github-token", "generic-assignment", ...
  std::string_view name;         // "AWS access key ID"
  std::string_view description;  // what it finds and why placeholders don't fire
};

struct Match {
  std::string_view rule_id;
  std::string_view rule_name;
  std::size_t offset = 0;  // of the secret value (not the key name) in the scanned text
  std::size_t length = 0;
  int line = 0;            // 1-based line of the value's first byte
  int column = 0;          // 1-based byte column
  int end_line = 0;
  int end_column = 0;      // exclusive, on end_line
  double entropy = 0.0;    // Shannon bits per character of the value
  // A key block, password, JWT or generic assignment rather than a token
  // whose format names its provider: in a test's own sources and in
  // documentation such values are test inputs and illustrations, while a
  // provider token is live wherever it sits.
  bool test_input_kind = false;
};

class Scanner {
 public:
  // The built-in rule set, compiled once; thread-safe (scratch space per thread).
  static const Scanner& builtin();
  ~Scanner();

  std::span<const Rule> rules() const;
  // All secrets in `text`, sorted by offset, overlapping matches resolved to
  // the most specific rule. `path` (repository-relative) lets rules know a
  // `.env` file from a `*.example` one.
  std::vector<Match> scan(std::string_view text, std::string_view path) const;

 private:
  Scanner();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A stable, non-reversible id of a secret value (hex of a keyed hash), for
// allowlisting and for deduplicating one secret seen in many blobs.
std::string value_fingerprint(std::string_view value);

}  // namespace constable::secrets
