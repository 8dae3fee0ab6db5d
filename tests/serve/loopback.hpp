#pragma once
// The server's tests over real TLS on loopback: certificates and servers.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "serve/http/server.hpp"
#include "support/test_support.hpp"

namespace constable::testing {

// A self-signed certificate for 127.0.0.1 (with a SAN, unless `san` is
// false) written by the openssl command-line tool; it is its own CA.
inline serve::http::TlsFiles certificate(const TempDir& dir, std::string_view name, bool san = true) {
  const auto cert = (dir.path() / fmt::format("{}.crt", name)).string();
  const auto key = (dir.path() / fmt::format("{}.key", name)).string();
  std::vector<std::string> argv = {"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                                   "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj",
                                   fmt::format("/CN={}", name), "-keyout", key, "-out", cert};
  if (san) {
    argv.push_back("-addext");
    argv.push_back("subjectAltName=IP:127.0.0.1,DNS:localhost");
  }
  const auto result = run_command(argv);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  return {cert, key};
}

// A server on 127.0.0.1 and a free port, over TLS when given a certificate.
inline serve::http::Options loopback(std::optional<serve::http::TlsFiles> tls = std::nullopt) {
  serve::http::Options options;
  options.address = "127.0.0.1";
  options.port = 0;
  options.tls = std::move(tls);
  options.threads = 2;
  options.tls_poll = std::chrono::milliseconds(50);
  return options;
}

}  // namespace constable::testing
