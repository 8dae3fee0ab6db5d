#include "app/targets.hpp"

#include <algorithm>
#include <map>
#include <optional>

#include <fmt/format.h>

#include "app/app.hpp"
#include "core/files.hpp"
#include "git/repository.hpp"

namespace constable::app {

namespace fs = std::filesystem;

namespace {

// Named files the workspace left out are listed one by one up to this many.
constexpr std::size_t kMaxLeftOutNotes = 10;

struct Resolved {
  fs::path absolute;  // canonical directory; a file's canonical directory and its own name (a symlink stays one)
  bool directory = false;
};

Result<Resolved> resolve(const fs::path& path) {
  if (!files::present(path)) return fail("no such file or directory", path.string());
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    fs::path canonical = fs::canonical(path, ec);
    if (ec) return fail(fmt::format("cannot resolve it: {}", ec.message()), path.string());
    return Resolved{std::move(canonical), true};
  }
  const fs::path absolute = fs::absolute(path, ec).lexically_normal();
  fs::path directory = ec ? fs::path() : fs::canonical(absolute.parent_path(), ec);
  if (ec) return fail(fmt::format("cannot resolve it: {}", ec.message()), path.string());
  return Resolved{directory / absolute.filename(), false};
}

// What a repository keeps at its top when it is not in git.
bool holds_constitution_or_config(const fs::path& directory) {
  if (files::present(directory / ".constable.yaml")) return true;
  for (const auto& candidate : constitution_candidates(directory, engine::Config{}))
    if (files::present(candidate)) return true;
  return false;
}

// The git work tree holding `directory`, else the nearest directory at or
// above it with a constitution or .constable.yaml.
std::optional<fs::path> repository_of(const fs::path& directory) {
  if (auto repository = git::Repository::discover(directory); repository && !repository->workdir().empty()) {
    std::error_code ec;
    fs::path workdir = fs::canonical(repository->workdir(), ec);
    if (!ec) return workdir;
  }
  for (fs::path at = directory;; at = at.parent_path()) {
    if (holds_constitution_or_config(at)) return at;
    if (at == at.parent_path()) return std::nullopt;
  }
}

fs::path common_directory(const std::vector<fs::path>& directories) {
  fs::path common = directories.front();
  for (const auto& directory : directories)
    while (!files::is_within(common, directory) && common != common.parent_path()) common = common.parent_path();
  return common;
}

std::string why_left_out(const workspace::Workspace& workspace, const std::string& path) {
  const auto set_aside = std::lower_bound(
      workspace.set_aside.begin(), workspace.set_aside.end(), path,
      [](const workspace::SetAsideFile& file, const std::string& p) { return file.path < p; });
  if (set_aside != workspace.set_aside.end() && set_aside->path == path)
    return fmt::format("named but not checked: not the project's own ({}); `include:` in .constable.yaml brings it back",
                       workspace::to_string(set_aside->provenance));
  return "named but not checked: ignored (.gitignore, .git/info/exclude) or excluded by `exclude:` in .constable.yaml";
}

}  // namespace

Result<CheckTargets> resolve_targets(const std::vector<fs::path>& paths, bool constitution_named) {
  std::error_code ec;
  if (paths.empty()) return CheckTargets{".", {}};
  if (paths.size() == 1 && fs::is_directory(paths.front(), ec)) return CheckTargets{paths.front(), {}};

  std::vector<Resolved> resolved;
  std::vector<fs::path> directories;
  for (const auto& path : paths) {
    auto one = resolve(path);
    if (!one) return std::unexpected(one.error());
    directories.push_back(one->directory ? one->absolute : one->absolute.parent_path());
    resolved.push_back(std::move(*one));
  }

  // Each path's repository; the outermost holds them all, or some path is
  // outside it.
  std::map<fs::path, std::optional<fs::path>> repository_by_directory;
  std::optional<fs::path> root;
  const fs::path* found_from = nullptr;
  for (std::size_t i = 0; i < resolved.size(); ++i) {
    auto [at, added] = repository_by_directory.try_emplace(directories[i]);
    if (added) at->second = repository_of(directories[i]);
    if (at->second && (!root || files::is_within(*at->second, *root))) {
      root = at->second;
      found_from = &paths[i];
    }
  }
  if (!root) {
    if (!constitution_named)
      return fail(
          "cannot tell which repository this belongs to: it is in no git repository and no directory above it holds "
          "a constitution or .constable.yaml; name the constitution with --constitution",
          paths.front().string());
    root = common_directory(directories);
  }

  CheckTargets targets{*root, {}};
  for (std::size_t i = 0; i < resolved.size(); ++i) {
    if (!files::is_within(*root, resolved[i].absolute)) {
      return fail(fmt::format("outside the repository {}{}; check one repository at a time", root->string(),
                              found_from != nullptr ? fmt::format(" (found from {})", found_from->string()) : ""),
                  paths[i].string());
    }
    std::string relative = resolved[i].absolute.lexically_relative(*root).generic_string();
    if (relative == ".") relative.clear();
    targets.named.push_back({std::move(relative), resolved[i].directory});
  }
  return targets;
}

std::set<std::string> reported_files(const CheckTargets& targets, const workspace::Workspace& workspace,
                                     std::vector<workspace::Note>& notes) {
  std::set<std::string> reported;
  std::size_t left_out = 0;
  for (const auto& named : targets.named) {
    if (named.directory) {
      const std::string prefix = named.path.empty() ? std::string() : named.path + "/";
      for (const auto& file : workspace.files)
        if (file.path.starts_with(prefix)) reported.insert(file.path);
      continue;
    }
    const auto file = std::lower_bound(workspace.files.begin(), workspace.files.end(), named.path,
                                       [](const workspace::File& f, const std::string& p) { return f.path < p; });
    const bool discovered = file != workspace.files.end() && file->path == named.path;
    if (discovered) {
      reported.insert(named.path);
      continue;
    }
    if (workspace::skipped(workspace, named.path) != nullptr) continue;  // discovery already said why
    if (++left_out <= kMaxLeftOutNotes) notes.push_back({named.path, why_left_out(workspace, named.path)});
  }
  if (left_out > kMaxLeftOutNotes)
    notes.push_back({".", fmt::format("{} more named files not checked: ignored, excluded or not the project's own",
                                      left_out - kMaxLeftOutNotes)});
  return reported;
}

}  // namespace constable::app
