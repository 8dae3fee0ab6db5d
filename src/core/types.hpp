#pragma once
// Vocabulary shared by every layer: severities, check natures, file kinds and
// source ranges.

#include <cstdint>
#include <optional>
#include <string_view>

namespace constable {

// Ordered from most to least severe, so `a < b` means "a is more severe".
enum class Severity : std::uint8_t { critical, high, medium, low };
inline constexpr Severity kAllSeverities[] = {Severity::critical, Severity::high, Severity::medium,
                                              Severity::low};
std::string_view to_string(Severity severity);
// Case-insensitive: "critical", "High", ...
std::optional<Severity> parse_severity(std::string_view text);

// What kind of harm a violation does; the constitution maps natures to severities.
enum class Nature : std::uint8_t { security, data_loss, reliability, maintainability, documentation };
inline constexpr Nature kAllNatures[] = {Nature::security, Nature::data_loss, Nature::reliability,
                                         Nature::maintainability, Nature::documentation};
std::string_view to_string(Nature nature);

// What a file is, decided from its path alone (content is read lazily).
// helm_template: any file under a chart's templates/ (Go templates, not YAML).
// source: program source code (Python, TypeScript, C++, Go, ...).
enum class FileKind : std::uint8_t { other, dockerfile, yaml, json, markdown, helm_template, gherkin, source };
std::string_view to_string(FileKind kind);

// 1-based lines and columns; columns count Unicode code points once a finding
// is built (parsers report byte columns). `end_column` is exclusive, as in
// SARIF. line == 0 means "the whole file".
struct SourceRange {
  int line = 0;
  int column = 0;
  int end_line = 0;
  int end_column = 0;

  static SourceRange whole_file() { return {}; }
  static SourceRange at_line(int line) { return {line, 0, line, 0}; }
  friend bool operator==(const SourceRange&, const SourceRange&) = default;
  friend auto operator<=>(const SourceRange&, const SourceRange&) = default;
};

}  // namespace constable
