#pragma once
// `constable constitution amend`: the Sync Impact Report and the version
// footer written into the constitution, every other byte left as it was.

#include <string>
#include <string_view>

#include "constitution/diff.hpp"
#include "core/date.hpp"
#include "core/error.hpp"

namespace constable::constitution {

// `markdown` with its Sync Impact Report comment replaced (or, without one,
// inserted at the top) by the report of `change`, and its version footer
// set to `to_version`, last amended `today` (appended when there is none).
// Line endings follow the file's (CRLF stays CRLF); a BOM stays. Fails when
// `to_version` is not MAJOR.MINOR.PATCH or not above the footer's version.
Result<std::string> amend(std::string_view markdown, const ConstitutionDiff& change, std::string_view to_version,
                          Date today);

}  // namespace constable::constitution
