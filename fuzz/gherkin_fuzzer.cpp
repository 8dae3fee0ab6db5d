// Gherkin feature files: i18n keywords, tags, rules, backgrounds, outlines,
// examples tables and doc strings.

#include <cstddef>
#include <cstdint>

#include "formats/gherkin/gherkin.hpp"
#include "fuzz_support.hpp"

using namespace constable;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto document = gherkin::parse(fuzz::as_text(data, size));
  if (!document.feature) return 0;
  for (const auto* scenario : gherkin::all_scenarios(*document.feature)) {
    (void)gherkin::effective_kinds(scenario->steps);
    (void)gherkin::has_outcome(*scenario);
  }
  return 0;
}
