// `constable mcp` under the MCP project's own tools, from npm (installed once
// into the build tree's test cache; each test skips, saying why, without
// node, npm or the registry): the conformance suite against Streamable HTTP,
// the Inspector's CLI over stdio, and a client written with the TypeScript
// SDK calling every tool over both transports.

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "mcp/server.hpp"
#include "mcp/transport.hpp"
#include "support/test_support.hpp"

namespace constable::mcp {
namespace {

namespace ct = constable::testing;
namespace fs = std::filesystem;
using nlohmann::json;

// Pinned: the conformance suite's last release that runs on Node 20, the
// Inspector the issue names, and the SDK the suite itself depends on.
const std::vector<std::string> kPackages = {"@modelcontextprotocol/conformance@0.1.13",
                                            "@modelcontextprotocol/inspector@0.15.0",
                                            "@modelcontextprotocol/sdk@1.32.2"};

fs::path demo_repo() { return ct::source_dir() / "examples" / "demo-repo"; }

// node and the packages, or the reason to skip.
struct Node {
  std::string node;
  fs::path modules;
  std::string skip;
};
Node node_with_packages() {
  const auto node = ct::find_program({"node", "nodejs"});
  if (!node || !ct::find_program({"npm"})) return {{}, {}, "node and npm are needed (Debian: nodejs npm)"};
  const auto modules = ct::npm_install(CONSTABLE_TEST_CACHE_DIR, "mcp", kPackages);
  if (!modules) return {{}, {}, "cannot install the MCP packages from npm (offline?)"};
  return {*node, *modules, {}};
}

// The server over Streamable HTTP on a free loopback port, in this process.
struct HttpServer {
  std::unique_ptr<Server> server;
  std::unique_ptr<HttpHandler> handler;
  std::unique_ptr<serve::http::Server> edge;
  std::string url;

  explicit HttpServer(std::string store = {}) {
    Options options;
    options.root = demo_repo();
    options.today = *Date::parse("2026-11-22");
    options.store = std::move(store);
    auto created = Server::create(options);
    if (!created) {
      ADD_FAILURE() << created.error().to_string();
      return;
    }
    server = std::move(*created);
    HttpOptions http;
    http.address = "127.0.0.1";
    http.port = 0;
    handler = std::make_unique<HttpHandler>(*server, http);
    auto started = start_http(*handler, http);
    if (!started) {
      ADD_FAILURE() << started.error().to_string();
      return;
    }
    edge = std::move(*started);
    url = "http://127.0.0.1:" + std::to_string(edge->port()) + "/mcp";
  }
  ~HttpServer() {
    if (edge) edge->stop();
  }
};

TEST(McpConformance, TheOfficialSuiteAgainstStreamableHttp) {
  const Node node = node_with_packages();
  if (!node.skip.empty()) GTEST_SKIP() << node.skip;
  HttpServer http;
  ASSERT_FALSE(http.url.empty());
  const ct::TempDir work;  // the suite writes results/ into its working directory
  const auto r = ct::run_command(
      {node.node, (node.modules / "@modelcontextprotocol" / "conformance" / "dist" / "index.js").string(), "server",
       "--url", http.url, "--expected-failures",
       (ct::source_dir() / "tests" / "mcp" / "conformance-expected-failures.yaml").string()},
      work.path(), {}, 600);
  // Exit 0: every scenario passed except those listed, and each listed one failed.
  EXPECT_EQ(r.exit_code, 0) << r.out.substr(r.out.size() > 6000 ? r.out.size() - 6000 : 0) << r.err;
  for (const char* passing : {"server-initialize", "logging-set-level", "ping", "tools-list", "resources-list",
                              "prompts-list", "dns-rebinding-protection"})
    EXPECT_NE(r.out.find(std::string("✓ ") + passing + ":"), std::string::npos) << passing << "\n" << r.out;
}

#ifdef CONSTABLE_BINARY
TEST(McpInspector, ScriptsCallsOverStdio) {
  const Node node = node_with_packages();
  if (!node.skip.empty()) GTEST_SKIP() << node.skip;
  const std::string cli = (node.modules / "@modelcontextprotocol" / "inspector" / "cli" / "build" / "cli.js").string();
  const auto inspect = [&](std::vector<std::string> method) {
    std::vector<std::string> argv{node.node, cli, "--cli", CONSTABLE_BINARY, "mcp", "--root", demo_repo().string(),
                                  "--today", "2026-11-22"};
    argv.insert(argv.end(), method.begin(), method.end());
    const auto r = ct::run_command(argv, {}, {}, 120);
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    return json::parse(r.out, nullptr, false);
  };
  const json tools = inspect({"--method", "tools/list"});
  ASSERT_FALSE(tools.is_discarded());
  EXPECT_EQ(tools["tools"].size(), 7U);
  const json applicable =
      inspect({"--method", "tools/call", "--tool-name", "applicable_clauses", "--tool-arg", "path=Dockerfile"});
  ASSERT_FALSE(applicable.is_discarded());
  EXPECT_NE(applicable["content"][0]["text"].get<std::string>().find("docker/non-root-user"), std::string::npos);
  const json resources = inspect({"--method", "resources/list"});
  ASSERT_FALSE(resources.is_discarded());
  EXPECT_EQ(resources["resources"][0]["uri"], "constitution://document");
}

TEST(McpSdkClient, EveryToolOverStdioAndHttp) {
  const Node node = node_with_packages();
  if (!node.skip.empty()) GTEST_SKIP() << node.skip;
  // ES modules resolve packages from the script's own directory, not NODE_PATH.
  const fs::path script = node.modules.parent_path() / "sdk_client.mjs";
  fs::copy_file(ct::source_dir() / "tests" / "mcp" / "sdk_client.mjs", script, fs::copy_options::overwrite_existing);

  // An audit store, so list_overdue has something to list.
  const ct::TempDir dir;
  const std::string store = (dir.path() / "audit.db").string();
  ASSERT_EQ(ct::run_command({CONSTABLE_BINARY, "audit", demo_repo().string(), "--store", store, "--today", "2026-11-01"})
                .exit_code,
            0);

  const auto stdio = ct::run_command({node.node, script.string(), "stdio", CONSTABLE_BINARY, "--root",
                                      demo_repo().string(), "--today", "2026-11-22", "--store", store},
                                     {}, {}, 180);
  EXPECT_EQ(stdio.exit_code, 0) << stdio.out << stdio.err;
  const json over_stdio = json::parse(stdio.out, nullptr, false);
  ASSERT_FALSE(over_stdio.is_discarded()) << stdio.out;
  EXPECT_GE(over_stdio["checked"].size(), 15U);

  HttpServer http(store);
  ASSERT_FALSE(http.url.empty());
  const auto over_http = ct::run_command({node.node, script.string(), "http", http.url}, {}, {}, 180);
  EXPECT_EQ(over_http.exit_code, 0) << over_http.out << over_http.err;
}
#endif

}  // namespace
}  // namespace constable::mcp
