#pragma once
// The agent checks (domain "agents"), registered in id order: the
// constitution's Agent Skills Framework, Subagent Composition Rules, OpenAI
// Agents SDK Standards and MCP integration, read from agent definitions and
// from code through src/code/ (agents_support.hpp).

#include <memory>
#include <vector>

#include "engine/check.hpp"

namespace constable::checks::agents {

std::unique_ptr<engine::Check> make_mcp_official_sdk_check();
std::unique_ptr<engine::Check> make_skill_declarations_check();
std::unique_ptr<engine::Check> make_stateless_tools_check();
std::unique_ptr<engine::Check> make_streaming_backpressure_check();
std::unique_ptr<engine::Check> make_strict_tool_schemas_check();
std::unique_ptr<engine::Check> make_subagent_graph_check();
std::unique_ptr<engine::Check> make_token_usage_check();
std::unique_ptr<engine::Check> make_versioned_prompts_check();

// Every agent check's factory, sorted by check id.
std::vector<engine::CheckFactory> agents_checks();

}  // namespace constable::checks::agents
