#pragma once
// The MCP transports. stdio: one JSON-RPC message per line on standard
// input, each answer one line on standard output, logs only on standard
// error. Streamable HTTP: POST /mcp carries one message and gets a JSON
// answer (or 202 for a notification); a session starts at initialize
// (Mcp-Session-Id) and ends with DELETE; GET has no server-initiated stream
// (405). A loopback server refuses other Host and Origin headers (DNS
// rebinding).

#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "mcp/server.hpp"
#include "serve/http/server.hpp"

namespace constable::mcp {

// Serves until end of input; the exit code.
int serve_stdio(const Server& server, std::istream& in, std::ostream& out);

struct HttpOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 0;
  // Host names accepted in Host and Origin besides loopback ones (a server
  // bound elsewhere on purpose); a non-loopback address accepts any Host.
  std::vector<std::string> allowed_hosts;
  std::size_t max_sessions = 1024;
};

// The handler behind POST/GET/DELETE /mcp, sessions included, for the HTTP
// edge and for tests that call it without a socket.
class HttpHandler {
 public:
  HttpHandler(const Server& server, HttpOptions options);
  ~HttpHandler();
  HttpHandler(const HttpHandler&) = delete;
  HttpHandler& operator=(const HttpHandler&) = delete;
  serve::http::Response handle(const serve::http::Request& request);

 private:
  struct Sessions;
  const Server& server_;
  HttpOptions options_;
  std::unique_ptr<Sessions> sessions_;
};

// Starts the HTTP edge on its own threads; stop() it (or destroy it) to end.
Result<std::unique_ptr<serve::http::Server>> start_http(HttpHandler& handler, const HttpOptions& options);

}  // namespace constable::mcp
