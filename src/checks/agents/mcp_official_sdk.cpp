// agents/mcp-official-sdk: agents "MUST implement MCP SDK official
// interfaces". Code that writes MCP's JSON-RPC messages itself (a
// "jsonrpc" envelope around "tools/call", "tools/list", ...) without
// importing an official SDK speaks a protocol it has to keep in step with
// by hand: the finding is the hand-written method.

#include <array>

#include <fmt/format.h>
#include <re2/re2.h>

#include "checks/agents/agents_checks.hpp"
#include "code/model.hpp"
#include "core/text.hpp"

namespace constable::checks::agents {

namespace {
namespace mcp_official_sdk_check {

constexpr engine::CheckInfo kInfo{
    .id = "agents/mcp-official-sdk",
    .domain = "agents",
    .nature = Nature::maintainability,
    .summary = "Talk to MCP servers through an official MCP SDK, not hand-written JSON-RPC",
    .rationale =
        "The Model Context Protocol's official SDKs (Python `mcp`, TypeScript `@modelcontextprotocol/sdk`, and "
        "the SDKs built on them) implement the handshake, capability negotiation, transports, cancellation and "
        "protocol-version changes. Code that builds `{\"jsonrpc\": \"2.0\", \"method\": \"tools/call\"}` itself "
        "implements a subset, silently, and breaks when the protocol moves.",
    .remediation = "Use the official SDK's client or server (`mcp.ClientSession`, `FastMCP`, the TypeScript "
                   "`Client`/`McpServer`) or an agent framework's MCP integration built on it.",
    .bad_example = "payload = {\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"tools/call\", \"params\": {...}}\n"
                   "requests.post(url, json=payload)\n",
    .good_example = "from mcp import ClientSession\n\nresult = await session.call_tool(\"search\", {\"q\": q})\n",
    .parameters = "",
    .clause = {.section = "model context protocol|mcp", .text = "official"},
    .file_kind = FileKind::source,
    .stack = "",
    .scope = engine::Scope::files_of_kind,
};

constexpr std::array kMethods = {"tools/call",     "tools/list",  "resources/read", "resources/list",
                                 "prompts/get",    "prompts/list", "sampling/createMessage"};

bool is_test_path(std::string_view path) {
  const std::string_view name = text::basename(path);
  return path.starts_with("test/") || path.starts_with("tests/") || path.find("/test/") != std::string_view::npos ||
         path.find("/tests/") != std::string_view::npos || path.find("__tests__/") != std::string_view::npos ||
         name.starts_with("test_") || name.find(".test.") != std::string_view::npos ||
         name.find(".spec.") != std::string_view::npos || name.ends_with("_test.py");
}

bool imports_official_sdk(const code::Module& module) {
  for (const code::Import& import : module.imports) {
    const std::string_view m = import.module;
    if (m == "mcp" || m.starts_with("mcp.") || m == "fastmcp" || m.starts_with("fastmcp.") ||
        m.starts_with("@modelcontextprotocol/sdk") || m.starts_with("agents.mcp") || m == "@openai/agents")
      return true;
  }
  return false;
}

class McpOfficialSdkCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }
  bool judges_path(std::string_view path) const override {
    return code::language_of(path).has_value() && !is_test_path(path);
  }

  void check(const engine::FileContext& file, engine::Emitter& out) const override {
    if (!judges_path(file.file().path)) return;
    // Parsed only when both words are in the text.
    const std::string_view text = file.text();
    if (text.find("jsonrpc") == std::string_view::npos || text.find("tools/") == std::string_view::npos) return;
    const code::Module* module = file.code();
    if (module == nullptr || imports_official_sdk(*module)) return;
    // The envelope, as a dict, an object literal or JSON in a string.
    static const RE2 envelope(R"re(jsonrpc\\?["']?\s*[:=]\s*\\?["']2\.0)re");
    if (!RE2::PartialMatch(text, envelope)) return;
    for (const code::StringLiteral& literal : module->strings)
      for (const std::string_view method : kMethods)
        if (literal.value == method) {
          out.report(literal.range, fmt::format("MCP's '{}' is sent as hand-written JSON-RPC: use an official MCP "
                                                "SDK's client or server instead",
                                                method));
          return;  // one per file: the rest are the same decision
        }
  }
};

}  // namespace mcp_official_sdk_check
}  // namespace

std::unique_ptr<engine::Check> make_mcp_official_sdk_check() {
  return engine::make_check<mcp_official_sdk_check::McpOfficialSdkCheck>();
}

}  // namespace constable::checks::agents
