// The MCP server in process: the dispatcher's lifecycle and errors, every
// tool, resource and prompt on the bundled example, and the Streamable HTTP
// handler's sessions and DNS rebinding protection (without a socket; the
// suites in node_test.cpp go over real ones).

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "mcp/server.hpp"
#include "mcp/transport.hpp"
#include "support/test_support.hpp"

namespace constable::mcp {
namespace {

namespace ct = constable::testing;
using nlohmann::json;

const Date kToday = *Date::parse("2026-11-22");

std::unique_ptr<Server> demo_server(std::string store = {}) {
  Options options;
  options.root = ct::source_dir() / "examples" / "demo-repo";
  options.today = kToday;
  options.store = std::move(store);
  auto server = Server::create(options);
  EXPECT_TRUE(server) << (server ? "" : server.error().to_string());
  return server ? std::move(*server) : nullptr;
}

json request(int id, std::string_view method, json params = json::object()) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}};
}

json initialize_params(std::string_view version = "2025-11-25") {
  return {{"protocolVersion", version}, {"capabilities", json::object()}, {"clientInfo", {{"name", "t"}, {"version", "1"}}}};
}

struct Session {
  std::unique_ptr<Server> server = demo_server();
  Connection connection;
  Session() { EXPECT_TRUE(server->handle(request(0, "initialize", initialize_params()), connection)); }
  json call(std::string_view method, json params = json::object()) {
    const auto reply = server->handle(request(1, method, std::move(params)), connection);
    EXPECT_TRUE(reply);
    return reply ? *reply : json();
  }
  json tool(std::string_view name, json arguments) {
    const json reply = call("tools/call", {{"name", name}, {"arguments", std::move(arguments)}});
    EXPECT_TRUE(reply.contains("result")) << reply.dump(2);
    return reply.value("result", json());
  }
};

std::string text_of(const json& result) { return result["content"][0]["text"].get<std::string>(); }

TEST(McpLifecycle, NegotiatesTheVersionAndRequiresInitialize) {
  auto server = demo_server();
  ASSERT_TRUE(server);
  Connection connection;
  const auto early = server->handle(request(1, "tools/list"), connection);
  ASSERT_TRUE(early);
  EXPECT_EQ((*early)["error"]["code"], kInvalidRequest);
  const auto pong = server->handle(request(2, "ping"), connection);  // ping is allowed before initialize
  EXPECT_EQ((*pong)["result"], json::object());

  const auto old = server->handle(request(3, "initialize", initialize_params("2025-03-26")), connection);
  EXPECT_EQ((*old)["result"]["protocolVersion"], "2025-03-26");
  const auto future = server->handle(request(4, "initialize", initialize_params("2099-01-01")), connection);
  const json& result = (*future)["result"];
  EXPECT_EQ(result["protocolVersion"], "2025-11-25");
  EXPECT_EQ(result["serverInfo"]["name"], "constable");
  for (const char* capability : {"tools", "resources", "prompts", "logging", "completions"})
    EXPECT_TRUE(result["capabilities"].contains(capability)) << capability;
  EXPECT_NE(result["instructions"].get<std::string>().find("applicable_clauses"), std::string::npos);
  EXPECT_FALSE(server->handle({{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}}, connection));
}

