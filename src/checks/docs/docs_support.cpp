#include "checks/docs/docs_support.hpp"

#include <re2/re2.h>


#include "core/text.hpp"

namespace constable::checks::docs {

std::vector<Heading> headings(std::string_view markdown) {
  std::vector<Heading> out;
  // One pass with the line after each at hand (a setext underline): several
  // checks read the headings of every Markdown file, CHANGELOGs included.
  text::LineCursor cursor(text::strip_bom(markdown));
  std::string_view line;
  std::string_view following;
  bool has_line = cursor.next(line);
  bool has_following = has_line && cursor.next(following);
  bool in_fence = false;
  std::string fence;
  for (std::size_t i = 0; has_line; ++i, line = following, has_line = has_following,
                   has_following = has_line && cursor.next(following)) {
    const std::string_view trimmed = text::trim(line);
    if (trimmed.starts_with("```") || trimmed.starts_with("~~~")) {
      const std::string marker(trimmed.substr(0, 3));
      if (!in_fence) in_fence = true, fence = marker;
      else if (marker == fence) in_fence = false;
      continue;
    }
    if (in_fence || line.starts_with("    ")) continue;
    std::size_t level = 0;
    while (level < trimmed.size() && trimmed[level] == '#') ++level;
    if (level >= 1 && level <= 6 && (level == trimmed.size() || trimmed[level] == ' ')) {
      std::string_view rest = text::trim(trimmed.substr(level));
      while (rest.ends_with('#')) rest.remove_suffix(1);
      out.push_back({static_cast<int>(level), std::string(text::trim(rest)), static_cast<int>(i) + 1});
      continue;
    }
    // Setext: a paragraph line underlined with === or ---.
    if (has_following && !trimmed.empty() && !trimmed.starts_with('-') && !trimmed.starts_with('*')) {
      const std::string_view under = text::trim(following);
      const bool all_eq = !under.empty() && under.find_first_not_of('=') == std::string_view::npos;
      const bool all_dash = under.size() >= 2 && under.find_first_not_of('-') == std::string_view::npos;
      if (all_eq || all_dash) out.push_back({all_eq ? 1 : 2, std::string(trimmed), static_cast<int>(i) + 1});
    }
  }
  return out;
}

std::string_view read_file(const engine::RepositoryContext& repo, const workspace::File& file) {
  const std::string* content = repo.text(file);
  return content != nullptr ? std::string_view(*content) : std::string_view{};
}

const workspace::File* find_file(const workspace::Workspace& workspace, std::string_view path) {
  for (const auto& file : workspace.files)
    if (file.path == path) return &file;
  return nullptr;
}

const workspace::File* find_document(const workspace::Workspace& workspace, std::string_view name, bool elsewhere) {
  for (std::string_view dir : {"", "docs/", ".github/", "doc/"}) {
    if (!dir.empty() && !elsewhere) break;
    for (const auto& file : workspace.files) {
      if (!file.path.starts_with(dir)) continue;
      const std::string_view rest = std::string_view(file.path).substr(dir.size());
      if (rest.find('/') == std::string_view::npos && text::iequals(rest, name)) return &file;
    }
  }
  return nullptr;
}

bool is_adr_path(std::string_view path) {
  static const RE2 kAdr(
      R"((?i)(?:^|.*/)(?:docs?/(?:architecture/)?(?:adrs?|decisions)|adrs?|decisions|docs/architecture-decisions)/(?:[^/]+/)?([^/]+)\.(?:md|markdown))");
  std::string name;
  if (!RE2::FullMatch(path, kAdr, &name)) return false;
  const std::string lower = text::to_lower(name);
  return lower != "readme" && lower != "index" && lower.find("template") == std::string::npos && lower != "adr-log" &&
         lower != "toc";
}

std::string adr_number(std::string_view path) {
  static const RE2 kNumber(R"((?:^|.*/)(?i:adr[-_]?)?(\d{1,5})[-_ .][^/]*)");
  std::string number;
  if (!RE2::FullMatch(path, kNumber, &number)) return {};
  return number;
}


}  // namespace constable::checks::docs
