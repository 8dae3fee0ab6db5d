#pragma once
// A team's Rego policies as checks: each package of `deny`, `violation` and
// `warn` rules (conftest's conventions) becomes one check bound to the clause
// its METADATA names, and runs in every surface a built-in check runs in,
// over the documents the engine has already parsed (docs/policies.md).

#include <filesystem>
#include <string>
#include <vector>

#include "constitution/model.hpp"
#include "core/error.hpp"
#include "engine/plan.hpp"

namespace constable::policy {

// Loads every `.rego` file (but `*_test.rego`) under `directories`, relative
// to `base`, compiles them together and makes one check per package with
// policy rules. Fails with file:line:column on a parse or compile error, on
// a package without `custom.clause` in its METADATA, and on a clause that
// matches nothing in the constitution (the closest clause ids suggested).
// Directories a repository's own configuration names are confined to
// `confine_to` (its root), as the files it names are; empty: anywhere (a
// configuration the user named).
Result<std::vector<engine::ExtraCheck>> load(const std::filesystem::path& base,
                                             const std::vector<std::string>& directories,
                                             const constitution::Constitution& constitution,
                                             const std::filesystem::path& confine_to = {});

}  // namespace constable::policy