TEST(McpLifecycle, EveryKindOfBadMessageGetsItsError) {
  Session s;
  Connection& c = s.connection;
  EXPECT_EQ(json::parse(*s.server->handle_text("{not json", c))["error"]["code"], kParseError);
  EXPECT_EQ((*s.server->handle(json::array(), c))["error"]["code"], kInvalidRequest);
  EXPECT_EQ((*s.server->handle({{"jsonrpc", "1.0"}, {"id", 1}, {"method", "ping"}}, c))["error"]["code"],
            kInvalidRequest);
  EXPECT_EQ((*s.server->handle({{"jsonrpc", 2}, {"id", 1}, {"method", "ping"}}, c))["error"]["code"], kInvalidRequest);
  EXPECT_EQ((*s.server->handle({{"jsonrpc", "2.0"}, {"id", 1}, {"method", 7}}, c))["error"]["code"], kInvalidRequest);
  EXPECT_EQ((*s.server->handle({{"jsonrpc", "2.0"}, {"id", true}, {"method", "ping"}}, c))["error"]["code"],
            kInvalidRequest);
  EXPECT_EQ(s.call("no/such")["error"]["code"], kMethodNotFound);
  EXPECT_EQ(s.call("tools/call", {{"name", "nope"}})["error"]["code"], kInvalidParams);
  EXPECT_EQ(s.call("tools/call")["error"]["code"], kInvalidParams);
  EXPECT_EQ(s.call("tools/call", {{"name", "explain_clause"}, {"arguments", {{"id", 3}}}})["error"]["message"],
            "'id' is required and must be a string");
  EXPECT_EQ(s.call("resources/read", {{"uri", "constitution://clause/none"}})["error"]["code"], kResourceNotFound);
  EXPECT_EQ(s.call("prompts/get", {{"name", "nope"}})["error"]["code"], kInvalidParams);
  const auto params = s.server->handle({{"jsonrpc", "2.0"}, {"id", 9}, {"method", "ping"}, {"params", 3}}, c);
  EXPECT_EQ((*params)["error"]["code"], kInvalidParams);
  // A response to a request of ours, and a notification, get no answer.
  EXPECT_FALSE(s.server->handle({{"jsonrpc", "2.0"}, {"id", 5}, {"result", json::object()}}, c));
  EXPECT_FALSE(s.server->handle({{"jsonrpc", "2.0"}, {"method", "notifications/cancelled"}}, c));
}

TEST(McpTools, ListsEveryToolWithSchemas) {
  Session s;
  const json tools = s.call("tools/list")["result"]["tools"];
  std::vector<std::string> names;
  for (const auto& t : tools) {
    names.push_back(t["name"]);
    EXPECT_EQ(t["inputSchema"]["type"], "object") << t["name"];
    EXPECT_FALSE(t["description"].get<std::string>().empty());
  }
  EXPECT_EQ(names, (std::vector<std::string>{"applicable_clauses", "check_files", "check_repository", "coverage",
                                             "explain_check", "explain_clause", "list_overdue"}));
}

TEST(McpTools, ApplicableClausesForADockerfileBeforeItIsWritten) {
  Session s;
  const json result = s.tool("applicable_clauses", {{"path", "services/api/Dockerfile"}});
  EXPECT_FALSE(result.contains("isError"));
  const json& structured = result["structuredContent"];
  EXPECT_EQ(structured["kind"], "dockerfile");
  std::set<std::string> checks;
  for (const auto& clause : structured["clauses"])
    for (const auto& check : clause["checks"]) checks.insert(check["check"]);
  for (const char* expected : {"docker/non-root-user", "docker/healthcheck", "docker/multi-stage-build",
                               "docker/base-image-tag", "secrets/hardcoded-secret"})
    EXPECT_TRUE(checks.contains(expected)) << expected;
  EXPECT_FALSE(checks.contains("kubernetes/no-latest-tag"));
  EXPECT_NE(text_of(result).find("\"Containers MUST run as a non-root user\""), std::string::npos) << text_of(result);
  // A Markdown page: only the secret scanner reads it under this constitution.
  const json readme = s.tool("applicable_clauses", {{"path", "docs/guide.md"}})["structuredContent"];
  ASSERT_EQ(readme["clauses"].size(), 1U);
  EXPECT_EQ(readme["clauses"][0]["checks"][0]["check"], "secrets/hardcoded-secret");
}

