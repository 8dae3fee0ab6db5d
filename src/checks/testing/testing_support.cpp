#include "checks/testing/testing_support.hpp"

#include <re2/re2.h>

#include "core/text.hpp"

namespace constable::checks::testing {

std::string_view read_file(const engine::RepositoryContext& repo, const workspace::File& file) {
  const std::string* content = repo.text(file);
  return content != nullptr ? std::string_view(*content) : std::string_view{};
}

text::Literals::Found load_test_signs(const engine::RepositoryContext& repo, const workspace::File& file) {
  static const text::Literals kSigns{"k6",        "thresholds", "locust",    "phases",     "phases:",    "config:",
                                    "ensure:",   "run-time",   "run_time",  "scenarios",  "scenarios:", "arrivalRate"};
  return engine::derived_from_file<text::Literals::Found>(repo, file, "testing/load-test-signs",
                                                          [&] { return kSigns.found_in(read_file(repo, file)); });
}

std::string lower_name(std::string_view path) { return text::to_lower(text::basename(path)); }

std::optional<std::string_view> brace_block(std::string_view source, std::size_t from, std::size_t* opening) {
  const std::size_t start = source.find('{', from);
  if (start == std::string_view::npos) return std::nullopt;
  if (opening != nullptr) *opening = start;
  int depth = 0;
  for (std::size_t i = start; i < source.size(); ++i) {
    const char c = source[i];
    if (c == '"' || c == '\'' || c == '`') {
      // A string literal: its braces do not count.
      for (++i; i < source.size() && source[i] != c; ++i)
        if (source[i] == '\\') ++i;
    } else if (c == '/' && i + 1 < source.size() && source[i + 1] == '/') {
      i = source.find('\n', i);
      if (i == std::string_view::npos) return std::nullopt;
    } else if (c == '/' && i + 1 < source.size() && source[i + 1] == '*') {
      i = source.find("*/", i + 2);
      if (i == std::string_view::npos) return std::nullopt;
      ++i;
    } else if (c == '{') {
      ++depth;
    } else if (c == '}' && --depth == 0) {
      return source.substr(start, i - start + 1);
    }
  }
  return std::nullopt;
}

bool browser_only(std::string_view k6_script) {
  static const RE2 kBrowser(R"re(['"]k6/(experimental/)?browser['"])re");
  static const RE2 kProtocol(R"re(['"]k6/(http|net/grpc|ws|websockets|experimental/websockets|experimental/grpc)['"])re");
  return RE2::PartialMatch(k6_script, kBrowser) && !RE2::PartialMatch(k6_script, kProtocol);
}

std::set<std::string, std::less<>> image_directories(const workspace::Workspace& workspace) {
  std::set<std::string, std::less<>> out;
  for (const workspace::File& file : workspace.files)
    if (file.kind == FileKind::dockerfile && !workspace::is_development_dockerfile(file.path) &&
        !text::dirname(file.path).empty())  // the root's image is the project's own application
      out.emplace(text::dirname(file.path));
  return out;
}

int line_of(std::string_view source, std::size_t offset) {
  int line = 1;
  for (std::size_t i = 0; i < offset && i < source.size(); ++i)
    if (source[i] == '\n') ++line;
  return line;
}

}  // namespace constable::checks::testing
