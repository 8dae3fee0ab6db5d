// Dockerfile parsing, stage ancestry, ENV/ARG/LABEL entries, image references
// and ARG/ENV expansion (global defaults into FROM, stage variables into every
// instruction), as the docker checks use them.

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "formats/dockerfile/dockerfile.hpp"
#include "formats/image_ref.hpp"
#include "fuzz_support.hpp"

using namespace constable;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(fuzz::as_text(data, size));
  const auto file = dockerfile::Dockerfile::parse(text);

  const auto globals = file.global_arg_defaults();
  for (const auto& stage : file.stages) {
    (void)file.ancestry(stage);
    (void)formats::parse_image_ref(stage.image);
    (void)formats::parse_image_ref(stage.resolved_image);
    bool unresolved = false;
    (void)dockerfile::expand_variables(stage.image, globals, file.escape, &unresolved);

    std::map<std::string, std::string> vars = globals;
    for (const auto* instruction : file.stage_instructions(stage)) {
      // As the docker checks scope variables: each ARG/ENV value expanded with those before it.
      if (instruction->keyword == "ARG" || instruction->keyword == "ENV") {
        for (const auto& entry : dockerfile::key_values(*instruction)) {
          vars[entry.key] = dockerfile::expand_variables(entry.value, vars, instruction->escape);
        }
      } else if (instruction->keyword == "LABEL") {
        (void)dockerfile::key_values(*instruction);
      }
      (void)dockerfile::expand_variables(instruction->arguments, vars, instruction->escape, &unresolved);
      for (const auto& arg : instruction->exec_args) (void)dockerfile::expand_variables(arg, vars, instruction->escape);
      for (std::size_t offset = 0; offset <= instruction->arguments.size(); offset += 7) {
        (void)instruction->position_of(offset);
      }
    }
  }
  (void)file.final_stage();
  return 0;
}
