#include "mcp/command.hpp"

#include <pthread.h>
#include <signal.h>

#include <csignal>
#include <iostream>

#include <fmt/format.h>

#include "mcp/transport.hpp"
#include "serve/command.hpp"

namespace constable::mcp {

int run(const CommandOptions& options) {
  if (options.transport != "stdio" && options.transport != "http") {
    std::cerr << fmt::format("constable: --transport must be stdio or http, got '{}'\n", options.transport);
    return 2;
  }
  // Signals are taken by sigwait (http): block them before any thread starts.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  if (options.transport == "http") pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  auto server = Server::create(options.server);
  if (!server) {
    std::cerr << fmt::format("constable: {}\n", server.error().to_string());
    return 2;
  }
  if (options.transport == "stdio") return serve_stdio(**server, std::cin, std::cout);

  auto listen = serve::parse_listen(options.listen);
  if (!listen) {
    std::cerr << fmt::format("constable: {}\n", listen.error().to_string());
    return 2;
  }
  HttpOptions http{.address = listen->first, .port = listen->second, .allowed_hosts = options.allowed_hosts};
  HttpHandler handler(**server, http);
  auto edge = start_http(handler, http);
  if (!edge) {
    std::cerr << fmt::format("constable: {}\n", edge.error().to_string());
    return 2;
  }
  std::cerr << fmt::format("constable mcp: Streamable HTTP on http://{}:{}/mcp, constitution {}\n", listen->first,
                           (*edge)->port(), (*server)->snapshot().constitution().path);
  int signal = 0;
  while (sigwait(&signals, &signal) != 0) {
  }
  (*edge)->stop();
  return 0;
}

}  // namespace constable::mcp
