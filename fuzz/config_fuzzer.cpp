// `.constable.yaml`: every key, waivers, attestations, options per domain,
// secret allowances, production rules and byte sizes.

#include <cstddef>
#include <cstdint>

#include "engine/config.hpp"
#include "fuzz_support.hpp"

using namespace constable;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = fuzz::as_text(data, size);
  (void)engine::parse_config(text, ".constable.yaml");
  (void)engine::parse_byte_size(text.substr(0, 32));
  return 0;
}
