#pragma once
// Internal to the Dockerfile parser: how its messages quote the file's text.

#include <string>
#include <string_view>

namespace constable::dockerfile::detail {

// Text shown in messages: at most 40 bytes ("..." after), control bytes as '?'.
std::string printable(std::string_view s);

}  // namespace constable::dockerfile::detail
