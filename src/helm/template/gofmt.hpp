#pragma once
// Go's fmt package as templates reach it: Sprint, Sprintln and Sprintf with
// the verbs charts use (%s %d %v %q %x %X %o %b %c %f %e %g %t %T %%),
// flags, widths and precisions, and Go's error forms (%!d(string=x),
// %!s(MISSING), %!(EXTRA ...)).

#include <span>
#include <string>
#include <string_view>

#include "helm/value.hpp"

namespace constable::helm::tmpl {

std::string go_sprint(std::span<const Value> args);
std::string go_sprintln(std::span<const Value> args);
std::string go_sprintf(std::string_view format, std::span<const Value> args);

}  // namespace constable::helm::tmpl
