#pragma once
// What the MCP server offers: tools (mcp/tools.cpp), resources
// (mcp/resources.cpp) and prompts (mcp/prompts.cpp). Each throws RpcError
// for a protocol error (an unknown name, a missing argument); a tool's own
// failure is a result with isError, which the agent reads and can act on.

#include <nlohmann/json.hpp>

#include "mcp/server.hpp"

namespace constable::mcp {

nlohmann::json list_tools();
nlohmann::json call_tool(const Server& server, const nlohmann::json& params);

nlohmann::json list_resources(const Server& server);
nlohmann::json list_resource_templates();
nlohmann::json read_resource(const Server& server, const nlohmann::json& params);

// completion/complete: clause ids for constitution://clause/{id}, check ids
// for constable://check/{id}; prompt arguments complete to nothing.
nlohmann::json complete(const Server& server, const nlohmann::json& params);

nlohmann::json list_prompts();
nlohmann::json get_prompt(const Server& server, const nlohmann::json& params);

// The `name` string member of `params`, or RpcError -32602 naming it.
std::string required_string(const nlohmann::json& params, std::string_view name);

}  // namespace constable::mcp
