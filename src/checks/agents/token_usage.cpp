// agents/token-usage: "Token usage MUST be logged for cost optimization".
// The OpenAI Agents SDK counts the tokens of every run (Python
// `result.context_wrapper.usage`, TypeScript `result.state.usage`, and the
// hooks' contexts); a repository that runs agents and never reads that
// count anywhere logs none of it.

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "checks/agents/agents_checks.hpp"
#include "checks/agents/agents_support.hpp"

namespace constable::checks::agents {

namespace {
namespace token_usage_check {

constexpr engine::CheckInfo kInfo{
    .id = "agents/token-usage",
    .domain = "agents",
    .nature = Nature::maintainability,
    .summary = "Log the token usage of agent runs",
    .rationale =
        "Token usage is what an agent costs. The OpenAI Agents SDK counts it for every run, but nothing records "
        "it unless the code reads it: `result.context_wrapper.usage` (Python), `result.state.usage` "
        "(TypeScript), or a hook's `context.usage`. A repository that runs agents and reads usage nowhere "
        "cannot attribute or optimise their cost.",
    .remediation = "After each run, or in a RunHooks/AgentHooks implementation, log the usage (requests, input "
                   "and output tokens) with the agent's name and the correlation ID of the request.",
    .bad_example = "result = await Runner.run(agent, question)\nreturn result.final_output\n",
    .good_example = "result = await Runner.run(agent, question)\nusage = result.context_wrapper.usage\n"
                    "logger.info(\"agent run\", extra={\"input_tokens\": usage.input_tokens, "
                    "\"output_tokens\": usage.output_tokens})\n",
    .parameters = "",
    .clause = {.section = "openai agents sdk", .text = "token usage"},
    .file_kind = FileKind::source,
    .stack = "openai-agents",
    .scope = engine::Scope::repository,
    .one_finding_per_file = false,
    .not_at_admission = "judges the repository's code",
};

bool is_run_call(const code::Module& module, const code::Call& call) {
  if (module.language == code::Language::python) {
    const std::string qualified = module.qualified(call.callee);
    return qualified == "agents.Runner.run" || qualified == "agents.Runner.run_sync" ||
           qualified == "agents.Runner.run_streamed";
  }
  return is_sdk_name(module, call.callee, "run") ||
         (call.method() == "run" && call.callee.find("unner") != std::string::npos);
}

bool reads_usage(const code::Module& module) {
  for (const code::AttributeRead& read : module.attribute_reads) {
    const std::string_view path = read.path;
    if (path.ends_with(".usage") || path.find(".usage.") != std::string_view::npos) return true;
  }
  for (const code::Call& call : module.calls) {
    const std::string_view callee = call.callee;
    if (callee.find(".usage.") != std::string_view::npos) return true;
  }
  return false;
}

class TokenUsageCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_repository(const engine::RepositoryContext& repository, engine::Emitter& out) const override {
    // Where agents first run (a copy: the models are the run's, not ours).
    std::optional<std::pair<std::string, code::Call>> first_run;
    // Only files that may run agents or read usage are parsed.
    std::vector<const workspace::File*> candidates = sources_mentioning(repository, "agents");
    for (const workspace::File* file : sources_mentioning(repository, "usage"))
      if (std::find(candidates.begin(), candidates.end(), file) == candidates.end()) candidates.push_back(file);
    std::sort(candidates.begin(), candidates.end(),
              [](const workspace::File* a, const workspace::File* b) { return a->path < b->path; });
    repository.prefetch_code(candidates);
    for (const workspace::File* candidate : candidates) {
      const workspace::File& file = *candidate;
      const code::Module* module = repository.code(file);
      if (module == nullptr) continue;
      if (reads_usage(*module)) return;
      if (first_run || !uses_agents_sdk(*module)) continue;
      for (const code::Call& call : module->calls)
        if (is_run_call(*module, call)) {
          first_run.emplace(file.path, code::Call{call.callee, {}, call.range, -1, {}});
          break;
        }
    }
    if (!first_run) return;
    const auto& [path, call] = *first_run;
    out.emit({.range = call.range,
              .message = fmt::format("agents run here ({}) and nowhere in the repository is their token usage read "
                                     "(result.context_wrapper.usage, result.state.usage or a hook's "
                                     "context.usage): it is not logged",
                                     call.callee),
              .path_override = path});
  }
};

}  // namespace token_usage_check
}  // namespace

std::unique_ptr<engine::Check> make_token_usage_check() {
  return engine::make_check<token_usage_check::TokenUsageCheck>();
}

}  // namespace constable::checks::agents
