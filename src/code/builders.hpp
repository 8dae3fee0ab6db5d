#pragma once
// The per-language builders of a Module from its syntax tree (src/code/),
// and what they share. Internal to src/code/.

#include <string>
#include <string_view>

#include "code/model.hpp"

namespace constable::code {

void build_python(Module& module, const Node& root);
void build_typescript(Module& module, const Node& root);

namespace detail {

// Deeper nesting than this is not modelled (the syntax tree still holds
// it): the builders recurse, and a generated or hostile file may nest
// thousands of brackets deep.
inline constexpr int kMaxModelDepth = 256;

std::string without_whitespace(std::string_view text);
// Records an ERROR or MISSING node as a SyntaxError.
void note_syntax_error(Module& module, const Node& node);

}  // namespace detail

}  // namespace constable::code
