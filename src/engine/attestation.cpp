#include "engine/attestation.hpp"

#include <functional>

#include "core/files.hpp"
#include "core/text.hpp"

namespace constable::engine {

std::string_view to_string(AttestationState state) {
  switch (state) {
    case AttestationState::valid: return "valid";
    case AttestationState::unknown_clause: return "unknown clause";
    case AttestationState::missing_evidence: return "missing evidence";
    case AttestationState::expired: return "expired";
  }
  return "valid";
}

AttestationState assess(const Attestation& attestation, const constitution::Constitution& constitution,
                        const std::filesystem::path& root, Date today) {
  if (constitution.find(attestation.clause) == nullptr) return AttestationState::unknown_clause;
  // Evidence must be in the repository, as the workspace sees it: a symlink
  // to a file outside it (or a loop) is no evidence.
  if (!attestation.evidence_is_url() && !files::locate(root / attestation.evidence, root))
    return AttestationState::missing_evidence;
  if (attestation.expires < today) return AttestationState::expired;
  return AttestationState::valid;
}

const Attestation* attestation_for(const Config& config, std::string_view clause_id) {
  for (const auto& a : config.attestations)
    if (a.clause == clause_id) return &a;
  return nullptr;
}

bool applied_by_engine(const constitution::Constitution& constitution, const constitution::Clause& clause) {
  if (!constitution.severity.from_constitution) return false;
  // The parser reads the policy from list items "Severity: description" under
  // a heading about violations, remediation or severity (constitution/parser.cpp).
  bool in_policy = false;
  for (const auto& heading : clause.section_path)
    in_policy = in_policy || text::icontains(heading, "violation") || text::icontains(heading, "remediation") ||
                text::icontains(heading, "severity");
  const bool item =
      clause.kind == constitution::ClauseKind::list_item || clause.kind == constitution::ClauseKind::standard_item;
  if (!in_policy || !item) return false;
  const auto colon = clause.text.find(':');
  return colon != std::string::npos && parse_severity(text::trim(std::string_view(clause.text).substr(0, colon)));
}

namespace {

// The items that take their modality from `clause` ("Every project MUST
// include:" and the list under it). They follow it in the constitution's
// clauses: looking only there keeps this linear in the list, not the document.
std::vector<const constitution::Clause*> items_of_lead_in(const constitution::Clause& clause,
                                                          const constitution::Constitution& constitution) {
  std::vector<const constitution::Clause*> items;
  if (!clause.text.ends_with(':') || clause.list_clauses == 0) return items;
  const auto& all = constitution.clauses;
  const std::less<const constitution::Clause*> before;
  if (all.empty() || before(&clause, all.data()) || !before(&clause, all.data() + all.size())) return items;
  const auto at = static_cast<std::size_t>(&clause - all.data());
  for (std::size_t i = at + 1; i <= at + clause.list_clauses && i < all.size(); ++i) {
    const auto& other = all[i];
    if (other.modality_inherited && other.section_path == clause.section_path && other.lead_in == clause.text)
      items.push_back(&other);
  }
  return items;
}

}  // namespace

ClauseEnforcement enforcement_of(const constitution::Clause& clause, const constitution::Constitution& constitution,
                                 const Plan& plan, const Config& config, const std::filesystem::path& root, Date today) {
  // A lead-in says nothing its items do not: it is enforced when every item is
  // enforced by a check or by constable.
  if (const auto items = items_of_lead_in(clause, constitution); !items.empty() && plan.for_clause(clause.id).empty()) {
    bool all = true;
    for (const auto* item : items) {
      const auto e = enforcement_of(*item, constitution, plan, config, root, today);
      all = all && (e == ClauseEnforcement::by_check || e == ClauseEnforcement::by_engine);
    }
    if (all) return ClauseEnforcement::by_check;
  }
  bool any_not_applicable = false, any_disabled = false;
  for (const Binding* b : plan.for_clause(clause.id)) {
    if (b->status == BindingStatus::active) return ClauseEnforcement::by_check;
    any_not_applicable = any_not_applicable || b->status == BindingStatus::not_applicable;
    any_disabled = any_disabled || b->status == BindingStatus::deselected;
  }
  if (applied_by_engine(constitution, clause)) return ClauseEnforcement::by_engine;
  if (const Attestation* a = attestation_for(config, clause.id);
      a != nullptr && assess(*a, constitution, root, today) == AttestationState::valid)
    return ClauseEnforcement::attested;
  if (any_not_applicable) return ClauseEnforcement::not_applicable;
  if (any_disabled) return ClauseEnforcement::disabled;
  return ClauseEnforcement::not_enforced;
}

std::string display_path(const std::filesystem::path& path, const std::filesystem::path& root) {
  std::error_code ec;
  const auto relative = std::filesystem::relative(path, root, ec);
  if (!ec && !relative.empty() && !relative.string().starts_with("..")) return relative.generic_string();
  return path.string();
}

}  // namespace constable::engine
