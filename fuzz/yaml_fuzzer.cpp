// YAML and JSON documents (JSON is parsed as YAML): the event parser with its
// depth and alias-expansion bounds, then every accessor a check uses, over
// the whole tree (aliases included, as consumers are allowed to recurse).

#include <cstddef>
#include <cstdint>
#include <string>

#include "formats/yaml/yaml.hpp"
#include "fuzz_support.hpp"

using namespace constable;

namespace {

// Visits at most `budget` nodes: the parser bounds what aliases can reach,
// and this keeps one input from spending the whole run in a walk.
void visit(const yaml::Node* node, std::size_t& budget) {
  if (node == nullptr || budget == 0) return;
  --budget;
  (void)node->scalar_type();
  (void)node->as_bool();
  (void)node->as_int();
  (void)node->as_double();
  (void)node->as_string();
  (void)node->str();
  (void)node->is_null();
  for (const auto* item : node->items) visit(item, budget);
  for (const auto& entry : node->entries) {
    visit(entry.key, budget);
    visit(entry.value, budget);
    if (entry.key != nullptr && entry.key->is_scalar()) {
      (void)node->get(entry.key->value);
      (void)node->find(entry.key->value);
    }
  }
  (void)node->at("metadata", "name");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(fuzz::as_text(data, size));
  const auto stream = yaml::parse(text);
  (void)stream.ok();
  std::size_t budget = 200000;
  for (const auto& document : stream.documents) visit(document.root, budget);
  for (const auto& error : stream.errors) (void)error.message.size();
  (void)yaml::resolve_plain(text.substr(0, 64));
  return 0;
}
