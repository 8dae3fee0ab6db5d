// Helm values: values files parsed into values, layered (-f files merged in
// order, --set expressions applied, chart defaults coalesced underneath) and
// validated against a values.schema.json, as a chart render does. Parts:
// the chart's values.yaml first, then "#=== <name>" parts: "set" (one --set
// expression per line), "set-string", "values.schema.json", and any other
// name is a user values file.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/text.hpp"
#include "fuzz_support.hpp"
#include "helm/schema.hpp"
#include "helm/value.hpp"
#include "helm/values.hpp"

using namespace constable;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parts = fuzz::split_files(fuzz::as_text(data, size), "values.yaml");
  static const std::string kDefaultsFile = "values.yaml";
  static const std::string kSetOrigin = "--set";
  helm::Dict defaults;
  helm::Dict user;
  std::string schema;
  for (const auto& part : parts) {
    if (part.name == "set" || part.name == "set-string") {
      for (std::string_view line : text::split_lines(part.text)) {
        if (!line.empty()) (void)helm::apply_set(user, line, part.name == "set-string", helm::Origin{&kSetOrigin, 0});
      }
    } else if (part.name == "values.schema.json") {
      schema = part.text;
    } else {
      auto parsed = helm::parse_values(part.text, &part.name);
      if (!parsed || !parsed->is_dict()) continue;
      if (&part == &parts.front() && part.name == kDefaultsFile) {
        defaults = *parsed->dict;
      } else {
        helm::merge_values(user, *parsed->dict);
      }
    }
  }
  helm::coalesce_into(user, defaults);
  const helm::Value values = helm::Value::of(std::move(user));
  if (!schema.empty()) (void)helm::validate_schema(schema, "values.schema.json", values, "fuzz");
  return 0;
}
