#include "engine/progress.hpp"

namespace constable::engine {

std::string_view to_string(Phase phase) {
  switch (phase) {
    case Phase::constitution: return "constitution";
    case Phase::discover: return "discover";
    case Phase::bind: return "bind";
    case Phase::repository: return "repository checks";
    case Phase::files: return "files";
    case Phase::charts: return "charts";
    case Phase::manifests: return "manifest checks";
    case Phase::report: return "report";
  }
  return "run";
}

}  // namespace constable::engine
