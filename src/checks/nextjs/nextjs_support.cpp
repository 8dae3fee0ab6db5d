#include "checks/nextjs/nextjs_support.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <re2/re2.h>

#include "code/model.hpp"
#include "core/text.hpp"

namespace constable::checks::nextjs {

namespace {

constexpr std::string_view kDependencySections[] = {"dependencies", "devDependencies", "peerDependencies",
                                                    "optionalDependencies"};

bool declares_next(const nlohmann::json& package) {
  for (const std::string_view section : kDependencySections) {
    const auto it = package.find(std::string(section));
    if (it != package.end() && it->is_object() && it->contains("next")) return true;
  }
  return false;
}

// The directory of `path` with a trailing slash, "" at the root.
std::string directory_of(std::string_view path) {
  const std::string_view directory = text::dirname(path);
  return directory.empty() ? std::string() : std::string(directory) + "/";
}

}  // namespace

const workspace::File* Project::file(std::string_view relative_path) const {
  const std::string wanted = root + std::string(relative_path);
  for (const workspace::File* candidate : files)
    if (candidate->path == wanted) return candidate;
  return nullptr;
}

std::optional<std::string> Project::dependency(std::string_view name) const {
  for (const std::string_view section : kDependencySections) {
    const auto it = package.find(std::string(section));
    if (it == package.end() || !it->is_object()) continue;
    const auto entry = it->find(std::string(name));
    if (entry != it->end()) return entry->is_string() ? entry->get<std::string>() : std::string();
  }
  return std::nullopt;
}

std::vector<Project> next_projects(const engine::RepositoryContext& repository) {
  // Every package.json directory, so each file goes to its nearest package.
  std::map<std::string, const workspace::File*> packages;
  for (const workspace::File& file : repository.workspace().files)
    if (text::basename(file.path) == "package.json") packages.emplace(directory_of(file.path), &file);
  std::map<std::string, Project> projects;
  for (const auto& [root, file] : packages) {
    const std::string* content = repository.text(*file);
    if (content == nullptr) continue;
    nlohmann::json package = nlohmann::json::parse(*content, nullptr, false);
    if (!package.is_object() || !declares_next(package)) continue;
    projects.emplace(root, Project{.root = root, .package_json = file, .package = std::move(package), .files = {}});
  }
  if (projects.empty()) return {};
  for (const workspace::File& file : repository.workspace().files) {
    std::string directory = directory_of(file.path);
    for (;;) {
      if (packages.contains(directory)) break;
      if (directory.empty()) break;
      directory = directory_of(directory.substr(0, directory.size() - 1));
    }
    const auto project = projects.find(directory);
    if (project != projects.end()) project->second.files.push_back(&file);
  }
  // A library that declares `next` (a monorepo's UI package, as a peer
  // dependency) is no app: an app has a next.config or routes.
  std::vector<Project> out;
  for (auto& [root, project] : projects) {
    const bool app = std::any_of(project.files.begin(), project.files.end(), [&](const workspace::File* file) {
      const std::string_view relative = project.relative(file->path);
      return relative.starts_with("next.config.") || relative.starts_with("app/") || relative.starts_with("src/app/") ||
             in_pages_router(relative);
    });
    if (app) out.push_back(std::move(project));
  }
  // Every Next.js check reads the projects' scripts: parsed on all threads
  // once, by whichever check gets here first.
  std::vector<const workspace::File*> scripts;
  for (const Project& project : out)
    for (const workspace::File* file : project.files)
      if (const std::string_view relative = project.relative(file->path);
          is_script(relative) && !is_test_or_story(relative))
        scripts.push_back(file);
  repository.prefetch_code(scripts);
  return out;
}

std::string strict_json(std::string_view jsonc) {
  std::string out(jsonc);
  const auto blank = [&](std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < to && i < out.size(); ++i)
      if (out[i] != '\n') out[i] = ' ';
  };
  std::size_t last_comma = std::string::npos;  // a comma not yet followed by a value
  for (std::size_t i = 0; i < out.size(); ++i) {
    const char c = out[i];
    if (c == '"') {
      last_comma = std::string::npos;
      for (++i; i < out.size() && out[i] != '"'; ++i)
        if (out[i] == '\\') ++i;
    } else if (c == '/' && i + 1 < out.size() && out[i + 1] == '/') {
      const std::size_t end = out.find('\n', i);
      blank(i, end == std::string::npos ? out.size() : end);
      i = end == std::string::npos ? out.size() : end;
    } else if (c == '/' && i + 1 < out.size() && out[i + 1] == '*') {
      const std::size_t end = out.find("*/", i + 2);
      const std::size_t stop = end == std::string::npos ? out.size() : end + 2;
      blank(i, stop);
      i = stop - 1;
    } else if (c == ',') {
      last_comma = i;
    } else if ((c == '}' || c == ']') && last_comma != std::string::npos) {
      out[last_comma] = ' ';
      last_comma = std::string::npos;
    } else if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
      last_comma = std::string::npos;
    }
  }
  return out;
}

