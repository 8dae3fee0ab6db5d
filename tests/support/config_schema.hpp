#pragma once
// Validating .constable.yaml files against docs/schema/constable-config.schema.json
// with python3-jsonschema (Draft 2020-12, formats checked), reading YAML as
// editors do (YAML 1.2: a date is a string). Used by the unit tests (every
// example config, schema and parser agreeing) and the CLI tests (what
// `constable init` writes).

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/test_support.hpp"

namespace constable::testing {

inline std::filesystem::path config_schema() {
  return source_dir() / "docs" / "schema" / "constable-config.schema.json";
}

// Each file's schema errors ("" when it is valid), in one python run.
// Fails the calling test (and returns nothing) when python cannot run.
inline std::map<std::string, std::string> config_schema_errors(const std::vector<std::filesystem::path>& files) {
  static constexpr const char* kScript = R"PY(
import json, sys, yaml, jsonschema
class Loader(yaml.SafeLoader):
    pass
Loader.yaml_implicit_resolvers = {
    k: [r for r in v if r[0] != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}
schema = json.load(open(sys.argv[1], encoding="utf-8"))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
out = {}
for path in sys.argv[2:]:
    with open(path, encoding="utf-8") as f:
        doc = yaml.load(f, Loader=Loader)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    out[path] = "; ".join("/".join(str(p) for p in e.absolute_path) + ": " + e.message for e in errors)
print(json.dumps(out))
)PY";
  std::vector<std::string> argv = {"/usr/bin/python3", "-c", kScript, config_schema().string()};
  for (const auto& f : files) argv.push_back(f.string());
  const CommandResult result = run_command(argv);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  std::map<std::string, std::string> errors;
  if (result.exit_code != 0) return errors;
  const nlohmann::json verdicts = nlohmann::json::parse(result.out);
  for (const auto& [path, message] : verdicts.items()) errors[path] = message.get<std::string>();
  return errors;
}

}  // namespace constable::testing
