#include "checks/agents/agents_checks.hpp"

namespace constable::checks::agents {

std::vector<engine::CheckFactory> agents_checks() {
  // Sorted by check id.
  return {
      &make_mcp_official_sdk_check,        // agents/mcp-official-sdk
      &make_skill_declarations_check,      // agents/skill-declarations
      &make_stateless_tools_check,         // agents/stateless-tools
      &make_streaming_backpressure_check,  // agents/streaming-backpressure
      &make_strict_tool_schemas_check,     // agents/strict-tool-schemas
      &make_subagent_graph_check,          // agents/subagent-graph
      &make_token_usage_check,             // agents/token-usage
      &make_versioned_prompts_check,       // agents/versioned-prompts
  };
}

}  // namespace constable::checks::agents
