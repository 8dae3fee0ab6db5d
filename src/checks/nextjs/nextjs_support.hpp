#pragma once
// What the Next.js checks share: the Next.js projects of a repository (a
// package.json that declares `next`, at the root or in a monorepo's
// apps/web/), the files that belong to each, JSONC reading for tsconfig.json,
// and what makes a module a client component.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>
#include <re2/re2.h>

#include "engine/check.hpp"

namespace constable::code { struct Module; }

namespace constable::checks::nextjs {

struct Project {
  std::string root;  // "" or "apps/web/": the directory of its package.json, with a trailing slash
  const workspace::File* package_json = nullptr;
  nlohmann::json package;  // the parsed package.json
  // The files whose nearest package.json is this project's, by path.
  std::vector<const workspace::File*> files;

  // `path` without the project's root ("app/page.tsx" for "apps/web/app/page.tsx").
  std::string_view relative(std::string_view path) const { return path.substr(root.size()); }
  // The file at `relative_path` under the root, or null.
  const workspace::File* file(std::string_view relative_path) const;
  // The declared version range of a dependency ("^5.0.0"), from any dependency section.
  std::optional<std::string> dependency(std::string_view name) const;
};

// Every Next.js project of the repository, in path order.
std::vector<Project> next_projects(const engine::RepositoryContext& repository);

// JSON with comments and trailing commas (tsconfig.json) as strict JSON, with
// every removed character replaced by a space so lines stay where they were.
std::string strict_json(std::string_view jsonc);

// The 1-based line of the first line matching `pattern`, 0 when none does.
int line_matching(std::string_view text, std::string_view pattern);

// Whether `relative` (a path relative to the project root) is a route of the
// Pages Router (pages/ or src/pages/), an App Router route handler
// (app/**/route.ts), a test or a story.
bool in_pages_router(std::string_view relative);
bool is_route_handler(std::string_view relative);
bool is_test_or_story(std::string_view relative);
bool is_script(std::string_view path);  // .ts .tsx .js .jsx .mjs .cjs, not .d.ts

// The "use client" directive's line (a client component), 0 when the module has none.
int use_client_line(const code::Module& module, std::string_view text);

}  // namespace constable::checks::nextjs

namespace constable::checks::nextjs {

// A project's tsconfig.json (or jsconfig.json) with its `extends` chain
// followed through relative paths and the repository's own packages.
struct TsConfig {
  const workspace::File* file = nullptr;  // the project's own config
  bool complete = true;  // every config of the chain was found and parsed
  // compilerOptions merged down the chain, and the file that set each key.
  nlohmann::json options = nlohmann::json::object();
  std::map<std::string, std::string> set_by;  // option name -> path
};

// A compilerOptions.paths entry that maps a prefix to a directory: "@/*" ->
// ["./src/*"] is prefix "@/" and target "src/" (repository-relative, "" for
// the root), resolved against baseUrl where one is set.
struct PathAlias {
  std::string prefix;
  std::string target;
};
std::vector<PathAlias> path_aliases(const TsConfig& config);

// The repository file an import specifier names from `from_path`, through
// relative paths and the aliases, with TypeScript's extensions and index
// files; nullopt when it names no file of the repository (a package, or a
// file not found).
std::optional<std::string> resolve_import(const engine::RepositoryContext& repository, std::string_view from_path,
                                          std::string_view specifier, const std::vector<PathAlias>& aliases);

std::optional<TsConfig> load_tsconfig(const engine::RepositoryContext& repository, const Project& project);

// `relative` joined to `directory` ("a/b/" + "../c" -> "a/c"), nullopt when it leaves the repository.
std::optional<std::string> join_path(std::string_view directory, std::string_view relative);

}  // namespace constable::checks::nextjs

namespace constable::checks::nextjs {

// Whether the code (comments left out) of a script has a token, identifier
// or string matching `pattern`, so a comment promising a rate limit is no limiter.
bool code_mentions(const engine::RepositoryContext& repository, const workspace::File& file, const RE2& pattern);

}  // namespace constable::checks::nextjs