// Checks of every text file that judge only some paths (Kafka client
// settings) are offered for those paths only.
TEST(McpTools, ApplicableClausesLeaveOutChecksThatDoNotJudgeThePath) {
  Options options;
  options.root = ct::source_dir() / "examples" / "demo-repo";
  options.sources.constitution = ct::fixtures_dir() / "constitution" / "reference-excerpt.md";
  options.today = kToday;
  auto server = Server::create(options);
  ASSERT_TRUE(server) << server.error().to_string();
  Connection connection;
  ASSERT_TRUE((*server)->handle(request(0, "initialize", initialize_params()), connection));
  auto checks_for = [&](std::string_view path) {
    const auto reply = (*server)->handle(
        request(1, "tools/call", {{"name", "applicable_clauses"}, {"arguments", {{"path", path}}}}), connection);
    std::set<std::string> checks;
    if (!reply) return checks;
    for (const auto& clause : (*reply)["result"]["structuredContent"]["clauses"])
      for (const auto& check : clause["checks"]) checks.insert(check["check"]);
    return checks;
  };
  EXPECT_TRUE(checks_for("config/producer.properties").contains("kafka/producer-acks"));
  EXPECT_FALSE(checks_for("services/api/Dockerfile").contains("kafka/producer-acks"));
}

TEST(McpTools, CheckFilesInMemoryAndOnDisk) {
  Session s;
  const json result = s.tool(
      "check_files", {{"files", json::array({{{"path", "Dockerfile"}, {"content", "FROM python:latest\nCMD [\"x\"]\n"}}})}});
  const json& structured = result["structuredContent"];
  EXPECT_GT(structured["summary"]["violations"].get<int>(), 2);
  bool latest = false;
  for (const auto& f : structured["findings"]) {
    if (f["check"] != "docker/base-image-tag") continue;
    latest = true;
    EXPECT_EQ(f["path"], "Dockerfile");
    EXPECT_EQ(f["line"], 1);
    EXPECT_EQ(f["clause"]["id"], "container-standards/image-tagging/the-latest-tag-is-prohibited-in-production");
    EXPECT_EQ(f["due"], "2026-11-25");  // high: 3 days in the demo's constitution
    EXPECT_FALSE(f["fix"].get<std::string>().empty());
  }
  EXPECT_TRUE(latest) << structured.dump(2);
  EXPECT_NE(text_of(result).find("- Dockerfile:1 high docker/base-image-tag: "), std::string::npos) << text_of(result);

  const json disk = s.tool("check_files", {{"paths", {"services/worker/Dockerfile"}}})["structuredContent"];
  EXPECT_GT(disk["summary"]["violations"].get<int>(), 0);
  EXPECT_EQ(disk["findings"][0]["path"], "services/worker/Dockerfile");
  // Outside the root, or nothing to check.
  EXPECT_TRUE(s.tool("check_files", {{"paths", {"../../CMakeLists.txt"}}}).value("isError", false));
  EXPECT_EQ(s.call("tools/call", {{"name", "check_files"}, {"arguments", json::object()}})["error"]["code"],
            kInvalidParams);
}

TEST(McpTools, CheckRepositoryAsCheckDoes) {
  Session s;
  const json result = s.tool("check_repository", json::object());
  EXPECT_EQ(result["structuredContent"]["summary"]["violations"], 34);  // as `constable check examples/demo-repo`
  const json docker_only = s.tool("check_repository", {{"select", {"docker/healthcheck"}}})["structuredContent"];
  ASSERT_FALSE(docker_only["findings"].empty());
  for (const auto& f : docker_only["findings"]) {
    // The engine's own rules (an expired waiver in .constable.yaml) always run.
    if (!f["check"].get<std::string>().starts_with("constable/")) {
      EXPECT_EQ(f["check"], "docker/healthcheck");
    }
  }
}

