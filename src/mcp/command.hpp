#pragma once
// `constable mcp`: the server over stdio (the default: an agent starts it as
// a subprocess) or Streamable HTTP (--transport http --listen ADDR:PORT).

#include <string>
#include <vector>

#include "mcp/server.hpp"

namespace constable::mcp {

struct CommandOptions {
  Options server;
  std::string transport = "stdio";  // stdio|http
  std::string listen = "127.0.0.1:8765";
  std::vector<std::string> allowed_hosts;
};

// The exit code: 0 at the end of input (stdio) or on SIGINT/SIGTERM (http),
// 2 when it cannot start.
int run(const CommandOptions& options);

}  // namespace constable::mcp
