// agents/versioned-prompts: "All agent prompts MUST be version-controlled".
// A prompt written in the code or read from a file of the repository is
// versioned with it; one read from an environment variable or fetched over
// HTTP when the agent is built is not, and is the finding.

#include <array>

#include <fmt/format.h>

#include "checks/agents/agents_checks.hpp"
#include "checks/agents/agents_support.hpp"

namespace constable::checks::agents {

namespace {
namespace versioned_prompts_check {

constexpr engine::CheckInfo kInfo{
    .id = "agents/versioned-prompts",
    .domain = "agents",
    .nature = Nature::maintainability,
    .summary = "Keep agent instructions in the repository, not in the environment or a remote service",
    .rationale =
        "An agent's instructions decide what it does. Written in the code or in a prompt file of the repository, "
        "every change to them is reviewed, versioned and can be rolled back with the code; read from an "
        "environment variable or fetched over HTTP when the agent is built, they change without a trace and "
        "differ between environments.",
    .remediation = "Move the prompt into the repository (a string in the code or a file such as "
                   "`prompts/<agent>.md` read at start-up) and review its changes like code.",
    .bad_example = "import os\nfrom agents import Agent\n\nagent = Agent(name=\"Support\", "
                   "instructions=os.environ[\"SUPPORT_PROMPT\"])\n",
    .good_example = "from pathlib import Path\nfrom agents import Agent\n\nagent = Agent(name=\"Support\", "
                    "instructions=Path(\"prompts/support.md\").read_text())\n",
    .parameters = "",
    .clause = {.section = "openai agents sdk", .text = "prompts.*version"},
    .file_kind = FileKind::source,
    .stack = "openai-agents",
    .scope = engine::Scope::files_of_kind,
};

// Where a value comes from at run time, when it is the environment or the
// network: "an environment variable", "an HTTP request"; "" otherwise.
std::string_view runtime_source(const code::Module& module, const code::Node& value) {
  constexpr std::array kEnvironment = {"os.getenv", "os.environ.get"};
  constexpr std::array kNetwork = {"requests.get", "requests.post", "httpx.get", "urllib.request.urlopen",
                                   "fetch", "axios.get"};
  code::Node at = value;
  if (at.is("await") || at.is("await_expression")) at = at.named_child(0);
  if (at.is("subscript") && module.qualified(at.field("value").text()) == "os.environ") return "an environment variable";
  if (at.is("member_expression") && at.text().starts_with("process.env.")) return "an environment variable";
  // `requests.get(url).text`, `(await fetch(url)).text()`: what the request returned.
  while ((at.is("attribute") || at.is("member_expression")) && at.field("object")) at = at.field("object");
  if (at.is("call_expression") && at.field("function").is("member_expression")) {
    code::Node receiver = at.field("function").field("object");
    while (receiver.is("parenthesized_expression")) receiver = receiver.named_child(0);
    if (receiver.is("await_expression")) receiver = receiver.named_child(0);
    if (receiver.is("call_expression")) at = receiver;
  }
  if (!at.is("call") && !at.is("call_expression")) return {};
  const std::string callee = module.qualified(at.field("function").text());
  for (const std::string_view name : kEnvironment)
    if (callee == name) return "an environment variable";
  for (const std::string_view name : kNetwork)
    if (callee == name) return "an HTTP request";
  return {};
}

class VersionedPromptsCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }
  bool judges_path(std::string_view path) const override { return code::language_of(path).has_value(); }

  void check(const engine::FileContext& file, engine::Emitter& out) const override {
    const code::Module* module = file.code();
    if (module == nullptr || !uses_agents_sdk(*module)) return;
    for (const code::Call* agent : agent_constructions(*module)) {
      code::Node instructions = option(*agent, "instructions");
      if (!instructions) continue;
      // `instructions=PROMPT` with `PROMPT = os.getenv(...)` at module level.
      if (instructions.is("identifier")) {
        const std::string_view name = instructions.text();
        for (const code::Assignment& assignment : module->assignments)
          if (assignment.target == name && assignment.call >= 0)
            instructions = module->calls[static_cast<std::size_t>(assignment.call)].node;
      }
      const std::string_view source = runtime_source(*module, instructions);
      if (source.empty()) continue;
      const std::string name = agent_display_name(*agent);
      out.report(option(*agent, "instructions").range(),
                 fmt::format("the instructions of agent {} come from {} when it is built: the prompt is not "
                             "version-controlled with the code",
                             name.empty() ? std::string("here") : fmt::format("'{}'", name), source));
    }
  }
};

}  // namespace versioned_prompts_check
}  // namespace

std::unique_ptr<engine::Check> make_versioned_prompts_check() {
  return engine::make_check<versioned_prompts_check::VersionedPromptsCheck>();
}

}  // namespace constable::checks::agents