TEST(McpTools, ExplainClauseAndCheck) {
  Session s;
  const json clause = s.tool("explain_clause",
                             {{"id", "container-standards/dockerfile-requirements/containers-must-run-as-a-non-root-user"}});
  EXPECT_EQ(clause["structuredContent"]["enforced_by"][0]["check"], "docker/non-root-user");
  EXPECT_EQ(clause["structuredContent"]["modality"], "MUST");
  const json typo = s.tool("explain_clause", {{"id", "container-standards/dockerfile-requirements/containers-must-run-as-a-non-rot-user"}});
  EXPECT_TRUE(typo.value("isError", false));
  EXPECT_NE(text_of(typo).find("did you mean"), std::string::npos) << text_of(typo);
  const json check = s.tool("explain_check", {{"id", "docker/non-root-user"}});
  EXPECT_EQ(check["structuredContent"]["severity"], "critical");
  EXPECT_EQ(check["structuredContent"]["clause"]["id"],
            "container-standards/dockerfile-requirements/containers-must-run-as-a-non-root-user");
  EXPECT_NE(text_of(check).find("## In this constitution"), std::string::npos);
  EXPECT_TRUE(s.tool("explain_check", {{"id", "docker/non-rot-user"}}).value("isError", false));
}

TEST(McpTools, CoverageAndOverdue) {
  Session s;
  const json coverage = s.tool("coverage", json::object());
  EXPECT_TRUE(coverage["structuredContent"].is_object());
  EXPECT_NE(text_of(coverage).find("non-root"), std::string::npos);
  // Without an audit store, list_overdue says how to make one.
  ct::TempDir dir;
  Session without;
  without.server = demo_server((dir.path() / "none.db").string());
  without.connection = {};
  ASSERT_TRUE(without.server->handle(request(0, "initialize", initialize_params()), without.connection));
  const json none = without.tool("list_overdue", json::object());
  EXPECT_TRUE(none.value("isError", false));
  EXPECT_NE(text_of(none).find("run `constable audit` first"), std::string::npos);
}

TEST(McpResourcesAndPrompts, TheConstitutionClausesChecksAndTheReviewPrompt) {
  Session s;
  const json resources = s.call("resources/list")["result"]["resources"];
  EXPECT_EQ(resources[0]["uri"], "constitution://document");
  EXPECT_GT(resources.size(), 40U);
  const json document = s.call("resources/read", {{"uri", "constitution://document"}})["result"]["contents"][0];
  EXPECT_EQ(document["mimeType"], "text/markdown");
  EXPECT_NE(document["text"].get<std::string>().find("# Acme Payments Constitution"), std::string::npos);
  const json clause = s.call("resources/read",
                             {{"uri", "constitution://clause/container-standards/image-tagging/the-latest-tag-is-prohibited-in-production"}});
  EXPECT_NE(clause["result"]["contents"][0]["text"].get<std::string>().find("The latest tag is PROHIBITED"),
            std::string::npos);
  const json page = s.call("resources/read", {{"uri", "constable://check/docker/healthcheck"}});
  EXPECT_NE(page["result"]["contents"][0]["text"].get<std::string>().find("HEALTHCHECK"), std::string::npos);
  EXPECT_EQ(s.call("resources/templates/list")["result"]["resourceTemplates"].size(), 2U);

  const json completion = s.call("completion/complete", {{"ref", {{"type", "ref/resource"}, {"uri", "constable://check/{id}"}}},
                                                         {"argument", {{"name", "id"}, {"value", "docker/non"}}}});
  EXPECT_EQ(completion["result"]["completion"]["values"], json::array({"docker/non-root-user"}));

  EXPECT_EQ(s.call("prompts/list")["result"]["prompts"][0]["name"], "review_change");
  const json prompt = s.call("prompts/get", {{"name", "review_change"}, {"arguments", {{"change", "diff --git a/x b/x"}}}});
  const std::string text = prompt["result"]["messages"][0]["content"]["text"];
  EXPECT_NE(text.find("check_files"), std::string::npos);
  EXPECT_NE(text.find("diff --git a/x b/x"), std::string::npos);
  EXPECT_EQ(s.call("prompts/get", {{"name", "review_change"}})["error"]["code"], kInvalidParams);
}

serve::http::Request post(std::string body, std::string session = {}, std::string host = "127.0.0.1:8765") {
  serve::http::Request r;
  r.method = "POST";
  r.target = r.path = "/mcp";
  r.headers = {{"host", std::move(host)}, {"content-type", "application/json"},
               {"accept", "application/json, text/event-stream"}};
  if (!session.empty()) r.headers.emplace_back("mcp-session-id", std::move(session));
  r.body = std::move(body);
  return r;
}

