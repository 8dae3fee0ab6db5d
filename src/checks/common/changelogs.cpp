#include "checks/common/changelogs.hpp"

namespace constable::checks::changelogs {

bool is_changelog_name(std::string_view name) {
  return name.starts_with("changelog") || name.starts_with("changes") || name.starts_with("history") ||
         name.starts_with("news") || name.starts_with("release-notes") || name.starts_with("release_notes");
}

}  // namespace constable::checks::changelogs
