// Go text/template with the Sprig and Helm functions: a one-template chart
// rendered with small budgets. The input is the template; optional
// "#=== values.yaml", "#=== templates/_helpers.tpl" and
// "#=== values.schema.json" parts (fuzz_support.hpp) become those files.

#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "helm/chart.hpp"
#include "helm/render.hpp"
#include "helm/value.hpp"

using namespace constable;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  helm::Chart chart;
  chart.display_prefix = "charts/fuzz/";
  chart.name = "fuzz";
  chart.version = "0.1.0";
  chart.app_version = "1.0.0";
  chart.api_version = "v2";
  chart.type = "application";
  helm::Dict metadata;
  metadata["apiVersion"] = helm::Value::of("v2");
  metadata["name"] = helm::Value::of("fuzz");
  metadata["version"] = helm::Value::of("0.1.0");
  metadata["appVersion"] = helm::Value::of("1.0.0");
  chart.metadata = helm::Value::of(std::move(metadata));

  for (auto& part : fuzz::split_files(fuzz::as_text(data, size), "templates/fuzz.yaml")) {
    if (part.name == "values.yaml") {
      chart.values_text = std::move(part.text);
      chart.has_values_file = true;
    } else if (part.name == "values.schema.json") {
      chart.schema_text = std::move(part.text);
    } else if (part.name.starts_with("templates/")) {
      chart.templates.push_back(helm::ChartFile{part.name, std::move(part.text)});
    } else {
      chart.files.emplace_back(part.name, std::move(part.text));
    }
  }

  helm::RenderOptions options;
  options.set_values = {"image.tag=fuzz"};
  // Budgets far below the defaults keep each input fast; the limits themselves are what is fuzzed.
  options.limits.max_depth = 100;
  options.limits.max_output = 1u << 20;
  options.limits.max_steps = 200'000;
  options.limits.max_items = 10'000;
  const auto result = helm::render(chart, options);
  (void)helm::helm_template_output(result);
  return 0;
}