std::string header(const serve::http::Response& response, std::string_view name) {
  for (const auto& [k, v] : response.headers)
    if (k == name) return v;
  return {};
}

TEST(McpHttp, SessionsFromInitializeToDelete) {
  auto server = demo_server();
  ASSERT_TRUE(server);
  HttpOptions options;
  options.address = "127.0.0.1";
  HttpHandler handler(*server, options);
  const auto init = handler.handle(post(request(1, "initialize", initialize_params()).dump()));
  ASSERT_EQ(init.status, 200) << init.body;
  EXPECT_EQ(init.content_type, "application/json");
  const std::string session = header(init, "Mcp-Session-Id");
  ASSERT_EQ(session.size(), 32U);
  // Later requests need the session; unknown ones are 404.
  EXPECT_EQ(handler.handle(post(request(2, "tools/list").dump())).status, 400);
  EXPECT_EQ(handler.handle(post(request(2, "tools/list").dump(), "feedface")).status, 404);
  const auto tools = handler.handle(post(request(2, "tools/list").dump(), session));
  ASSERT_EQ(tools.status, 200);
  EXPECT_EQ(json::parse(tools.body)["result"]["tools"].size(), 7U);
  // A notification is accepted without an answer.
  EXPECT_EQ(handler.handle(post(json{{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}}.dump(), session)).status,
            202);
  // An unsupported protocol version header, a batch, a body that is not JSON.
  auto versioned = post(request(3, "ping").dump(), session);
  versioned.headers.emplace_back("mcp-protocol-version", "1999-01-01");
  EXPECT_EQ(handler.handle(versioned).status, 400);
  EXPECT_EQ(handler.handle(post("[]", session)).status, 400);
  EXPECT_EQ(handler.handle(post(R"({"jsonrpc": "2.0", "id": 1, "method": 5})", session)).status, 200);
  EXPECT_EQ(json::parse(handler.handle(post("{", session)).body)["error"]["code"], kParseError);
  // No stream of its own; DELETE ends the session.
  auto get = post("", session);
  get.method = "GET";
  const auto no_stream = handler.handle(get);
  EXPECT_EQ(no_stream.status, 405);
  EXPECT_EQ(header(no_stream, "Allow"), "POST, DELETE");
  auto del = post("", session);
  del.method = "DELETE";
  EXPECT_EQ(handler.handle(del).status, 204);
  EXPECT_EQ(handler.handle(post(request(4, "ping").dump(), session)).status, 404);
  auto elsewhere = post("{}");
  elsewhere.path = "/other";
  EXPECT_EQ(handler.handle(elsewhere).status, 404);
}

TEST(McpHttp, ALoopbackServerRefusesOtherHostsAndOrigins) {
  auto server = demo_server();
  ASSERT_TRUE(server);
  HttpOptions options;
  options.address = "127.0.0.1";
  options.allowed_hosts = {"mcp.internal"};
  HttpHandler handler(*server, options);
  const std::string init = request(1, "initialize", initialize_params()).dump();
  EXPECT_EQ(handler.handle(post(init, {}, "evil.example.com")).status, 403);
  auto origin = post(init);
  origin.headers.emplace_back("origin", "http://evil.example.com");
  EXPECT_EQ(handler.handle(origin).status, 403);
  EXPECT_EQ(handler.handle(post(init, {}, "localhost:8765")).status, 200);
  EXPECT_EQ(handler.handle(post(init, {}, "[::1]:8765")).status, 200);
  EXPECT_EQ(handler.handle(post(init, {}, "mcp.internal:443")).status, 200);
  auto local_origin = post(init);
  local_origin.headers.emplace_back("origin", "http://localhost:3000");
  EXPECT_EQ(handler.handle(local_origin).status, 200);
}

}  // namespace
}  // namespace constable::mcp
