// agents/strict-tool-schemas: "Function calling MUST use strict schema
// validation". The OpenAI Agents SDK generates strict JSON schemas for
// function tools and structured outputs unless told not to: each place that
// turns it off is the finding.

#include <fmt/format.h>

#include "checks/agents/agents_checks.hpp"
#include "checks/agents/agents_support.hpp"

namespace constable::checks::agents {

namespace {
namespace strict_tool_schemas_check {

constexpr engine::CheckInfo kInfo{
    .id = "agents/strict-tool-schemas",
    .domain = "agents",
    .nature = Nature::reliability,
    .summary = "Keep strict JSON schemas on for agent tools and outputs",
    .rationale =
        "In strict mode the model's tool arguments and structured outputs are constrained to the tool's JSON "
        "schema, so a call either matches the contract or does not happen. The OpenAI Agents SDK is strict by "
        "default; `@function_tool(strict_mode=False)`, `FunctionTool(strict_json_schema=False)`, "
        "`AgentOutputSchema(..., strict_json_schema=False)` and TypeScript's `tool({ strict: false })` let "
        "malformed arguments reach the code.",
    .remediation = "Remove the strict-mode override and make the schema strict-compatible (no open-ended "
                   "dictionaries, every field required or given a default the schema can express).",
    .bad_example = "from agents import function_tool\n\n@function_tool(strict_mode=False)\n"
                   "def lookup(query: dict) -> str: ...\n",
    .good_example = "from agents import function_tool\n\n@function_tool\ndef lookup(query: str) -> str: ...\n",
    .parameters = "",
    .clause = {.section = "openai agents sdk", .text = "strict schema"},
    .file_kind = FileKind::source,
    .stack = "openai-agents",
    .scope = engine::Scope::files_of_kind,
};

bool is_false(std::string_view text, code::Language language) {
  return language == code::Language::python ? text == "False" : text == "false";
}

class StrictToolSchemasCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }
  bool judges_path(std::string_view path) const override { return code::language_of(path).has_value(); }

  void check(const engine::FileContext& file, engine::Emitter& out) const override {
    const code::Module* module = file.code();
    if (module == nullptr || !uses_agents_sdk(*module)) return;
    for (const code::Function& function : module->functions) {
      for (const code::Decorator& decorator : function.decorators) {
        if (!decorator.is_call || !is_sdk_name(*module, decorator.callee, "function_tool")) continue;
        for (const code::Argument& argument : decorator.arguments)
          if (argument.keyword == "strict_mode" && is_false(argument.text, module->language))
            out.report(argument.range,
                       fmt::format("function tool '{}' turns strict schema validation off (strict_mode=False): "
                                   "the model's arguments are not held to the tool's JSON schema",
                                   function.name));
      }
    }
    for (const code::Call& call : module->calls) {
      if (module->language == code::Language::python) {
        const bool tool = is_sdk_name(*module, call.callee, "function_tool") || is_sdk_name(*module, call.callee, "FunctionTool");
        const bool output = is_sdk_name(*module, call.callee, "AgentOutputSchema");
        if (!tool && !output) continue;
        for (const char* keyword : {"strict_mode", "strict_json_schema"}) {
          const code::Argument* argument = call.keyword(keyword);
          if (argument == nullptr || !is_false(argument->text, module->language)) continue;
          out.report(argument->range,
                     fmt::format("{} turns strict schema validation off ({}=False): {}", call.callee, keyword,
                                 output ? "the agent's output is not held to its JSON schema"
                                        : "the model's arguments are not held to the tool's JSON schema"));
        }
      } else if (is_sdk_name(*module, call.callee, "tool")) {
        const code::Node strict = option(call, "strict");
        if (strict && is_false(strict.text(), module->language))
          out.report(strict.parent().range(),
                     "tool() turns strict schema validation off (strict: false): the model's arguments are not "
                     "held to the tool's JSON schema");
      }
    }
  }
};

}  // namespace strict_tool_schemas_check
}  // namespace

std::unique_ptr<engine::Check> make_strict_tool_schemas_check() {
  return engine::make_check<strict_tool_schemas_check::StrictToolSchemasCheck>();
}

}  // namespace constable::checks::agents
