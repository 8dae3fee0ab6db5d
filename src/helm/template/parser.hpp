#pragma once
// Parses a template into trees: the file's own body and every `define` /
// `block` in it. Errors carry the template file, line and column and read
// like text/template's ("function \"x\" not defined", "unexpected EOF").

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "helm/template/ast.hpp"

namespace constable::helm::tmpl {

struct Parsed {
  std::shared_ptr<Tree> main;
  std::vector<std::shared_ptr<Tree>> defines;  // in source order
};

// `is_function` tells the parser which identifiers are functions: an unknown
// one is a parse error, as in Go. The trees view `text`, which must outlive
// them (ast.hpp).
Result<Parsed> parse(std::string_view name, std::string_view file, std::string_view text,
                     const std::function<bool(std::string_view)>& is_function);

// Parentheses and if/range/with/define/block blocks nest at most this deep;
// deeper input is a parse error at the first level too many.
inline constexpr int kMaxNesting = 1000;

// Message prefix of the parse error for an unknown function.
inline constexpr std::string_view kUnknownFunction = "function \"";

}  // namespace constable::helm::tmpl
