// docker/no-secrets-in-build-args: build arguments never carry secrets.

#include <fmt/format.h>

#include "checks/common/secret_heuristics.hpp"
#include "checks/docker/docker_checks.hpp"
#include "checks/docker/docker_support.hpp"
#include "core/text.hpp"
#include "formats/dockerfile/dockerfile.hpp"

namespace constable::checks::docker {

namespace {
namespace no_secrets_in_build_args_check {

constexpr engine::CheckInfo kInfo{
    .id = "docker/no-secrets-in-build-args",
    .domain = "docker",
    .nature = Nature::security,
    .summary = "Pass build secrets with RUN --mount=type=secret, never as build arguments",
    .rationale = "Build argument values are recorded in the image history and build cache, where anyone who "
                 "can pull the image can read them with docker history. A default value is also committed to "
                 "version control with the Dockerfile.",
    .remediation = "Remove the ARG and mount the secret only where it is needed: RUN --mount=type=secret,"
                   "id=npm_token,env=NPM_TOKEN npm ci (build with --secret id=npm_token,env=NPM_TOKEN).",
    .bad_example = "FROM node:20-alpine AS build\n"
                   "ARG NPM_TOKEN\n"
                   "RUN npm ci\n",
    .good_example = kGoodExample,
    .parameters = "",
    .clause = {.section = "", .text = "build arg.*secret"},
    .file_kind = FileKind::dockerfile,
    .stack = "docker",
};

constexpr std::string_view kAdvice = "use RUN --mount=type=secret";

class NoSecretsInBuildArgsCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check(const engine::FileContext& file, engine::Emitter& out) const override {
    const dockerfile::Dockerfile& df = file.dockerfile();
    for (const dockerfile::Instruction& instruction : df.instructions) {
      if (instruction.keyword != "ARG") continue;
      for (const dockerfile::KeyValue& kv : dockerfile::key_values(instruction)) {
        const SourceRange key = token_range(df, kv.line, kv.column, kv.key);
        const std::optional<std::string_view> kind = secrets::secret_value_kind(kv.value);
        std::vector<SourceRange> hidden;
        if (kv.has_value && !secrets::is_placeholder(kv.value)) hidden.push_back(value_range(df, kv));
        if (secrets::is_secret_name(kv.key)) {
          out.emit({.range = key,
                    .message = fmt::format("build argument '{}' carries a secret; {}", kv.key, kAdvice),
                    .secrets = std::move(hidden)});
        } else if (kind) {
          out.emit({.range = key,
                    .message = fmt::format("build argument '{}' has a default that looks like {} ({}); {}", kv.key,
                                           *kind, text::redact(kv.value), kAdvice),
                    .secrets = std::move(hidden)});
        }
      }
    }
  }
};

}  // namespace no_secrets_in_build_args_check
}  // namespace

std::unique_ptr<engine::Check> make_no_secrets_in_build_args_check() {
  return engine::make_check<no_secrets_in_build_args_check::NoSecretsInBuildArgsCheck>();
}

}  // namespace constable::checks::docker
