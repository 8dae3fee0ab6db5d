// Application code: the bytes as Python, TypeScript and TSX, each parsed by
// tree-sitter and modelled (src/code/). The first byte picks the grammar.
// Looks for crashes, leaks and undefined behaviour in the model builders
// (deep nesting, broken syntax, odd encodings) and for the models' views
// staying inside the text.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "code/model.hpp"
#include "fuzz_support.hpp"

using namespace constable;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const auto language = static_cast<code::Language>(data[0] % 3);
  const std::string_view text = fuzz::as_text(data + 1, size - 1);
  const code::Module module = code::build_module(language, text);
  // Touch what checks read, so out-of-range views are caught here.
  std::size_t touched = 0;
  for (const auto& import : module.imports) touched += import.bound_name().size();
  for (const auto& call : module.calls) touched += call.method().size() + call.arguments.size();
  for (const auto& read : module.attribute_reads) touched += module.qualified(read.path).size();
  for (const auto& function : module.functions) touched += function.body.text().size();
  if (module.tree) module.tree->root().walk([&](const code::Node& node) {
    touched += node.type().size();
    return true;
  });
  return touched == SIZE_MAX ? 1 : 0;
}
