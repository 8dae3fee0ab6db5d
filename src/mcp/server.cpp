#include "mcp/server.hpp"

#include <exception>

#include <fmt/format.h>

#include "app/app.hpp"
#include "mcp/features.hpp"

namespace constable::mcp {

namespace {

using nlohmann::json;

json error_response(const json& id, int code, std::string_view message) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", std::string(message)}}}};
}

std::string negotiate(const json& params) {
  const auto requested = params.find("protocolVersion");
  if (requested != params.end() && requested->is_string()) {
    const std::string wanted = requested->get<std::string>();
    for (const std::string_view known : kProtocolVersions)
      if (known == wanted) return wanted;
  }
  return std::string(kProtocolVersions[0]);
}

}  // namespace

Result<std::unique_ptr<Server>> Server::create(Options options) {
  if (!options.sources.constitution && !options.sources.config) {
    // As `check` finds it: the root's .constable.yaml, then the usual places.
    app::CommonOptions common;
    common.path = options.root;
    auto config = app::load_configuration(common);
    if (!config) return std::unexpected(config.error());
    auto found = app::find_constitution(options.root, *config);
    if (!found) return std::unexpected(found.error());
    options.sources.constitution = *found;
    if (!config->source.empty()) options.sources.config = config->source;
  }
  auto snapshot = serve::load_snapshot(options.sources);
  if (!snapshot) return std::unexpected(snapshot.error());
  return std::unique_ptr<Server>(new Server(std::move(options), std::move(*snapshot)));
}

json Server::dispatch(std::string_view method, const json& params, Connection& connection) const {
  if (method == "initialize") {
    connection.protocol_version = negotiate(params);
    connection.initialized = true;
    const auto& constitution = snapshot_->constitution();
    return {{"protocolVersion", connection.protocol_version},
            {"capabilities",
             {{"tools", {{"listChanged", false}}},
              {"resources", {{"listChanged", false}, {"subscribe", false}}},
              {"prompts", {{"listChanged", false}}},
              {"completions", json::object()},
              {"logging", json::object()}}},
            {"serverInfo", {{"name", "constable"}, {"title", "constable"}, {"version", app::version_string()}}},
            {"instructions",
             fmt::format("This repository is governed by the constitution {}{}. Before writing a file, call "
                         "applicable_clauses with its path; after, call check_files with its content. Findings cite "
                         "the clause, severity, due date and fix.",
                         constitution.path,
                         constitution.version ? " version " + constitution.version->version : std::string())}};
  }
  if (method == "ping") return json::object();
  if (method == "logging/setLevel") {
    (void)required_string(params, "level");  // nothing is logged to clients; the level is accepted
    return json::object();
  }
  if (method == "tools/list") return list_tools();
  if (method == "tools/call") return call_tool(*this, params);
  if (method == "resources/list") return list_resources(*this);
  if (method == "resources/templates/list") return list_resource_templates();
  if (method == "resources/read") return read_resource(*this, params);
  if (method == "completion/complete") return complete(*this, params);
  if (method == "prompts/list") return list_prompts();
  if (method == "prompts/get") return get_prompt(*this, params);
  throw RpcError{kMethodNotFound, fmt::format("method not found: {}", method)};
}

std::optional<json> Server::handle(const json& message, Connection& connection) const {
  const auto version = message.is_object() ? message.find("jsonrpc") : message.end();
  if (!message.is_object() || version == message.end() || *version != "2.0")
    return error_response(nullptr, kInvalidRequest, "not a JSON-RPC 2.0 message");
  const auto id = message.find("id");
  const bool request = id != message.end();
  const auto method = message.find("method");
  if (method == message.end()) {
    // A response to a request of ours: this server sends none, so it has nothing to match.
    if (request && (message.contains("result") || message.contains("error"))) return std::nullopt;
    return error_response(request ? *id : json(nullptr), kInvalidRequest, "a message needs 'method'");
  }
  if (!method->is_string())
    return error_response(request ? *id : json(nullptr), kInvalidRequest, "'method' must be a string");
  if (request && !id->is_string() && !id->is_number_integer())
    return error_response(nullptr, kInvalidRequest, "'id' must be a string or an integer");
  const std::string name = method->get<std::string>();
  if (!request) {
    // Notifications (initialized, cancelled, progress) need no answer.
    return std::nullopt;
  }
  const auto params_it = message.find("params");
  static const json kNoParams = json::object();
  const json& params = params_it == message.end() || params_it->is_null() ? kNoParams : *params_it;
  if (!params.is_object()) return error_response(*id, kInvalidParams, "'params' must be an object");
  if (!connection.initialized && name != "initialize" && name != "ping")
    return error_response(*id, kInvalidRequest, "the session is not initialized: send initialize first");
  try {
    return json{{"jsonrpc", "2.0"}, {"id", *id}, {"result", dispatch(name, params, connection)}};
  } catch (const RpcError& e) {
    return error_response(*id, e.code, e.message);
  } catch (const std::exception& e) {
    return error_response(*id, kInternalError, fmt::format("internal error: {}", e.what()));
  }
}

std::optional<std::string> Server::handle_text(std::string_view text, Connection& connection) const {
  const json message = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (message.is_discarded())
    return error_response(nullptr, kParseError, "parse error: not JSON")
        .dump(-1, ' ', false, json::error_handler_t::replace);
  const auto reply = handle(message, connection);
  if (!reply) return std::nullopt;
  return reply->dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace constable::mcp
