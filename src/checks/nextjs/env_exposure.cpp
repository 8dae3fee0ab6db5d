// nextjs/env-exposure: environment variables reach the browser only through
// the NEXT_PUBLIC_ prefix, both ways: a client component that reads another
// variable gets undefined, and a NEXT_PUBLIC_ name that says it is a secret
// ships that secret in the JavaScript bundle.

#include <fmt/format.h>
#include <re2/re2.h>

#include "checks/nextjs/nextjs_checks.hpp"
#include "checks/nextjs/nextjs_support.hpp"
#include "code/model.hpp"
#include "core/text.hpp"

namespace constable::checks::nextjs {

namespace {
namespace env_exposure_check {

constexpr engine::CheckInfo kInfo{
    .id = "nextjs/env-exposure",
    .domain = "nextjs",
    .nature = Nature::security,
    .summary = "Expose environment variables to the browser only through NEXT_PUBLIC_, and never a secret",
    .rationale = "Next.js inlines `process.env.NEXT_PUBLIC_*` into the JavaScript it sends to the browser and "
                 "nothing else: a \"use client\" module reading `process.env.API_URL` gets undefined in the "
                 "browser (NODE_ENV and NEXT_RUNTIME are inlined too, and so are the names next.config's `env` "
                 "declares), while a NEXT_PUBLIC_ name holding a secret, password or private key publishes it "
                 "to every visitor. Names with KEY or TOKEN alone are not judged: publishable keys (Stripe, "
                 "Supabase's anon key, analytics) are public by design.",
    .remediation = "Read server-only variables in Server Components, route handlers or Server Actions and pass "
                   "the result down as props; rename a variable the browser truly needs to NEXT_PUBLIC_*; never "
                   "give a secret the NEXT_PUBLIC_ prefix (rotate it if it shipped).",
    .bad_example = "\"use client\"\nexport function Map() { return <div data-key={process.env.MAPS_URL} /> }\n",
    .good_example = "\"use client\"\nexport function Map() { return <div data-key={process.env.NEXT_PUBLIC_MAPS_URL} /> }\n",
    .parameters = "",
    .clause = {.section = "next\\.?js", .text = "NEXT_PUBLIC_"},
    .file_kind = FileKind::other,
    .stack = "nextjs",
    .scope = engine::Scope::repository,
};

// A NEXT_PUBLIC_ name that says it holds a secret.
const RE2& secret_name() {
  static const RE2 pattern(R"(^NEXT_PUBLIC_(?:\w*_)?(SECRET|PASSWORD|PASSWD|PRIVATE_KEY)(?:_\w*)?$)");
  return pattern;
}

// Names Next.js inlines into client code without the prefix.
bool inlined(std::string_view name, std::string_view next_config) {
  if (name == "NODE_ENV" || name == "NEXT_RUNTIME" || name.starts_with("NEXT_PUBLIC_")) return true;
  // next.config's `env` key inlines the names it lists.
  static const RE2 kEnvKey(R"(\benv\s*:)");
  if (!RE2::PartialMatch(next_config, kEnvKey)) return false;
  const RE2 mention(fmt::format(R"(\b{}\b)", RE2::QuoteMeta(name)));
  return RE2::PartialMatch(next_config, mention);
}

class EnvExposureCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_repository(const engine::RepositoryContext& repository, engine::Emitter& out) const override {
    for (const Project& project : next_projects(repository)) {
      std::string next_config;
      for (const workspace::File* file : project.files)
        if (const std::string_view relative = project.relative(file->path); relative.starts_with("next.config."))
          if (const std::string* content = repository.text(*file)) next_config += *content;
      for (const workspace::File* file : project.files) {
        const std::string_view relative = project.relative(file->path);
        const std::string_view name = text::basename(relative);
        if (name.starts_with(".env")) {
          dotenv(repository, *file, out);
          continue;
        }
        if (!is_script(relative) || is_test_or_story(relative)) continue;
        const code::Module* module = repository.code(*file);
        if (module == nullptr) continue;
        const bool client = module->has_directive("use client");
        for (const code::AttributeRead& read : module->attribute_reads) {
          if (!read.path.starts_with("process.env.")) continue;
          const std::string variable = read.path.substr(12, read.path.find('.', 12) - 12);
          if (RE2::FullMatch(variable, secret_name())) {
            out.emit({.range = read.range,
                      .message = fmt::format("{} has the NEXT_PUBLIC_ prefix but names a secret: Next.js inlines "
                                             "it into the browser bundle",
                                             variable),
                      .path_override = file->path});
          } else if (client && !inlined(variable, next_config)) {
            out.emit({.range = read.range,
                      .message = fmt::format("client component reads process.env.{}, which is undefined in the "
                                             "browser without the NEXT_PUBLIC_ prefix",
                                             variable),
                      .path_override = file->path});
          }
        }
      }
    }
  }

 private:
  // .env files: a NEXT_PUBLIC_ secret declared is a secret shipped.
  static void dotenv(const engine::RepositoryContext& repository, const workspace::File& file, engine::Emitter& out) {
    const std::string* content = repository.text(file);
    if (content == nullptr) return;
    static const RE2 kAssignment(R"(^\s*(?:export\s+)?(NEXT_PUBLIC_\w+)\s*=)");
    const auto lines = text::split_lines(*content);
    for (std::size_t i = 0; i < lines.size(); ++i) {
      std::string variable;
      if (!RE2::PartialMatch(lines[i], kAssignment, &variable) || !RE2::FullMatch(variable, secret_name())) continue;
      out.emit({.range = SourceRange::at_line(static_cast<int>(i) + 1),
                .message = fmt::format("{} has the NEXT_PUBLIC_ prefix but names a secret: Next.js inlines it "
                                       "into the browser bundle",
                                       variable),
                .path_override = file.path});
    }
  }
};

}  // namespace env_exposure_check
}  // namespace

std::unique_ptr<engine::Check> make_env_exposure_check() {
  return engine::make_check<env_exposure_check::EnvExposureCheck>();
}

}  // namespace constable::checks::nextjs
