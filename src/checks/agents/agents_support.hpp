#pragma once
// What the agent checks share: how the OpenAI Agents SDK shows in a file's
// code model (Python `agents`, TypeScript `@openai/agents`), its Agent
// constructions and their options, whichever language.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "code/model.hpp"
#include "engine/check.hpp"

namespace constable::checks::agents {

// Whether the file imports the OpenAI Agents SDK.
bool uses_agents_sdk(const code::Module& module);

// Whether `callee` (a call's or decorator's callee, as written) names the
// SDK's `name` in this file: `Agent`, `agents.Agent`, `Agent[Context]`,
// `sdk.function_tool` with `import agents as sdk`.
bool is_sdk_name(const code::Module& module, std::string_view callee, std::string_view name);

// An option of an SDK construction: Python's keyword argument
// `Agent(handoffs=[...])`, TypeScript's property `new Agent({ handoffs: [...] })`.
// A null node when absent.
code::Node option(const code::Call& call, std::string_view name);

// The elements of a list or array literal, empty for anything else.
std::vector<code::Node> elements(const code::Node& list);

// The name a construction is bound to: `triage = Agent(...)` and
// `const triage = new Agent(...)` give "triage"; "" when not assigned to a
// plain name.
std::string bound_name(const code::Call& call);

// The agent's `name` option when it is a string literal, else "".
std::string agent_display_name(const code::Call& call);

// The repository's Python, TypeScript and JavaScript files whose text holds
// `word`, in path order: the only ones a repository check need parse.
std::vector<const workspace::File*> sources_mentioning(const engine::RepositoryContext& repository,
                                                       std::string_view word);

// Calls constructing an Agent: `Agent(...)`, `Agent[Ctx](...)`,
// `new Agent({...})`, `Agent.create({...})`, and the realtime agents
// (`RealtimeAgent`), which hand off the same way.
std::vector<const code::Call*> agent_constructions(const code::Module& module);

}  // namespace constable::checks::agents
