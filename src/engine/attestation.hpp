#pragma once
// Attestations (`.constable.yaml`): whether each one holds, and which clauses
// count as enforced without a check. `coverage` and the runner share these so
// that a clause shown as attested is never also reported as unattested.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "constitution/model.hpp"
#include "core/date.hpp"
#include "engine/config.hpp"
#include "engine/plan.hpp"

namespace constable::engine {

enum class AttestationState : std::uint8_t {
  valid,
  unknown_clause,    // names no clause of this constitution (a typo attests nothing)
  missing_evidence,  // its evidence path does not exist under the repository root
  expired,
};
std::string_view to_string(AttestationState state);

// Unknown clause wins over missing evidence, which wins over expiry: the
// first problem a reader has to fix.
AttestationState assess(const Attestation& attestation, const constitution::Constitution& constitution,
                        const std::filesystem::path& root, Date today);

// The attestation of `clause_id`, or null.
const Attestation* attestation_for(const Config& config, std::string_view clause_id);

// Clauses constable's engine applies itself: the items of the constitution's
// severity policy ("High: Production reliability impact", "High: 7-day
// resolution") that set every finding's severity and due date.
bool applied_by_engine(const constitution::Constitution& constitution, const constitution::Clause& clause);

// How a clause is enforced, as `coverage` reports it and as
// `--require-attestations` judges it.
enum class ClauseEnforcement : std::uint8_t {
  by_check,         // an active check is bound to it
  by_engine,        // applied_by_engine
  attested,         // a valid attestation
  not_applicable,   // bound checks wait for a stack the repository lacks
  disabled,         // bound checks are deselected
  not_enforced,
};
ClauseEnforcement enforcement_of(const constitution::Clause& clause, const constitution::Constitution& constitution,
                                 const Plan& plan, const Config& config, const std::filesystem::path& root, Date today);

// A path shown to users: relative to `root` when inside it, else as given.
std::string display_path(const std::filesystem::path& path, const std::filesystem::path& root);

}  // namespace constable::engine
