#pragma once
// Binding: which checks are active for this constitution, this configuration
// and this repository, each bound to the clause it enforces.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "constitution/model.hpp"
#include "engine/catalog.hpp"
#include "engine/config.hpp"
#include "workspace/workspace.hpp"

namespace constable::engine {

enum class BindingStatus : std::uint8_t {
  active,          // bound and applicable: runs
  no_clause,       // the constitution has no clause it enforces: inactive
  not_applicable,  // the repository lacks the stack it checks (no Dockerfile...)
  deselected,      // turned off by --select/--ignore or the config
};
std::string_view to_string(BindingStatus status);

struct Binding {
  std::unique_ptr<Check> check;
  const constitution::Clause* clause = nullptr;  // null when no_clause
  BindingStatus status = BindingStatus::no_clause;
  std::string parameters;  // what bind() captured, for coverage and explain
  // Sibling clauses the check also enforces (Check::also_enforced), besides `clause`.
  std::vector<const constitution::Clause*> also_enforces;
};

struct Selection {
  std::vector<std::string> select;  // ids or domains; empty = all
  std::vector<std::string> ignore;
};

struct Plan {
  std::vector<Binding> bindings;  // in catalog order

  const Binding* find(std::string_view check_id) const;
  std::vector<const Binding*> for_clause(std::string_view clause_id) const;
};

// A check from outside the catalog (a team's Rego policy, src/policy/)
// whose clause its loader has already found.
struct ExtraCheck {
  std::unique_ptr<Check> check;
  const constitution::Clause* clause = nullptr;
};

// Binds every catalog check, then the extra ones after them. Fails (exit 2)
// when a check rejects its clause or options, naming the check, the clause
// and the constitution line. With a cache directory (core/cache.hpp), which
// clause each check matched is kept there and read back by later runs of
// the same checks on the same clauses.
Result<Plan> bind(const Catalog& catalog, const constitution::Constitution& constitution,
                  const Config& config, const workspace::StackFacts& stack, const Selection& selection,
                  std::vector<ExtraCheck> extra = {},
                  const std::optional<std::filesystem::path>& cache_directory = std::nullopt);

// bind() in two steps, so that clauses are found while discovery is still
// learning the stack: bind_clauses() binds as if the repository used every
// technology, restrict_to_stack() then sets aside the active checks for a
// technology it does not use.
Result<Plan> bind_clauses(const Catalog& catalog, const constitution::Constitution& constitution,
                          const Config& config, const Selection& selection, std::vector<ExtraCheck> extra = {},
                          const std::optional<std::filesystem::path>& cache_directory = std::nullopt);
void restrict_to_stack(Plan& plan, const workspace::StackFacts& stack);

// Does `id` match a --select/--ignore entry ("docker", "docker/", "docker/healthcheck")?
bool selector_matches(std::string_view selector, std::string_view id);

}  // namespace constable::engine
