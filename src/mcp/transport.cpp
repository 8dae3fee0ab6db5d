#include "mcp/transport.hpp"

#include <arpa/inet.h>
#include <openssl/rand.h>

#include <deque>
#include <istream>
#include <map>
#include <mutex>
#include <ostream>

#include <fmt/format.h>

#include "core/text.hpp"

namespace constable::mcp {

namespace {

using nlohmann::json;
namespace http = serve::http;

// A message larger than this is refused, not buffered (as `serve` bounds bodies).
constexpr std::size_t kMaxMessageBytes = 16 * 1024 * 1024;

http::Response json_response(int status, const json& body) {
  http::Response response;
  response.status = status;
  response.content_type = "application/json";
  response.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return response;
}

http::Response rpc_error(int status, int code, std::string_view message) {
  return json_response(status, {{"jsonrpc", "2.0"}, {"id", nullptr}, {"error", {{"code", code}, {"message", message}}}});
}

std::string new_session_id() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("no randomness for a session id");
  std::string id;
  for (const unsigned char b : bytes) id += fmt::format("{:02x}", b);
  return id;
}

bool is_loopback_name(std::string_view host) {
  if (host == "localhost" || host == "[::1]" || host == "::1") return true;
  in_addr v4{};
  const std::string name(host);
  return inet_pton(AF_INET, name.c_str(), &v4) == 1 && (ntohl(v4.s_addr) >> 24) == 127;
}

// "localhost:8765" -> "localhost", "[::1]:8765" -> "[::1]".
std::string_view host_name(std::string_view host) {
  if (host.starts_with('[')) {
    const auto end = host.find(']');
    return end == std::string_view::npos ? host : host.substr(0, end + 1);
  }
  const auto colon = host.rfind(':');
  return colon == std::string_view::npos ? host : host.substr(0, colon);
}

// "http://localhost:8765" -> "localhost"; "null" and malformed ones -> "".
std::string_view origin_host(std::string_view origin) {
  const auto scheme = origin.find("://");
  if (scheme == std::string_view::npos) return {};
  std::string_view rest = origin.substr(scheme + 3);
  rest = rest.substr(0, rest.find('/'));
  return host_name(rest);
}

}  // namespace

struct HttpHandler::Sessions {
  std::mutex mutex;
  std::map<std::string, Connection> open;
  std::deque<std::string> order;  // oldest first, to bound how many are kept
};

HttpHandler::HttpHandler(const Server& server, HttpOptions options)
    : server_(server), options_(std::move(options)), sessions_(std::make_unique<Sessions>()) {}
HttpHandler::~HttpHandler() = default;

