#include "engine/catalog.hpp"

#include <algorithm>

namespace constable::engine {

namespace rules {

const CheckInfo kParseError{
    .id = "constable/parse-error",
    .domain = "constable",
    .nature = Nature::reliability,
    .summary = "Files that constable checks must parse",
    .rationale = "A file that does not parse cannot be verified against the constitution, and the tool that "
                 "consumes it (docker build, kubectl, helm) will reject or misread it.",
    .remediation = "Fix the syntax error at the reported location.",
    .bad_example = "FROM\n",
    .good_example = "FROM alpine:3.20\n",
    .parameters = "",
    .clause = {},
    .file_kind = FileKind::other,
    .stack = "",
    // A file that is not what its name says (fuzz/dicts/dockerfile.dict)
    // fails on every line: one problem.
    .one_finding_per_file = true,
};

const CheckInfo kRenderError{
    .id = "constable/render-error",
    .domain = "constable",
    .nature = Nature::reliability,
    .summary = "Helm charts must render",
    .rationale = "constable renders every chart with its default values and with each values-<env>.yaml, as "
                 "`helm template` would, to check what the chart really deploys. A template that fails to "
                 "render (an unknown function, a parse error, a schema violation) fails `helm install` too, "
                 "and hides its manifests from every Kubernetes check. A template left out for want of a "
                 "`required` value or of a dependency not vendored under charts/ is a note on the chart "
                 "instead: Helm refuses such a chart as a whole, and the rest of it is still checked.",
    .remediation = "Fix the template or the values at the reported location; run `helm template` with the "
                   "same values file to reproduce.",
    .bad_example = "image: {{ .Values.image.tag | upcase }}\n",
    .good_example = "image: {{ .Values.image.tag | upper }}\n",
    .parameters = "",
    .clause = {},
    .file_kind = FileKind::helm_template,
    .stack = "",
};

const CheckInfo kUnreadableFile{
    .id = "constable/unreadable-file",
    .domain = "constable",
    .nature = Nature::reliability,
    .summary = "Files that active checks need must be readable text",
    .rationale = "A file named like a Dockerfile (or another checked format) that is binary, too large or "
                 "unreadable escapes every check; constable reports it rather than silently passing it.",
    .remediation = "Make the file readable text, raise max_file_size in .constable.yaml, or exclude the path.",
    .bad_example = "a 200 MB binary file named Dockerfile",
    .good_example = "a readable Dockerfile",
    .parameters = "",
    .clause = {},
    .file_kind = FileKind::other,
    .stack = "",
};

const CheckInfo kInvalidSuppression{
    .id = "constable/invalid-suppression",
    .domain = "constable",
    .nature = Nature::maintainability,
    .summary = "Inline suppressions must name a known check, give a reason, be unexpired and be used",
    .rationale = "A suppression without a reason hides a violation with no record of why; an expired or unused "
                 "one is a stale exception to the constitution.",
    .remediation = "Write `constable:ignore[CHECK-ID] reason=\"why\" until=YYYY-MM-DD` on the line before the "
                   "finding, or remove the suppression.",
    .bad_example = "# constable:ignore[docker/healthcheck]\nFROM alpine:3.20\n",
    .good_example = "# constable:ignore[docker/healthcheck] reason=\"batch job, no port\" until=2027-01-31\nFROM alpine:3.20\n",
    .parameters = "",
    .clause = {},
    .file_kind = FileKind::other,
    .stack = "",
};

const CheckInfo kExpiredWaiver{
    .id = "constable/expired-waiver",
    .domain = "constable",
    .nature = Nature::maintainability,
    .summary = "Waivers in .constable.yaml must not be past their expiry date",
    .rationale = "A waiver is a time-boxed exception; once it expires the violations it covered are reported "
                 "again and the stale waiver itself must be renewed or removed.",
    .remediation = "Fix the waived violations and delete the waiver, or renew it with a new expiry and reason.",
    .bad_example = "waivers:\n  - {check: docker/healthcheck, reason: legacy, owner: ops, expires: 2020-01-01}\n",
    .good_example = "waivers: []\n",
    .parameters = "",
    .clause = {},
    .file_kind = FileKind::other,
    .stack = "",
};

const CheckInfo kExpiredAttestation{
    .id = "constable/expired-attestation",
    .domain = "constable",
    .nature = Nature::maintainability,
    .summary = "Attestations in .constable.yaml must not be past their expiry date",
    .rationale = "An attestation stands in for a check on a clause no file can show (training, a review board, an "
                 "audit). Once it expires nobody vouches for the clause any more: it is renewed with fresh "
                 "evidence or the clause is no longer enforced.",
    .remediation = "Renew the attestation: update the evidence, the date and a new expiry, or remove it.",
    .bad_example = "attestations:\n"
                   "  - clause: kubectl-ai-standards/training-and-governance/team-members-must-complete-kubectl-ai\n"
                   "    evidence: docs/training/kubectl-ai.md\n"
                   "    owner: platform-team\n"
                   "    date: 2025-01-10\n"
                   "    expires: 2025-07-10\n",
    .good_example = "attestations:\n"
                    "  - clause: kubectl-ai-standards/training-and-governance/team-members-must-complete-kubectl-ai\n"
                    "    evidence: docs/training/kubectl-ai.md\n"
                    "    owner: platform-team\n"
                    "    date: 2026-09-01\n"
                    "    expires: 2027-03-01\n",
    .parameters = "",
    .clause = {},
    .file_kind = FileKind::other,
    .stack = "",
};

const CheckInfo kInvalidAttestation{
    .id = "constable/invalid-attestation",
    .domain = "constable",
    .nature = Nature::maintainability,
    .summary = "Attestations must name a clause of the constitution and evidence that exists",
    .rationale = "An attestation whose clause id has a typo, or whose clause was amended away, attests nothing; "
                 "one whose evidence file is missing vouches for a clause with nothing to show for it.",
    .remediation = "Copy the clause id from `constable coverage` or `constable explain`, and commit the evidence "
                   "file (or point at a URL).",
    .bad_example = "attestations:\n"
                   "  - clause: human-review/architecture-review-board-meets-weekly\n"
                   "    evidence: docs/governance/missing.md\n"
                   "    owner: cto-office\n"
                   "    date: 2026-09-01\n"
                   "    expires: 2027-03-01\n",
    .good_example = "attestations:\n"
                    "  - clause: compliance-verification/human-review/architecture-review-board-meets-bi-weekly\n"
                    "    evidence: docs/governance/architecture-review-board.md\n"
                    "    owner: cto-office\n"
                    "    date: 2026-09-01\n"
                    "    expires: 2027-03-01\n",
    .parameters = "",
    .clause = {},
    .file_kind = FileKind::other,
    .stack = "",
};

const CheckInfo kUnattestedClause{
    .id = "constable/unattested-clause",
    .domain = "constable",
    .nature = Nature::documentation,
    .summary = "With --require-attestations, every clause no check enforces must be attested",
    .rationale = "The constitution is only executable when every clause is either checked or vouched for. A "
                 "clause with neither is a rule nobody verifies; --require-attestations makes each one a finding "
                 "at its line in the constitution (clauses that only permit, with MAY, are left out).",
    .remediation = "Attest the clause in .constable.yaml (clause, evidence, owner, date, expires), or ask for a "
                   "check that enforces it.",
    .bad_example = "#### Human Review\n"
                   "- Architecture review board meets bi-weekly\n"
                   "(and no attestation of it in .constable.yaml)\n",
    .good_example = "attestations:\n"
                    "  - clause: compliance-verification/human-review/architecture-review-board-meets-bi-weekly\n"
                    "    evidence: docs/governance/architecture-review-board.md\n"
                    "    owner: cto-office\n"
                    "    date: 2026-09-01\n"
                    "    expires: 2027-03-01\n",
    .parameters = "",
    .clause = {},
    .file_kind = FileKind::other,
    .stack = "",
};

std::span<const CheckInfo* const> all() {
  static const CheckInfo* const kAll[] = {&kExpiredAttestation, &kExpiredWaiver,    &kInvalidAttestation,
                                          &kInvalidSuppression, &kParseError,       &kRenderError,
                                          &kUnattestedClause,
                                          &kUnreadableFile};
  return kAll;
}

}  // namespace rules

Catalog::Catalog(std::vector<CheckFactory> factories) : factories_(std::move(factories)) {
  for (CheckFactory make : factories_) {
    prototypes_.push_back(make());
    infos_.push_back(&prototypes_.back()->info());
  }
}

const CheckInfo* Catalog::find(std::string_view id) const {
  for (const CheckInfo* info : infos_)
    if (info->id == id) return info;
  for (const CheckInfo* info : rules::all())
    if (info->id == id) return info;
  return nullptr;
}

}  // namespace constable::engine
