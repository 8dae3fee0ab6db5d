#pragma once
// Parses one Rego module (v1 syntax, and v0 with or without the future
// keywords) into a syntax tree with source positions. Errors name
// file:line:column as `opa check` does.

#include <string_view>

#include "core/error.hpp"
#include "rego/ast.hpp"

namespace constable::rego {

Result<Module> parse_module(std::string_view text, std::string file);

// A query, as `opa eval` takes it ("data.main.deny", "x := 1; x > 0").
Result<Body> parse_query(std::string_view text);

}  // namespace constable::rego