http::Response HttpHandler::handle(const http::Request& request) {
  if (request.path != "/mcp") return http::problem(404, "Not Found", "the MCP endpoint is /mcp");

  // DNS rebinding: a page on another site that resolves to 127.0.0.1 must not
  // reach a loopback server, so Host and Origin must name this machine.
  const auto allowed = [&](std::string_view host) {
    if (is_loopback_name(host)) return true;
    for (const auto& extra : options_.allowed_hosts)
      if (text::iequals(extra, host)) return true;
    return false;
  };
  const bool loopback = is_loopback_name(options_.address);
  if (loopback && !allowed(host_name(request.header("host"))))
    return rpc_error(403, kInvalidRequest, "Host is not this machine (DNS rebinding protection)");
  if (const std::string_view origin = request.header("origin"); !origin.empty() && !allowed(origin_host(origin)))
    return rpc_error(403, kInvalidRequest, "Origin is not allowed");

  const std::string_view session = request.header("mcp-session-id");
  if (request.method == "DELETE") {
    const std::lock_guard lock(sessions_->mutex);
    if (session.empty()) return rpc_error(400, kInvalidRequest, "DELETE needs Mcp-Session-Id");
    if (sessions_->open.erase(std::string(session)) == 0) return rpc_error(404, kInvalidRequest, "no such session");
    std::erase(sessions_->order, std::string(session));
    http::Response done;
    done.status = 204;
    done.content_type.clear();
    return done;
  }
  if (request.method == "GET") {
    http::Response response = rpc_error(405, kInvalidRequest, "this server opens no stream of its own: POST messages");
    response.headers.emplace_back("Allow", "POST, DELETE");
    return response;
  }
  if (request.method != "POST") {
    http::Response response = rpc_error(405, kInvalidRequest, "use POST (or DELETE to end a session)");
    response.headers.emplace_back("Allow", "POST, DELETE");
    return response;
  }
  if (const std::string_view type = request.header("content-type");
      !type.empty() && !text::icontains(type, "application/json"))
    return rpc_error(415, kInvalidRequest, "Content-Type must be application/json");
  if (const std::string_view accept = request.header("accept");
      !accept.empty() && !text::icontains(accept, "application/json") && !text::icontains(accept, "*/*"))
    return rpc_error(406, kInvalidRequest, "Accept must include application/json");
  if (request.body.size() > kMaxMessageBytes) return rpc_error(413, kInvalidRequest, "the message is too large");

  const json message = json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (message.is_discarded()) return rpc_error(400, kParseError, "parse error: the body is not JSON");
  if (message.is_array()) return rpc_error(400, kInvalidRequest, "batches are not supported: send one message per POST");
  const bool initialize = message.is_object() && message.contains("id") && message.contains("method") &&
                          message["method"] == "initialize";

  if (!initialize) {
    if (const std::string_view version = request.header("mcp-protocol-version"); !version.empty()) {
      bool known = false;
      for (const std::string_view v : kProtocolVersions) known = known || v == version;
      if (!known) return rpc_error(400, kInvalidRequest, fmt::format("unsupported MCP-Protocol-Version {}", version));
    }
    if (session.empty()) return rpc_error(400, kInvalidRequest, "Mcp-Session-Id is required after initialize");
  }

  Connection connection;
  if (!initialize) {
    const std::lock_guard lock(sessions_->mutex);
    const auto it = sessions_->open.find(std::string(session));
    if (it == sessions_->open.end()) return rpc_error(404, kInvalidRequest, "no such session: initialize again");
    connection = it->second;
  }
  const auto reply = server_.handle(message, connection);
  http::Response response;
  if (!reply) {
    response.status = 202;
    response.content_type.clear();
  } else {
    response = json_response(200, *reply);
  }
  if (initialize && reply && reply->contains("result")) {
    const std::string id = new_session_id();
    const std::lock_guard lock(sessions_->mutex);
    sessions_->open.emplace(id, connection);
    sessions_->order.push_back(id);
    while (sessions_->order.size() > options_.max_sessions) {
      sessions_->open.erase(sessions_->order.front());
      sessions_->order.pop_front();
    }
    response.headers.emplace_back("Mcp-Session-Id", id);
  }
  return response;
}

Result<std::unique_ptr<http::Server>> start_http(HttpHandler& handler, const HttpOptions& options) {
  http::Options server_options;
  server_options.address = options.address;
  server_options.port = options.port;
  server_options.limits.max_body_bytes = kMaxMessageBytes;
  server_options.threads = 2;
  return http::Server::start(server_options, [&handler](const http::Request& request) { return handler.handle(request); });
}

int serve_stdio(const Server& server, std::istream& in, std::ostream& out) {
  Connection connection;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (text::trim(line).empty()) continue;
    std::optional<std::string> reply;
    if (line.size() > kMaxMessageBytes)
      reply = json{{"jsonrpc", "2.0"}, {"id", nullptr}, {"error", {{"code", kInvalidRequest}, {"message", "the message is too large"}}}}.dump();
    else
      reply = server.handle_text(line, connection);
    if (reply) out << *reply << '\n' << std::flush;
  }
  return 0;
}

}  // namespace constable::mcp
