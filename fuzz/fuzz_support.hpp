#pragma once
// Helpers shared by the harnesses: turning libFuzzer's bytes into one text or
// into several named files (for inputs that span files: a chart, a manifest
// set with kustomizations, OpenAPI documents that `$ref` each other).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace constable::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

struct NamedText {
  std::string name;
  std::string text;
};

// A line "#=== <name>" starts a new file called <name>; text before the first
// such line belongs to a file called `first_name`. seeds.py writes seeds in
// this form, so multi-file fixtures reach the harness whole.
inline constexpr std::string_view kFileMarker = "#=== ";

inline std::vector<NamedText> split_files(std::string_view input, std::string_view first_name) {
  std::vector<NamedText> files;
  files.push_back({std::string(first_name), {}});
  std::size_t pos = 0;
  while (pos < input.size()) {
    std::size_t end = input.find('\n', pos);
    std::size_t next = end == std::string_view::npos ? input.size() : end + 1;
    std::string_view line = input.substr(pos, next - pos);
    if (line.starts_with(kFileMarker)) {
      std::string_view name = line.substr(kFileMarker.size());
      while (!name.empty() && (name.back() == '\n' || name.back() == '\r')) name.remove_suffix(1);
      files.push_back({std::string(name), {}});
    } else {
      files.back().text.append(line);
    }
    pos = next;
  }
  if (files.size() > 1 && files.front().text.empty()) files.erase(files.begin());
  return files;
}

}  // namespace constable::fuzz
