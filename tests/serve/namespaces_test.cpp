// Namespace labels from a Kubernetes API over real TLS on loopback (a fake
// API server built on the server's own HTTP edge), and the client under it:
// verification, bearer tokens, caching, timeouts and failures.

#include "serve/namespaces.hpp"

#include <atomic>
#include <mutex>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "serve/http/client.hpp"
#include "serve/loopback.hpp"

namespace constable::serve {
namespace {

namespace ct = constable::testing;
using nlohmann::json;
using namespace std::chrono_literals;

// GET /api/v1/namespaces/{name} as the API server answers it, for a
// request with the right bearer token; counts the requests.
class FakeApiServer {
 public:
  explicit FakeApiServer(const ct::TempDir& dir, std::chrono::milliseconds delay = 0ms) : delay_(delay) {
    tls_ = ct::certificate(dir, "kube-api");
    token_ = dir.write("token", "s3cr3t-token\n").string();
    auto started = http::Server::start(ct::loopback(tls_), [this](const http::Request& request) { return answer(request); });
    EXPECT_TRUE(started) << (started ? "" : started.error().to_string());
    if (started) server_ = std::move(*started);
  }

  KubeApi api() const {
    return {fmt::format("https://127.0.0.1:{}", server_ ? server_->port() : 0), tls_.certificate, token_};
  }
  int requests() const { return requests_; }
  std::string last_authorization() const {
    const std::lock_guard lock(mutex_);
    return authorization_;
  }

 private:
  http::Response answer(const http::Request& request) {
    ++requests_;
    {
      const std::lock_guard lock(mutex_);
      authorization_ = std::string(request.header("authorization"));
    }
    if (delay_ > 0ms) std::this_thread::sleep_for(delay_);
    if (request.header("authorization") != "Bearer s3cr3t-token") return http::problem(401, "Unauthorized", "");
    http::Response response;
    if (request.path == "/api/v1/namespaces/shop") {
      response.body = json{{"apiVersion", "v1"},
                           {"kind", "Namespace"},
                           {"metadata", {{"name", "shop"}, {"labels", {{"environment", "production"}}}}}}
                          .dump();
    } else if (request.path == "/api/v1/namespaces/bare") {
      response.body = json{{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", "bare"}}}}.dump();
    } else {
      response.status = 404;
      response.body = R"({"kind":"Status","code":404})";
    }
    return response;
  }

  std::chrono::milliseconds delay_;
  http::TlsFiles tls_;
  std::string token_;
  std::unique_ptr<http::Server> server_;
  std::atomic<int> requests_{0};
  mutable std::mutex mutex_;
  std::string authorization_;
};

TEST(NamespaceDirectory, ReadsLabelsWithTheServiceAccountTokenAndCachesTheAnswer) {
  ct::TempDir dir;
  FakeApiServer api(dir);
  std::vector<std::string> errors;
  NamespaceDirectory directory(api.api(), {}, [&](std::string_view e) { errors.emplace_back(e); });
  const auto shop = directory.labels("shop");
  ASSERT_TRUE(shop);
  EXPECT_EQ(*shop, (json{{"environment", "production"}}));
  EXPECT_EQ(api.last_authorization(), "Bearer s3cr3t-token");
  EXPECT_EQ(directory.labels("bare"), json::object());
  EXPECT_FALSE(directory.labels("missing"));  // 404: no such namespace, not an error
  EXPECT_TRUE(errors.empty());
  const int asked = api.requests();
  EXPECT_TRUE(directory.labels("shop"));
  EXPECT_FALSE(directory.labels("missing"));
  EXPECT_EQ(api.requests(), asked);  // answered from the cache
  // A name the API could not hold never reaches a URL.
  EXPECT_FALSE(directory.labels("../../secrets"));
  EXPECT_EQ(api.requests(), asked);
}

TEST(NamespaceDirectory, AnUnreachableSlowOrUntrustedApiLeavesLabelsUnknownAndSaysWhy) {
  ct::TempDir dir;
  // Nothing listens on the port of a server that was started and stopped.
  KubeApi gone;
  {
    FakeApiServer stopped(dir);
    gone = stopped.api();
  }
  std::vector<std::string> errors;
  const auto sink = [&](std::string_view e) { errors.emplace_back(e); };
  NamespaceDirectory unreachable(gone, {}, sink);
  EXPECT_FALSE(unreachable.labels("shop"));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("namespace labels of 'shop' unknown"), std::string::npos) << errors[0];
  // Failures are not retried at once: the API is not hammered while down.
  EXPECT_FALSE(unreachable.labels("shop"));
  EXPECT_EQ(errors.size(), 1u);

  ct::TempDir slow_dir;
  FakeApiServer slow(slow_dir, 1500ms);
  NamespaceDirectory::Options quick;
  quick.timeout = 200ms;
  NamespaceDirectory impatient(slow.api(), quick, sink);
  EXPECT_FALSE(impatient.labels("shop"));
  EXPECT_NE(errors.back().find("no complete answer within 200 ms"), std::string::npos) << errors.back();

  // A CA that did not sign the server's certificate.
  ct::TempDir other;
  KubeApi untrusted = slow.api();
  untrusted.ca_file = ct::certificate(other, "someone-else").certificate;
  NamespaceDirectory wary(untrusted, {}, sink);
  EXPECT_FALSE(wary.labels("shop"));
  EXPECT_NE(errors.back().find("TLS handshake"), std::string::npos) << errors.back();

  // A token file that is gone.
  KubeApi tokenless = slow.api();
  tokenless.token_file = (dir.path() / "no-such-token").string();
  NamespaceDirectory without(tokenless, {}, sink);
  EXPECT_FALSE(without.labels("shop"));
  EXPECT_NE(errors.back().find("no-such-token"), std::string::npos) << errors.back();
}

TEST(HttpClient, ParsesUrlsAndRefusesWhatItCannotCall) {
  const auto v6 = http::parse_url("https://[::1]:6443/api/v1/namespaces/x?watch=0");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, "6443");
  EXPECT_EQ(v6->target, "/api/v1/namespaces/x?watch=0");
  const auto plain = http::parse_url("http://example.com");
  ASSERT_TRUE(plain);
  EXPECT_FALSE(plain->tls);
  EXPECT_EQ(plain->port, "80");
  EXPECT_EQ(plain->target, "/");
  EXPECT_FALSE(http::parse_url("ftp://example.com/"));
  EXPECT_FALSE(http::parse_url("https://user:pass@example.com/"));
  EXPECT_FALSE(http::parse_url("https://example.com:99999/"));
  EXPECT_FALSE(http::parse_url("https://[::1/"));
  EXPECT_FALSE(http::parse_url("https:///path"));
}

TEST(HttpClient, BoundsTheBodyItReads) {
  ct::TempDir dir;
  auto server = http::Server::start(ct::loopback(), [](const http::Request&) {
    http::Response response;
    response.body = std::string(100'000, 'x');
    return response;
  });
  ASSERT_TRUE(server);
  http::ClientOptions client;
  client.max_body_bytes = 1000;
  const auto url = fmt::format("http://127.0.0.1:{}/", (*server)->port());
  const auto cut = http::get(url, {}, client);
  EXPECT_FALSE(cut) << cut->status << " " << cut->body.size();
  client.max_body_bytes = 200'000;
  const auto whole = http::get(url, {}, client);
  ASSERT_TRUE(whole) << whole.error().to_string();
  EXPECT_EQ(whole->body.size(), 100'000u);
}

}  // namespace
}  // namespace constable::serve
