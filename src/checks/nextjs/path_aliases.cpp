// nextjs/path-aliases: imports use `@/` path aliases: tsconfig.json maps
// "@/*" (or per-folder "@/lib/*"), and no module climbs three or more
// directories with a relative import to reach a file an alias covers.

#include <set>
#include <utility>

#include <fmt/format.h>

#include "checks/nextjs/nextjs_checks.hpp"
#include "checks/nextjs/nextjs_support.hpp"
#include "code/model.hpp"
#include "core/text.hpp"

namespace constable::checks::nextjs {

namespace {
namespace path_aliases_check {

constexpr engine::CheckInfo kInfo{
    .id = "nextjs/path-aliases",
    .domain = "nextjs",
    .nature = Nature::maintainability,
    .summary = "Map the @/ path alias in tsconfig.json and import through it instead of ../../../",
    .rationale = "`import { db } from \"../../../lib/db\"` breaks whenever either file moves and says nothing "
                 "about where lib/ is; `@/lib/db` names the same module from anywhere. The alias must be mapped "
                 "in compilerOptions.paths (\"@/*\", or per folder as \"@/lib/*\"), read down the `extends` "
                 "chain; where it is, a relative import climbing three or more directories to a file under an "
                 "alias's target is a finding. "
                 "Imports that leave the alias's target (another package of a monorepo) are not judged.",
    .remediation = "Add \"paths\": { \"@/*\": [\"./src/*\"] } (or [\"./*\"]) to compilerOptions, and write the "
                   "import as `@/<path from the alias's target>`.",
    .bad_example = "import { db } from \"../../../lib/db\"\n",
    .good_example = "import { db } from \"@/lib/db\"\n",
    .parameters = "",
    .clause = {.section = "next\\.?js", .text = "path aliases|absolute imports"},
    .file_kind = FileKind::other,
    .stack = "nextjs",
    .scope = engine::Scope::repository,
};

constexpr int kDeepLevels = 3;  // the issue's `../../..`: two levels still read as nearby

int levels_up(std::string_view specifier) {
  int levels = 0;
  while (specifier.starts_with("../")) {
    ++levels;
    specifier.remove_prefix(3);
  }
  return levels;
}

class PathAliasesCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_repository(const engine::RepositoryContext& repository, engine::Emitter& out) const override {
    for (const Project& project : next_projects(repository)) {
      const auto config = load_tsconfig(repository, project);
      if (!config) continue;
      const auto paths = config->options.find("paths");
      std::vector<PathAlias> aliases;
      for (PathAlias& alias : path_aliases(*config))
        if (alias.prefix.starts_with("@/")) aliases.push_back(std::move(alias));
      if (aliases.empty()) {
        if (!config->complete || (paths != config->options.end() && has_at_alias(*paths))) continue;
        const std::string* content = repository.text(*config->file);
        const int line = content ? std::max(1, line_matching(*content, R"re("(paths|compilerOptions)"\s*:)re")) : 1;
        out.emit({.range = SourceRange::at_line(line),
                  .message = fmt::format("{} maps no \"@/\" path alias", config->file->path),
                  .path_override = config->file->path});
        continue;
      }
      for (const workspace::File* file : project.files) {
        const std::string_view relative = project.relative(file->path);
        if (!is_script(relative)) continue;
        const code::Module* module = repository.code(*file);
        if (module == nullptr) continue;
        std::set<std::pair<int, int>> reported;  // `import { a, b }` is one import per name
        for (const code::Import& import : module->imports) {
          if (levels_up(import.module) < kDeepLevels) continue;
          if (!reported.insert({import.range.line, import.range.column}).second) continue;
          const auto resolved = join_path(text::dirname(file->path), import.module);
          if (!resolved) continue;
          // The alias whose target holds the module, the most specific first.
          const PathAlias* best = nullptr;
          for (const PathAlias& alias : aliases)
            if ((alias.target.empty() || resolved->starts_with(alias.target)) &&
                (best == nullptr || alias.target.size() > best->target.size()))
              best = &alias;
          if (best == nullptr) continue;
          out.emit({.range = import.range,
                    .message = fmt::format("relative import \"{}\" climbs {} directories; import it as \"{}{}\"",
                                           import.module, levels_up(import.module), best->prefix,
                                           resolved->substr(best->target.size())),
                    .path_override = file->path});
        }
      }
    }
  }

 private:
  static bool has_at_alias(const nlohmann::json& paths) {
    if (!paths.is_object()) return false;
    for (const auto& [key, value] : paths.items())
      if (key.starts_with("@/")) return true;
    return false;
  }
};

}  // namespace path_aliases_check
}  // namespace

std::unique_ptr<engine::Check> make_path_aliases_check() {
  return engine::make_check<path_aliases_check::PathAliasesCheck>();
}

}  // namespace constable::checks::nextjs
