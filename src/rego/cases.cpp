#include "rego/cases.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/files.hpp"
#include "formats/yaml/yaml.hpp"
#include "rego/compiler.hpp"
#include "rego/eval.hpp"
#include "rego/parser.hpp"

namespace constable::rego {

namespace {

// One solution's bindings as an object, for comparing with want_result.
Value bindings_object(const Bindings& bindings) {
  Object entries;
  for (const auto& [name, value] : bindings) entries.emplace_back(Value::string(name), value);
  return Value::object(std::move(entries));
}

std::string describe(const std::vector<Value>& results) {
  std::string out = "[";
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (i > 0) out += ", ";
    out += results[i].to_json();
  }
  return out + "]";
}

// A case's modules may be given as a list of texts or as {file: text}.
std::vector<std::pair<std::string, std::string>> module_texts(const yaml::Node* modules, const std::string& note) {
  std::vector<std::pair<std::string, std::string>> out;
  if (modules == nullptr) return out;
  if (modules->is_sequence()) {
    for (std::size_t i = 0; i < modules->items.size(); ++i) {
      out.emplace_back(fmt::format("{}/module{}.rego", note, i), std::string(modules->items[i]->str()));
    }
  } else if (modules->is_mapping()) {
    for (const auto& entry : modules->entries) out.emplace_back(std::string(entry.key->str()), std::string(entry.value->str()));
  }
  return out;
}

CaseOutcome run_case(const yaml::Node& spec) {
  CaseOutcome outcome;
  outcome.note = std::string(spec.get("note") != nullptr ? spec.get("note")->str() : "(no note)");
  outcome.line = spec.start.line;
  const yaml::Node* want_result = spec.get("want_result");
  const yaml::Node* want_error = spec.get("want_error");
  const yaml::Node* want_error_code = spec.get("want_error_code");
  const bool wants_error = want_error != nullptr || want_error_code != nullptr;

  auto expect_error = [&](const Error& error) {
    const std::string text = error.to_string();
    if (!wants_error) {
      outcome.detail = "unexpected error: " + error.to_string();
      return;
    }
    if (want_error_code != nullptr && text.find(want_error_code->str()) == std::string::npos) {
      outcome.detail = fmt::format("error {} does not carry code {}", error.to_string(), want_error_code->str());
      return;
    }
    if (want_error != nullptr && text.find(want_error->str()) == std::string::npos) {
      outcome.detail = fmt::format("error {} does not contain '{}'", error.to_string(), want_error->str());
      return;
    }
    outcome.passed = true;
  };

  std::vector<Module> modules;
  for (auto& [file, text] : module_texts(spec.get("modules"), outcome.note)) {
    auto module = parse_module(text, file);
    if (!module) {
      expect_error(module.error());
      return outcome;
    }
    modules.push_back(std::move(*module));
  }
  auto policy = compile(std::move(modules));
  if (!policy) {
    expect_error(policy.error());
    return outcome;
  }
  const yaml::Node* query_node = spec.get("query");
  if (query_node == nullptr) {
    outcome.detail = "the case has no query";
    return outcome;
  }
  auto query = compile_query(**policy, query_node->str());
  if (!query) {
    expect_error(query.error());
    return outcome;
  }
  std::optional<Value> input;
  if (const yaml::Node* input_node = spec.get("input")) input = from_yaml(input_node);
  const Value data = spec.get("data") != nullptr ? from_yaml(spec.get("data")) : Value::empty_object();
  EvalOptions options;
  if (const yaml::Node* strict = spec.get("strict_error")) options.strict_builtin_errors = strict->as_bool().value_or(false);
  Evaluator evaluator(**policy, data, input, options);
  auto solutions = evaluator.run(*query);
  if (!solutions) {
    expect_error(solutions.error());
    return outcome;
  }
  if (wants_error) {
    outcome.detail = fmt::format("expected an error, got {} result(s)", solutions->size());
    return outcome;
  }
  std::vector<Value> got;
  // Compared as JSON, as OPA's runner does: a set is the sorted array of its elements.
  for (const auto& bindings : *solutions) {
    got.push_back(parse_json(bindings_object(bindings).to_json()).value_or(Value()));
  }
  std::vector<Value> wanted;
  if (want_result != nullptr && want_result->is_sequence()) {
    for (const auto* item : want_result->items) wanted.push_back(from_yaml(item));
  }
  // An empty mapping in YAML is {}; results are compared as multisets.
  auto sorted = [](std::vector<Value> v) {
    std::sort(v.begin(), v.end());
    return v;
  };
  if (sorted(got) == sorted(wanted)) {
    outcome.passed = true;
  } else {
    outcome.detail = fmt::format("want {}, got {}", describe(sorted(wanted)), describe(sorted(got)));
  }
  return outcome;
}

}  // namespace

Result<std::vector<CaseOutcome>> run_cases(std::string_view yaml_text, const std::string& name) {
  auto stream = yaml::parse(yaml_text);
  if (!stream.ok()) {
    const auto& e = stream.errors.front();
    return fail(e.message, name, e.mark.line, e.mark.column);
  }
  std::vector<CaseOutcome> outcomes;
  for (const auto& document : stream.documents) {
    const yaml::Node* cases = document.root != nullptr ? document.root->get("cases") : nullptr;
    if (cases == nullptr || !cases->is_sequence()) {
      return fail("expected a top-level `cases:` list", name, document.start.line, document.start.column);
    }
    for (const auto* spec : cases->items) {
      if (!spec->is_mapping()) return fail("a case must be a mapping", name, spec->start.line, spec->start.column);
      outcomes.push_back(run_case(*spec));
    }
  }
  return outcomes;
}

Result<std::vector<CaseOutcome>> run_case_file(const std::string& path) {
  auto text = files::read(path);
  if (!text) return std::unexpected(text.error().error);
  return run_cases(*text, path);
}

}  // namespace constable::rego
