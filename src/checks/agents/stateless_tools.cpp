// agents/stateless-tools: "Subagents MUST be stateless and idempotent". What
// an agent does is its tools: a function tool that writes module-level state
// (a `global`, or a module-level list, dict or set it changes) makes the
// agent's answers depend on the calls before, and differ between replicas.

#include <set>
#include <string>

#include <fmt/format.h>

#include "checks/agents/agents_checks.hpp"
#include "checks/agents/agents_support.hpp"

namespace constable::checks::agents {

namespace {
namespace stateless_tools_check {

constexpr engine::CheckInfo kInfo{
    .id = "agents/stateless-tools",
    .domain = "agents",
    .nature = Nature::reliability,
    .summary = "Keep agent tools free of module-level state",
    .rationale =
        "A subagent must give the same answer to the same request on any replica and after any restart. A "
        "function tool that assigns a `global` or changes a module-level list, dict or set carries state from "
        "one call, conversation or user to the next, and loses it when the process restarts or scales.",
    .remediation = "Keep per-run state in the run context (`RunContextWrapper.context`) and durable state in a "
                   "store (a database, or Dapr's state API) that the tool reads and writes explicitly.",
    .bad_example = "seen = set()\n\n@function_tool\ndef remember(item: str) -> str:\n    seen.add(item)\n"
                   "    return f\"{len(seen)} items\"\n",
    .good_example = "@function_tool\nasync def remember(ctx: RunContextWrapper[Session], item: str) -> str:\n"
                    "    ctx.context.items.add(item)\n    return f\"{len(ctx.context.items)} items\"\n",
    .parameters = "",
    .clause = {.section = "subagent composition", .text = "stateless"},
    .file_kind = FileKind::source,
    .stack = "openai-agents",
    .scope = engine::Scope::files_of_kind,
};

// Module-level names bound to a mutable container.
std::set<std::string> module_containers(const code::Module& module) {
  std::set<std::string> out;
  for (const code::Assignment& assignment : module.assignments) {
    if (assignment.target.find_first_of(".[,") != std::string::npos) continue;
    const std::string_view value = assignment.value;
    bool container = value == "[]" || value == "{}" || value.starts_with("[") || value.starts_with("{");
    if (assignment.call >= 0) {
      const std::string callee = module.qualified(module.calls[static_cast<std::size_t>(assignment.call)].callee);
      for (std::string_view type : {"set", "dict", "list", "collections.defaultdict", "collections.deque",
                                    "collections.Counter", "collections.OrderedDict", "defaultdict", "deque"})
        container = container || callee == type;
    }
    if (container) out.insert(assignment.target);
  }
  return out;
}

constexpr std::string_view kMutators[] = {"append", "extend", "insert", "pop", "remove", "clear", "update",
                                          "add", "discard", "setdefault", "popitem", "appendleft"};

class StatelessToolsCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }
  bool judges_path(std::string_view path) const override { return code::language_of(path) == code::Language::python; }

  void check(const engine::FileContext& file, engine::Emitter& out) const override {
    const code::Module* module = file.code();
    if (module == nullptr || module->language != code::Language::python || !uses_agents_sdk(*module)) return;
    const std::set<std::string> containers = module_containers(*module);
    for (const code::Function& function : module->functions) {
      bool tool = false;
      for (const code::Decorator& decorator : function.decorators)
        tool = tool || is_sdk_name(*module, decorator.callee, "function_tool");
      if (!tool) continue;
      function.body.walk([&](const code::Node& node) {
        if (node.is("function_definition") || node.is("class_definition") || node.is("lambda")) return false;
        if (node.is("global_statement")) {
          out.report(node.range(), fmt::format("function tool '{}' assigns module-level state ({}): the agent "
                                               "is not stateless",
                                               function.name, node.text()));
          return false;
        }
        std::string target;
        if (node.is("call")) {
          const code::Node callee = node.field("function");
          if (callee.is("attribute") && callee.field("object").is("identifier")) {
            const std::string_view method = callee.field("attribute").text();
            for (const std::string_view mutator : kMutators)
              if (method == mutator) target = std::string(callee.field("object").text());
          }
        } else if (node.is("assignment") || node.is("augmented_assignment") || node.is("delete_statement")) {
          const code::Node left = node.is("delete_statement") ? node.named_child(0) : node.field("left");
          if (left.is("subscript") && left.field("value").is("identifier"))
            target = std::string(left.field("value").text());
        }
        if (!target.empty() && containers.contains(target) && !shadowed(function, target)) {
          out.report(node.range(), fmt::format("function tool '{}' changes the module-level '{}': its state "
                                               "outlives the call, so the agent is not stateless",
                                               function.name, target));
          return false;
        }
        return true;
      });
    }
  }

 private:
  // A parameter or local of the same name hides the module's.
  static bool shadowed(const code::Function& function, const std::string& name) {
    for (const code::Parameter& parameter : function.parameters)
      if (parameter.name == name) return true;
    bool local = false;
    function.body.walk([&](const code::Node& node) {
      if (local || node.is("function_definition") || node.is("class_definition")) return false;
      if (node.is("assignment") && node.field("left").is("identifier") && node.field("left").text() == name)
        local = true;
      return !local;
    });
    return local;
  }
};

}  // namespace stateless_tools_check
}  // namespace

std::unique_ptr<engine::Check> make_stateless_tools_check() {
  return engine::make_check<stateless_tools_check::StatelessToolsCheck>();
}

}  // namespace constable::checks::agents
