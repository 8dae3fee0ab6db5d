#include <string>

#include <fmt/format.h>

#include "constitution/model.hpp"

namespace constable::constitution {

std::string_view to_string(Modality modality) {
  switch (modality) {
    case Modality::must: return "MUST";
    case Modality::must_not: return "MUST NOT";
    case Modality::shall: return "SHALL";
    case Modality::shall_not: return "SHALL NOT";
    case Modality::required: return "REQUIRED";
    case Modality::prohibited: return "PROHIBITED";
    case Modality::should: return "SHOULD";
    case Modality::should_not: return "SHOULD NOT";
    case Modality::may: return "MAY";
    case Modality::rule: return "rule";
    case Modality::structure: return "structure";
  }
  return "rule";
}

std::string_view to_string(ClauseKind kind) {
  switch (kind) {
    case ClauseKind::sentence: return "sentence";
    case ClauseKind::list_item: return "list-item";
    case ClauseKind::standard_item: return "standard-item";
    case ClauseKind::structure_block: return "structure-block";
  }
  return "sentence";
}

std::string Section::joined() const { return fmt::format("{}", fmt::join(path, " > ")); }

std::string Clause::section_joined() const { return fmt::format("{}", fmt::join(section_path, " > ")); }

const Clause* Constitution::find(std::string_view clause_id) const {
  for (const Clause& clause : clauses) {
    if (clause.id == clause_id) return &clause;
  }
  return nullptr;
}

}  // namespace constable::constitution
