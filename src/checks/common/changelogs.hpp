#pragma once
// Which files are changelogs or release notes, by name: shared by the checks
// that look for one (workflow/release-process) and those that must not read
// one as instructions (docs/minikube-resources).

#include <string_view>

namespace constable::checks::changelogs {

// `name`, a lower-case file name without its directory: CHANGELOG.md,
// changes.rst, HISTORY.md, NEWS, release-notes.md, release_notes.txt.
bool is_changelog_name(std::string_view name);

}  // namespace constable::checks::changelogs