int line_matching(std::string_view text, std::string_view pattern) {
  const RE2 regex(pattern);
  const auto lines = text::split_lines(text);
  for (std::size_t i = 0; i < lines.size(); ++i)
    if (RE2::PartialMatch(lines[i], regex)) return static_cast<int>(i) + 1;
  return 0;
}

bool in_pages_router(std::string_view relative) {
  return relative.starts_with("pages/") || relative.starts_with("src/pages/");
}

bool is_route_handler(std::string_view relative) {
  if (!relative.starts_with("app/") && !relative.starts_with("src/app/")) return false;
  const std::string_view name = text::basename(relative);
  return name == "route.ts" || name == "route.js" || name == "route.tsx" || name == "route.jsx" ||
         name == "route.mjs" || name == "route.mts";
}

bool is_test_or_story(std::string_view relative) {
  static const RE2 kTest(R"((^|/)(__tests__|__mocks__|tests?|e2e|playwright|cypress|stories|\.storybook)/|\.(test|spec|stories|story|e2e)\.[cm]?[jt]sx?$)");
  return RE2::PartialMatch(relative, kTest);
}

bool is_script(std::string_view path) {
  if (path.ends_with(".d.ts") || path.ends_with(".d.mts") || path.ends_with(".d.cts")) return false;
  for (const std::string_view ext : {".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts"})
    if (path.ends_with(ext)) return true;
  return false;
}

int use_client_line(const code::Module& module, std::string_view text) {
  if (!module.has_directive("use client")) return 0;
  const int line = line_matching(text, R"(^\s*["']use client["'])");
  return line == 0 ? 1 : line;
}

}  // namespace constable::checks::nextjs

namespace constable::checks::nextjs {

namespace {

const workspace::File* find_file(const engine::RepositoryContext& repository, std::string_view path) {
  const auto& files = repository.workspace().files;
  const auto it = std::lower_bound(files.begin(), files.end(), path,
                                   [](const workspace::File& file, std::string_view p) { return file.path < p; });
  return it != files.end() && it->path == path ? &*it : nullptr;
}

// A package of the repository named `name` (a monorepo's "@acme/tsconfig"): its directory.
std::optional<std::string> package_directory(const engine::RepositoryContext& repository, std::string_view name) {
  for (const workspace::File& file : repository.workspace().files) {
    if (text::basename(file.path) != "package.json") continue;
    const std::string* content = repository.text(file);
    if (content == nullptr || !text::contains(*content, name)) continue;
    const nlohmann::json package = nlohmann::json::parse(*content, nullptr, false);
    if (package.is_object() && package.value("name", "") == name) return directory_of(file.path);
  }
  return std::nullopt;
}

// Where an `extends` entry points, nullopt when it is not in the repository.
std::optional<std::string> extended_path(const engine::RepositoryContext& repository, std::string_view directory,
                                         std::string_view target) {
  std::optional<std::string> path;
  if (target.starts_with("./") || target.starts_with("../")) {
    path = join_path(directory, target);
  } else {
    // "@scope/pkg/file.json" or "pkg/file.json": the package's name, then its file.
    std::size_t cut = target.find('/');
    if (target.starts_with("@") && cut != std::string_view::npos) cut = target.find('/', cut + 1);
    const std::string_view name = target.substr(0, cut);
    const auto package = package_directory(repository, name);
    if (!package) return std::nullopt;
    path = cut == std::string_view::npos ? *package + "tsconfig.json" : *package + std::string(target.substr(cut + 1));
  }
  if (path && !path->ends_with(".json")) {
    if (find_file(repository, *path + ".json") != nullptr) return *path + ".json";
    if (find_file(repository, *path + "/tsconfig.json") != nullptr) return *path + "/tsconfig.json";
  }
  return path;
}

void merge_config(const engine::RepositoryContext& repository, const std::string& path, TsConfig& config, int depth) {
  const workspace::File* file = find_file(repository, path);
  const std::string* content = file ? repository.text(*file) : nullptr;
  if (content == nullptr || depth > 8) {
    config.complete = false;
    return;
  }
  const nlohmann::json json = nlohmann::json::parse(strict_json(*content), nullptr, false);
  if (!json.is_object()) {
    config.complete = false;
    return;
  }
  if (const auto extends = json.find("extends"); extends != json.end()) {
    std::vector<std::string> targets;
    if (extends->is_string()) targets.push_back(extends->get<std::string>());
    if (extends->is_array())
      for (const auto& entry : *extends)
        if (entry.is_string()) targets.push_back(entry.get<std::string>());
    for (const std::string& target : targets) {
      const auto extended = extended_path(repository, directory_of(path), target);
      if (extended) merge_config(repository, *extended, config, depth + 1);
      else config.complete = false;
    }
  }
  if (const auto options = json.find("compilerOptions"); options != json.end() && options->is_object())
    for (const auto& [key, value] : options->items()) {
      config.options[key] = value;
      config.set_by[key] = path;
    }
}

}  // namespace

std::optional<std::string> join_path(std::string_view directory, std::string_view relative) {
  std::vector<std::string_view> parts;
  for (const std::string_view part : text::split(directory, '/'))
    if (!part.empty()) parts.push_back(part);
  for (const std::string_view part : text::split(relative, '/')) {
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (parts.empty()) return std::nullopt;
      parts.pop_back();
    } else {
      parts.push_back(part);
    }
  }
  std::string out;
  for (const std::string_view part : parts) out += (out.empty() ? "" : "/") + std::string(part);
  return out;
}

