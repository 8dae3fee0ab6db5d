// cpp-httplib's HTTPS server (Debian's libcpp-httplib-dev 0.11.4, default
// settings) answering GET /healthz: the alternative ADR 0007 measures
// against. Built and run only by bench/serve/compare-httplib.sh.
//
//   httplib_probe CERT KEY PORT
#ifndef CPPHTTPLIB_OPENSSL_SUPPORT  // Debian's pkg-config file defines it
#define CPPHTTPLIB_OPENSSL_SUPPORT
#endif
#include <httplib.h>

#include <cstdlib>

int main(int argc, char** argv) {
  if (argc != 4) return 2;
  httplib::SSLServer server(argv[1], argv[2]);
  server.Get("/healthz", [](const httplib::Request&, httplib::Response& response) {
    response.set_content(R"({"status":"ok"})", "application/json");
  });
  return server.listen("127.0.0.1", std::atoi(argv[3])) ? 0 : 1;
}
