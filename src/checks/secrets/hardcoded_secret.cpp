// secrets/hardcoded-secret: no credential, key or token is committed, in any
// text file (one Vectorscan pass per file; see src/secrets/).

#include <fmt/format.h>

#include "checks/secrets/secret_findings.hpp"
#include "checks/secrets/secrets_checks.hpp"

namespace constable::checks::secrets {

namespace {
namespace hardcoded_secret_check {

constexpr engine::CheckInfo kInfo{
    .id = "secrets/hardcoded-secret",
    .domain = "secrets",
    .nature = Nature::security,
    .summary = "Never commit secrets: keys, tokens, passwords and credentials in URLs",
    .rationale = "A secret in version control is readable by everyone with access to the repository, forever: "
                 "clones, forks, CI logs and backups keep it even after the line is deleted.",
    .remediation = "Revoke and rotate the secret now, remove it from the file, and load it at run time from a "
                   "secret manager or the environment (e.g. ${DB_PASSWORD}); --history shows whether older commits "
                   "still hold it. A false positive goes in secrets.allowlist in .constable.yaml, with a reason.",
    .bad_example = "database:\n  url: postgresql://app:Zq8mW2rT5vL9xKp4@db.internal:5432/orders\n",
    .good_example = "database:\n  url: postgresql://app:${DB_PASSWORD}@db.internal:5432/orders\n",
    .parameters = "",
    .clause = {.section = "secret", .text = "never.*commit|commit.*(prohibited|never)"},
    .file_kind = FileKind::other,
    .stack = "",
    .scope = engine::Scope::every_text_file,
};

class HardcodedSecretCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check(const engine::FileContext& file, engine::Emitter& out) const override {
    report_secrets(file, out, "committed in the file");
  }
};

}  // namespace hardcoded_secret_check
}  // namespace

std::unique_ptr<engine::Check> make_hardcoded_secret_check() {
  return engine::make_check<hardcoded_secret_check::HardcodedSecretCheck>();
}

}  // namespace constable::checks::secrets
