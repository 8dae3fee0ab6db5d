#pragma once
// The few facts the security checks read from Terraform: the `resource`
// blocks of some types in a .tf file, a block's literal attributes and its
// nested blocks. Strings (with their interpolations), comments and nesting
// are skipped, so a brace or a keyword inside them never ends a block; an
// attribute set by an expression (a variable, a conditional) reads as
// "not literal" and is never judged.

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "engine/check.hpp"

namespace constable::checks::security {

// HCL's lexical pieces, for readers of other Terraform facts (the cost
// checks' tags): the index of the closing quote of the string opening at
// `open` (an interpolation's own quotes stay inside); the index of the end of
// the comment starting at `i` ('#', "//", "/*"), or `i` when none does; the
// `{ ... }` block opening at the first '{' at or after `from`, strings and
// comments skipped, nullopt when it never closes.
std::size_t hcl_string_end(std::string_view hcl, std::size_t open);
std::size_t hcl_comment_end(std::string_view hcl, std::size_t i);
std::optional<std::string_view> hcl_block(std::string_view hcl, std::size_t from);

struct TerraformBlock {
  std::string_view type;  // "aws_cloudtrail"
  std::string_view name;  // "main"
  std::string_view body;  // "{ ... }", braces included
  std::size_t offset = 0;  // of the `resource` keyword in the file
};

// The `resource "<type>" "<name>" { ... }` blocks of `hcl` whose type is one
// of `types`, in order; a block that never closes, or sits inside a
// `/* ... */` comment, is left out.
std::vector<TerraformBlock> terraform_resources(std::string_view hcl, const std::vector<std::string_view>& types);

// The value of the top-level attribute `name` of `block` ("{ ... }"): its
// text up to the end of its line, trimmed, a trailing comment removed; nullopt
// when the block does not set it at its top level.
struct Attribute {
  std::string_view value;
  std::size_t offset = 0;  // of the attribute's name, in the block
};
std::optional<Attribute> terraform_attribute(std::string_view block, std::string_view name);

// A literal `true` / `false` (or the string "true" / "false", which
// Terraform converts), nullopt for anything else (a variable, a conditional).
std::optional<bool> terraform_bool(std::string_view value);

// The nested blocks `name { ... }` at the top level of `block`, in order,
// with their offsets in `block`.
std::vector<std::pair<std::string_view, std::size_t>> terraform_nested(std::string_view block, std::string_view name);

// The .tf files of the workspace holding `needle` (a resource type), with
// their text, read once through the repository context.
struct TerraformFile {
  const workspace::File* file = nullptr;
  std::string_view text;
};
std::vector<TerraformFile> terraform_files_with(const engine::RepositoryContext& repo, std::string_view needle);

// 1-based line of `offset` in `text`.
int terraform_line(std::string_view text, std::size_t offset);

}  // namespace constable::checks::security
