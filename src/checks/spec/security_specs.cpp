// spec/security-specs: a threat model naming its method, and the compliance
// requirements the system is held to, are written down.

#include <cstdint>

#include <fmt/format.h>
#include <re2/re2.h>

#include "checks/spec/spec_checks.hpp"
#include "checks/spec/spec_support.hpp"
#include "core/literals.hpp"
#include "core/text.hpp"

namespace constable::checks::spec {

namespace {
namespace security_specs_check {

constexpr engine::CheckInfo kInfo{
    .id = "spec/security-specs",
    .domain = "spec",
    .nature = Nature::documentation,
    .summary = "Write down a threat model (naming its method) and the compliance requirements",
    .rationale =
        "A threat model records which attacks were considered and how each is mitigated; compliance requirements "
        "say which regimes the system answers to. A threat model is a document (Markdown, text, AsciiDoc, YAML) "
        "that says \"threat model\" and names its method: STRIDE, LINDDUN, PASTA, DREAD, OCTAVE, VAST, Trike or "
        "attack trees. Compliance requirements are a document naming a regime (GDPR, CCPA, SOC 2, ISO 27001, "
        "HIPAA, PCI DSS, FedRAMP, NIST 800-53) or a heading \"Compliance\" / \"Compliance Requirements\". The "
        "constitution itself (files named *constitution*) does not count: it asks for these documents.",
    .remediation = "Add docs/security/threat-model.md (method, assets, threats, mitigations) and "
                   "docs/security/compliance.md (regimes and the controls that meet them).",
    .bad_example = "# docs/security.md\nWe take security seriously.\n",
    .good_example = "# docs/threat-model.md\n## Threat model (STRIDE)\n...\n## Compliance\nGDPR: ...\n",
    .parameters = "which documents the clause requires (threat models, compliance requirements)",
    .clause = {.section = "mandatory specification|specification components", .text = "security specification"},
    .file_kind = FileKind::other,
    .stack = "",
    .scope = engine::Scope::repository,
};

class SecuritySpecsCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  Result<void> bind(const constitution::Clause& clause, const engine::Config& config) override {
    (void)config;
    threats_ = text::icontains(clause.text, "threat");
    compliance_ = text::icontains(clause.text, "compliance");
    if (!threats_ && !compliance_) return fail("the clause names neither threat models nor compliance requirements");
    return {};
  }

  std::string bound_parameters() const override {
    return fmt::format("requires:{}{}", threats_ ? " threat model" : "", compliance_ ? " compliance requirements" : "");
  }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    static const RE2 threat_model(R"((?i)threat[ -]?model)");
    static const RE2 method(R"(\b(?:STRIDE|LINDDUN|PASTA|DREAD|OCTAVE|VAST|Trike)\b|(?i:\battack[ -]trees?\b))");
    // A regime named, or a "Compliance" heading: one pattern, so each text is
    // read once (either alone costs as much as both).
    static const RE2 compliance_evidence(
        R"(\b(?:GDPR|CCPA|SOC ?2|ISO(?:/IEC)? ?27001|HIPAA|PCI[ -]DSS|FedRAMP|NIST (?:SP )?800-53)\b)"
        R"(|(?mi:^#{1,6}\s*(?:regulatory\s+)?compliance(?:\s+requirements)?\s*$))");
    // The words each pattern needs, in any case: one pass over a text tells
    // which patterns may match it (most texts hold none of them).
    static const text::Literals kWords{{"threat", "gdpr", "ccpa", "soc2", "soc 2", "27001", "hipaa", "pci", "fedramp",
                                        "800-53", "compliance"},
                                       text::Literals::Case::insensitive};
    static const std::uint64_t kThreatWord = kWords.bit("threat");
    bool threats = false, compliance = false;
    for (const auto& file : repo.workspace().files) {
      const std::string ext = lower_extension(file.path);
      if (ext != "md" && ext != "markdown" && ext != "txt" && ext != "adoc" && ext != "rst" && ext != "yaml" &&
          ext != "yml")
        continue;
      if (lower_basename(file.path).find("constitution") != std::string::npos) continue;
      const std::string* content = read(repo, file);
      if (content == nullptr) continue;
      const text::Literals::Found words = kWords.found_in(*content);
      const bool may_model_threats = (words.bits & kThreatWord) != 0;
      const bool may_name_compliance = (words.bits & ~kThreatWord) != 0;
      threats = threats || (may_model_threats && RE2::PartialMatch(*content, threat_model) &&
                            RE2::PartialMatch(*content, method));
      compliance = compliance || (may_name_compliance && RE2::PartialMatch(*content, compliance_evidence));
    }
    if (threats_ && !threats)
      out.emit(missing("no threat model: looked for a document saying \"threat model\" and naming its method "
                       "(STRIDE, LINDDUN, PASTA, DREAD, OCTAVE, VAST, Trike, attack trees)"));
    if (compliance_ && !compliance)
      out.emit(missing("no compliance requirements: looked for a document naming a regime (GDPR, CCPA, SOC 2, "
                       "ISO 27001, HIPAA, PCI DSS, FedRAMP, NIST 800-53) or a \"Compliance\" heading"));
  }

 private:
  bool threats_ = true;
  bool compliance_ = true;
};

}  // namespace security_specs_check
}  // namespace

std::unique_ptr<engine::Check> make_security_specs_check() {
  return engine::make_check<security_specs_check::SecuritySpecsCheck>();
}

}  // namespace constable::checks::spec
