// security/disclosure-policy: "Vulnerability disclosure process MUST be
// documented". A SECURITY.md (where GitHub and GitLab look for it) tells a
// finder where to report privately; without a reporting channel it tells
// them nothing they can act on.

#include <fmt/format.h>
#include <re2/re2.h>

#include "checks/docs/docs_support.hpp"
#include "checks/security/security_checks.hpp"

namespace constable::checks::security {

namespace {
namespace disclosure_policy_check {

constexpr engine::CheckInfo kInfo{
    .id = "security/disclosure-policy",
    .domain = "security",
    .nature = Nature::documentation,
    .summary = "Document how to report a vulnerability privately in SECURITY.md",
    .rationale =
        "Someone who finds a vulnerability needs a private way to report it; without one they open a public "
        "issue, or tell no one. GitHub shows SECURITY.md (at the root, in .github/ or docs/) on the repository's "
        "security page and GitLab links it. Recognised: SECURITY.md, .markdown, .rst, .adoc or .txt in those "
        "places, with a reporting channel: an email address, a link (a form, GitHub's private vulnerability "
        "reporting, a bug bounty programme) or a mention of the repository's security advisories; or an OpenSSF "
        "Security Insights file (security-insights.yml) whose vulnerability-reporting section names one. Applies to "
        "repositories that deploy something (a Dockerfile that is not for development, a Compose file, Kubernetes "
        "manifests, a Helm chart or Terraform). An "
        "organisation-wide policy in another repository is not visible here: a one-line SECURITY.md pointing "
        "at it is enough.",
    .remediation =
        "Add SECURITY.md: the versions that get fixes, where to report (security@example.com, or GitHub's "
        "\"Report a vulnerability\" under Security > Advisories), what to include, and how soon you answer.",
    .bad_example = "README.md\n",
    .good_example = "SECURITY.md:\n  # Security policy\n  Report vulnerabilities to security@example.com; we answer "
                    "within two working days.\n",
    .parameters = "",
    .clause = {.section = "vulnerability|security", .text = "disclosure"},
    .file_kind = FileKind::other,
    .stack = "deploys",  // workspace::kDeploysFact: a repository that ships something
    .scope = engine::Scope::repository,
};

// An email address, a link, or a named private reporting service.
const RE2& channel_pattern() {
  static const RE2 kChannel(
      R"((?i)[a-z0-9._%+-]+@[a-z0-9-]+(\.[a-z0-9-]+)+|https?://|mailto:|security advisor|report a vulnerability|)"
      R"(private vulnerability report|hackerone|bugcrowd|intigriti|huntr)");
  return kChannel;
}

class DisclosurePolicyCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    const workspace::File* policy = nullptr;
    for (std::string_view name : {"SECURITY.md", "SECURITY.markdown", "SECURITY.rst", "SECURITY.adoc", "SECURITY.txt"})
      if ((policy = docs::find_document(repo.workspace(), name, true)) != nullptr) break;
    // An OpenSSF Security Insights file documents the process as data:
    // its vulnerability-reporting section with a contact or policy.
    for (std::string_view name : {"security-insights.yml", "security-insights.yaml", "SECURITY-INSIGHTS.yml"}) {
      const workspace::File* insights = docs::find_document(repo.workspace(), name, true);
      if (insights == nullptr) continue;
      const std::string_view text = docs::read_file(repo, *insights);
      const auto section = text.find("vulnerability-reporting:");
      if (policy == nullptr && section != std::string_view::npos &&
          RE2::PartialMatch(text.substr(section), channel_pattern()))
        return;
    }
    if (policy == nullptr) {
      docs::emit_at(out, "SECURITY.md", 0,
                    "no SECURITY.md says how to report a vulnerability (looked at the root, .github/, docs/ and doc/; "
                    "an organisation-wide policy in another repository is not visible here)");
      return;
    }
    const std::string_view text = docs::read_file(repo, *policy);
    if (RE2::PartialMatch(text, channel_pattern())) return;
    docs::emit_at(out, policy->path, 0,
                  fmt::format("{} names no channel to report a vulnerability: no email address, link or security "
                              "advisories page",
                              policy->path));
  }
};

}  // namespace disclosure_policy_check
}  // namespace

std::unique_ptr<engine::Check> make_disclosure_policy_check() {
  return engine::make_check<disclosure_policy_check::DisclosurePolicyCheck>();
}

}  // namespace constable::checks::security