std::vector<PathAlias> path_aliases(const TsConfig& config) {
  std::vector<PathAlias> out;
  const auto paths = config.options.find("paths");
  if (paths == config.options.end() || !paths->is_object()) return out;
  // Paths resolve against baseUrl where one is set, else the config that sets them.
  std::string base = std::string(text::dirname(config.set_by.at("paths")));
  if (const auto url = config.options.find("baseUrl"); url != config.options.end() && url->is_string()) {
    const auto joined = join_path(text::dirname(config.set_by.at("baseUrl")), url->get<std::string>());
    if (!joined) return out;
    base = *joined;
  }
  for (const auto& [key, entries] : paths->items()) {
    if (!key.ends_with("/*") || !entries.is_array() || entries.empty() || !entries.front().is_string()) continue;
    std::string entry = entries.front().get<std::string>();
    if (!entry.ends_with("*")) continue;
    entry.pop_back();
    auto target = join_path(base, entry);
    if (!target) continue;
    if (!target->empty()) *target += "/";
    out.push_back({key.substr(0, key.size() - 1), std::move(*target)});
  }
  return out;
}

std::optional<std::string> resolve_import(const engine::RepositoryContext& repository, std::string_view from_path,
                                          std::string_view specifier, const std::vector<PathAlias>& aliases) {
  std::optional<std::string> base;
  if (specifier.starts_with("./") || specifier.starts_with("../")) {
    base = join_path(text::dirname(from_path), specifier);
  } else {
    // TypeScript takes the longest matching prefix.
    const PathAlias* best = nullptr;
    for (const PathAlias& alias : aliases)
      if (specifier.starts_with(alias.prefix) && (best == nullptr || alias.prefix.size() > best->prefix.size()))
        best = &alias;
    if (best != nullptr) base = best->target + std::string(specifier.substr(best->prefix.size()));
  }
  if (!base) return std::nullopt;
  for (const std::string_view suffix : {"", ".tsx", ".ts", ".jsx", ".js", ".mjs", "/index.tsx", "/index.ts",
                                        "/index.jsx", "/index.js"})
    if (const workspace::File* file = find_file(repository, *base + std::string(suffix));
        file != nullptr && is_script(file->path))
      return file->path;
  return std::nullopt;
}

std::optional<TsConfig> load_tsconfig(const engine::RepositoryContext& repository, const Project& project) {
  const workspace::File* file = project.file("tsconfig.json");
  if (file == nullptr) file = project.file("jsconfig.json");
  if (file == nullptr) return std::nullopt;
  TsConfig config;
  config.file = file;
  merge_config(repository, file->path, config, 0);
  return config;
}

}  // namespace constable::checks::nextjs

namespace constable::checks::nextjs {

bool code_mentions(const engine::RepositoryContext& repository, const workspace::File& file, const RE2& pattern) {
  // A leaf's text is part of the file's: when an unanchored pattern matches
  // nowhere in the text, no leaf can match, and the file need not be parsed.
  const std::string& source = pattern.pattern();
  if (source.find_first_of("^$") == std::string::npos) {
    const std::string* text = repository.text(file);
    if (text == nullptr || !RE2::PartialMatch(*text, pattern)) return false;
  }
  const code::Module* module = repository.code(file);
  if (module == nullptr || !module->tree) return false;
  bool found = false;
  module->tree->root().walk([&](const code::Node& node) {
    if (found || node.is("comment")) return false;
    if (node.child_count() == 0 && RE2::PartialMatch(node.text(), pattern)) found = true;
    return !found;
  });
  return found;
}

}  // namespace constable::checks::nextjs
