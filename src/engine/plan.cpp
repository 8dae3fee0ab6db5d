#include "engine/plan.hpp"

#include <fmt/format.h>
#include <re2/re2.h>

namespace constable::engine {

std::string_view to_string(BindingStatus status) {
  switch (status) {
    case BindingStatus::active: return "active";
    case BindingStatus::no_clause: return "no-clause";
    case BindingStatus::not_applicable: return "not-applicable";
    case BindingStatus::deselected: return "deselected";
  }
  return "no-clause";
}

bool selector_matches(std::string_view selector, std::string_view id) {
  if (selector.empty()) return false;
  if (selector == id || selector == "all") return true;
  // A domain ("docker" or "docker/") selects every check in it.
  std::string_view domain = selector;
  if (domain.ends_with('/')) domain.remove_suffix(1);
  return id.size() > domain.size() && id.starts_with(domain) && id[domain.size()] == '/';
}

namespace {

bool selected(std::string_view id, const Selection& selection) {
  bool in = selection.select.empty();
  for (const auto& s : selection.select) in = in || selector_matches(s, id);
  for (const auto& s : selection.ignore)
    if (selector_matches(s, id)) return false;
  return in;
}

// `sections[i]` is c.clauses[i].section_joined(), joined once for every check.
Result<const constitution::Clause*> find_clause(const CheckInfo& info, const constitution::Constitution& c,
                                                const std::vector<std::string>& sections) {
  RE2::Options options;
  options.set_case_sensitive(false);
  options.set_log_errors(false);
  const RE2 section(info.clause.section.empty() ? std::string_view(".") : info.clause.section, options);
  const RE2 text(info.clause.text.empty() ? std::string_view(".") : info.clause.text, options);
  if (!section.ok() || !text.ok())
    return fail(fmt::format("check {} has an invalid clause matcher: {}", info.id,
                            section.ok() ? text.error() : section.error()));
  for (std::size_t i = 0; i < c.clauses.size(); ++i) {
    if (RE2::PartialMatch(sections[i], section) && RE2::PartialMatch(c.clauses[i].text, text)) return &c.clauses[i];
  }
  return nullptr;
}

}  // namespace

const Binding* Plan::find(std::string_view check_id) const {
  for (const auto& b : bindings)
    if (b.check->info().id == check_id) return &b;
  return nullptr;
}

std::vector<const Binding*> Plan::for_clause(std::string_view clause_id) const {
  std::vector<const Binding*> out;
  for (const auto& b : bindings)
    if ((b.clause != nullptr && b.clause->id == clause_id) ||
        std::any_of(b.also_enforces.begin(), b.also_enforces.end(),
                    [&](const constitution::Clause* c) { return c->id == clause_id; }))
      out.push_back(&b);
  return out;
}

Result<Plan> bind(const Catalog& catalog, const constitution::Constitution& constitution, const Config& config,
                  const workspace::StackFacts& stack, const Selection& selection) {
  Plan plan;
  std::vector<std::string> sections;
  sections.reserve(constitution.clauses.size());
  for (const auto& clause : constitution.clauses) sections.push_back(clause.section_joined());
  for (CheckFactory make : catalog.factories()) {
    Binding binding;
    binding.check = make();
    const CheckInfo& info = binding.check->info();
    auto clause = find_clause(info, constitution, sections);
    if (!clause) return std::unexpected(clause.error());
    binding.clause = *clause;
    if (binding.clause == nullptr) {
      binding.status = BindingStatus::no_clause;
    } else {
      std::vector<const constitution::Clause*> section;
      for (const auto& other : constitution.clauses)
        if (other.section_path == binding.clause->section_path) section.push_back(&other);
      auto bound = binding.check->bind(*binding.clause, config);
      if (bound) bound = binding.check->bind_section(section);
      if (!bound) {
        return fail(fmt::format("check {} cannot enforce clause {}: {}", info.id, binding.clause->id,
                                bound.error().message),
                    constitution.path, binding.clause->line);
      }
      binding.parameters = binding.check->bound_parameters();
      for (const constitution::Clause* c : binding.check->also_enforced())
        if (c != binding.clause) binding.also_enforces.push_back(c);
      if (!selected(info.id, selection)) {
        binding.status = BindingStatus::deselected;
      } else if (!info.stack.empty() && !stack.has(info.stack)) {
        binding.status = BindingStatus::not_applicable;
      } else {
        binding.status = BindingStatus::active;
      }
    }
    plan.bindings.push_back(std::move(binding));
  }
  return plan;
}

}  // namespace constable::engine
