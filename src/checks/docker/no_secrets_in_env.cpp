// docker/no-secrets-in-env: ENV never bakes a secret into the image (and the
// Dockerfile into version control).

#include <fmt/format.h>

#include <algorithm>

#include "checks/common/secret_heuristics.hpp"
#include "checks/docker/docker_checks.hpp"
#include "checks/docker/docker_support.hpp"
#include "core/text.hpp"
#include "formats/dockerfile/dockerfile.hpp"

namespace constable::checks::docker {

namespace {
namespace no_secrets_in_env_check {

constexpr engine::CheckInfo kInfo{
    .id = "docker/no-secrets-in-env",
    .domain = "docker",
    .nature = Nature::security,
    .summary = "Never set a secret with ENV in a Dockerfile",
    .rationale = "A value set with ENV is committed to version control with the Dockerfile and stored in every "
                 "layer and the image configuration, where anyone who can pull the image reads it. Rotating it "
                 "means rebuilding and purging every copy of the image.",
    .remediation = "Inject the secret at run time (orchestrator secrets, a secret manager, a mounted file) and "
                   "keep only its name or path in the Dockerfile, e.g. ENV DB_PASSWORD_FILE=/run/secrets/db.",
    .bad_example = "FROM python:3.12-alpine\n"
                   "ENV DB_PASSWORD=s3cr3t-Pa55w0rd\n",
    .good_example = kGoodExample,
    .parameters = "",
    .clause = {.section = "secret", .text = "never.*commit|commit.*prohibited"},
    .file_kind = FileKind::dockerfile,
    .stack = "docker",
};

// Flags, counts and switches are not credentials even under a secret-like name.
bool is_inert_literal(std::string_view value) {
  const std::string v = text::to_lower(text::trim(value));
  if (v == "true" || v == "false" || v == "yes" || v == "no" || v == "on" || v == "off") return true;
  return v.size() < 8 && std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
}

class NoSecretsInEnvCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check(const engine::FileContext& file, engine::Emitter& out) const override {
    const dockerfile::Dockerfile& df = file.dockerfile();
    for (const dockerfile::Instruction& instruction : df.instructions) {
      if (instruction.keyword != "ENV") continue;
      for (const dockerfile::KeyValue& kv : dockerfile::key_values(instruction)) {
        if (!kv.has_value || secrets::is_placeholder(kv.value)) continue;
        const SourceRange key = token_range(df, kv.line, kv.column, kv.key);
        const std::optional<std::string_view> kind = secrets::secret_value_kind(kv.value);
        if (kind) {
          out.emit({.range = key,
                    .message = fmt::format("variable '{}' set by ENV bakes a secret into the image: its value looks "
                                           "like {} ({})",
                                           kv.key, *kind, text::redact(kv.value)),
                    .secrets = {value_range(df, kv)}});
        } else if (secrets::is_secret_name(kv.key) && !is_inert_literal(kv.value)) {
          out.emit({.range = key,
                    .message = fmt::format("variable '{}' set by ENV bakes a secret into the image", kv.key),
                    .secrets = {value_range(df, kv)}});
        }
      }
    }
  }
};

}  // namespace no_secrets_in_env_check
}  // namespace

std::unique_ptr<engine::Check> make_no_secrets_in_env_check() {
  return engine::make_check<no_secrets_in_env_check::NoSecretsInEnvCheck>();
}

}  // namespace constable::checks::docker
