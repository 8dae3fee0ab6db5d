// nextjs/typescript-strict: a Next.js project's tsconfig.json sets
// `"strict": true`, directly or through the configs it extends.

#include <fmt/format.h>

#include "checks/nextjs/nextjs_checks.hpp"
#include "checks/nextjs/nextjs_support.hpp"

namespace constable::checks::nextjs {

namespace {
namespace typescript_strict_check {

constexpr engine::CheckInfo kInfo{
    .id = "nextjs/typescript-strict",
    .domain = "nextjs",
    .nature = Nature::reliability,
    .summary = "Set \"strict\": true in the Next.js project's tsconfig.json",
    .rationale = "Without strict mode TypeScript lets null and undefined flow everywhere, infers `any` for "
                 "untyped parameters and checks function types loosely: the bugs the type checker exists to "
                 "catch reach the browser. The option is read down the `extends` chain (relative paths and the "
                 "repository's own packages, such as a monorepo's shared tsconfig); a chain that leaves the "
                 "repository is not judged.",
    .remediation = "Set \"strict\": true under compilerOptions (and fix what it reports, or turn single flags "
                   "off explicitly while migrating).",
    .bad_example = "{ \"compilerOptions\": { \"strict\": false } }\n",
    .good_example = "{ \"compilerOptions\": { \"strict\": true } }\n",
    .parameters = "",
    .clause = {.section = "next\\.?js", .text = "strict"},
    .file_kind = FileKind::other,
    .stack = "nextjs",
    .scope = engine::Scope::repository,
};

class TypeScriptStrictCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_repository(const engine::RepositoryContext& repository, engine::Emitter& out) const override {
    for (const Project& project : next_projects(repository)) {
      const auto config = load_tsconfig(repository, project);
      if (!config || !config->file->path.ends_with("tsconfig.json")) continue;
      const auto strict = config->options.find("strict");
      if (strict != config->options.end() && strict->is_boolean()) {
        if (strict->get<bool>()) continue;
        const std::string& path = config->set_by.at("strict");
        out.emit({.range = SourceRange::at_line(line_in(repository, path, R"("strict"\s*:)")),
                  .message = fmt::format("{} sets \"strict\": false", path),
                  .path_override = path});
      } else if (config->complete) {
        const std::string& path = config->file->path;
        out.emit({.range = SourceRange::at_line(line_in(repository, path, R"("compilerOptions"\s*:)")),
                  .message = "compilerOptions do not set \"strict\": true (TypeScript defaults to false)",
                  .path_override = path});
      }
    }
  }

 private:
  static int line_in(const engine::RepositoryContext& repository, const std::string& path, std::string_view pattern) {
    for (const workspace::File& file : repository.workspace().files)
      if (file.path == path)
        if (const std::string* content = repository.text(file)) return std::max(1, line_matching(*content, pattern));
    return 1;
  }
};

}  // namespace typescript_strict_check
}  // namespace

std::unique_ptr<engine::Check> make_typescript_strict_check() {
  return engine::make_check<typescript_strict_check::TypeScriptStrictCheck>();
}

}  // namespace constable::checks::nextjs
