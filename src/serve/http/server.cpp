#include "serve/http/server.hpp"

#include <unistd.h>

#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <filesystem>
#include <mutex>
#include <thread>
#include <unordered_map>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/files.hpp"
#include "core/text.hpp"

namespace constable::serve::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

// Certificates and keys are small; anything larger is not one.
constexpr std::uintmax_t kMaxPemBytes = 1024 * 1024;
// The rate limiter forgets idle clients past this many.
constexpr std::size_t kMaxTrackedClients = 10000;

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%' && i + 2 < text.size()) {
      const int high = hex_value(text[i + 1]);
      const int low = hex_value(text[i + 2]);
      if (high >= 0 && low >= 0) {
        out += static_cast<char>(high * 16 + low);
        i += 2;
        continue;
      }
    }
    out += (plus_is_space && c == '+') ? ' ' : c;
  }
  return out;
}

struct Pem {
  std::string certificate;
  std::string key;
};

Result<Pem> read_pem(const TlsFiles& files) {
  Pem pem;
  auto certificate = files::read(files.certificate, {.max_size = kMaxPemBytes, .confine_to = {}, .display = files.certificate});
  if (!certificate) return fail(fmt::format("cannot read the certificate: {}", certificate.error().error.message), files.certificate);
  auto key = files::read(files.private_key, {.max_size = kMaxPemBytes, .confine_to = {}, .display = files.private_key});
  if (!key) return fail(fmt::format("cannot read the private key: {}", key.error().error.message), files.private_key);
  pem.certificate = std::move(*certificate);
  pem.key = std::move(*key);
  return pem;
}

struct BioDeleter {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct X509Deleter {
  void operator()(X509* x) const { X509_free(x); }
};
struct KeyDeleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};

// The leaf certificate's problems, or a description ("CN=..., valid until ...").
Result<std::string> check_pem(const Pem& pem, const TlsFiles& files) {
  std::unique_ptr<BIO, BioDeleter> certificate_bio(BIO_new_mem_buf(pem.certificate.data(), static_cast<int>(pem.certificate.size())));
  std::unique_ptr<X509, X509Deleter> leaf(PEM_read_bio_X509(certificate_bio.get(), nullptr, nullptr, nullptr));
  if (!leaf) return fail("the certificate file holds no PEM certificate", files.certificate);
  auto* names = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(leaf.get(), NID_subject_alt_name, nullptr, nullptr));
  const bool has_san = names != nullptr && sk_GENERAL_NAME_num(names) > 0;
  if (names != nullptr) GENERAL_NAMES_free(names);
  if (!has_san)
    return fail("the certificate has no subjectAltName: the API server (Go's TLS) ignores the common name, "
                "so it would refuse every call; issue it with the Service's DNS names as SANs",
                files.certificate);
  std::unique_ptr<BIO, BioDeleter> key_bio(BIO_new_mem_buf(pem.key.data(), static_cast<int>(pem.key.size())));
  std::unique_ptr<EVP_PKEY, KeyDeleter> key(PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr));
  if (!key) return fail("the key file holds no PEM private key", files.private_key);
  if (X509_check_private_key(leaf.get(), key.get()) != 1)
    return fail("the private key does not match the certificate", files.private_key);
  char subject[256] = {};
  X509_NAME_oneline(X509_get_subject_name(leaf.get()), subject, sizeof subject - 1);
  std::unique_ptr<BIO, BioDeleter> out(BIO_new(BIO_s_mem()));
  ASN1_TIME_print(out.get(), X509_get0_notAfter(leaf.get()));
  char* data = nullptr;
  const long size = BIO_get_mem_data(out.get(), &data);
  return fmt::format("{}, valid until {}", subject, std::string_view(data, static_cast<std::size_t>(size)));
}

Result<std::shared_ptr<asio::ssl::context>> tls_context(const Pem& pem, const TlsFiles& files) {
  auto context = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
  context->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                       asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                       asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use);
  boost::system::error_code ec;
  context->use_certificate_chain(asio::buffer(pem.certificate), ec);
  if (ec) return fail(fmt::format("cannot use the certificate: {}", ec.message()), files.certificate);
  context->use_private_key(asio::buffer(pem.key), asio::ssl::context::pem, ec);
  if (ec) return fail(fmt::format("cannot use the private key: {}", ec.message()), files.private_key);
  return context;
}

// Size and modification time of both files: a change to either reloads.
struct Stamp {
  std::filesystem::file_time_type certificate_time, key_time;
  std::uintmax_t certificate_size = 0, key_size = 0;
  friend bool operator==(const Stamp&, const Stamp&) = default;
};

Stamp stamp_of(const TlsFiles& files) {
  std::error_code ec;
  Stamp stamp;
  stamp.certificate_time = std::filesystem::last_write_time(files.certificate, ec);
  stamp.certificate_size = std::filesystem::file_size(files.certificate, ec);
  stamp.key_time = std::filesystem::last_write_time(files.private_key, ec);
  stamp.key_size = std::filesystem::file_size(files.private_key, ec);
  return stamp;
}

// A token bucket per client address.
class RateLimiter {
 public:
  RateLimiter(double rate, double burst) : rate_(rate), burst_(std::max(burst, 1.0)) {}
  bool allow(const std::string& client) {
    if (rate_ <= 0) return true;
    const auto now = Clock::now();
    const std::lock_guard lock(mutex_);
    if (buckets_.size() >= kMaxTrackedClients && !buckets_.contains(client)) forget_idle(now);
    auto [it, added] = buckets_.try_emplace(client, Bucket{burst_, now});
    Bucket& bucket = it->second;
    if (!added) {
      const double elapsed = std::chrono::duration<double>(now - bucket.updated).count();
      bucket.tokens = std::min(burst_, bucket.tokens + elapsed * rate_);
      bucket.updated = now;
    }
    if (bucket.tokens < 1.0) return false;
    bucket.tokens -= 1.0;
    return true;
  }

 private:
  struct Bucket {
    double tokens;
    Clock::time_point updated;
  };
  // Buckets that have refilled completely hold nothing worth keeping.
  void forget_idle(Clock::time_point now) {
    std::erase_if(buckets_, [&](const auto& entry) {
      return entry.second.tokens + std::chrono::duration<double>(now - entry.second.updated).count() * rate_ >= burst_;
    });
    if (buckets_.size() >= kMaxTrackedClients) buckets_.clear();  // a flood of addresses: start over
  }
  double rate_, burst_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

class ServerImpl;

// One connection: optional TLS handshake, then requests one after another.
template <class Stream>
class Connection : public std::enable_shared_from_this<Connection<Stream>> {
 public:
  Connection(ServerImpl& server, std::atomic<std::size_t>& loop_connections, Stream stream, std::string client);
  ~Connection();

  void start();

 private:
  auto& socket_layer() { return beast::get_lowest_layer(stream_); }
  void handshake();
  void read_request();
  void on_header(beast::error_code ec);
  void on_body(beast::error_code ec);
  void refuse(int status, std::string_view title, std::string_view detail);
  void respond(Response response, bool keep_alive);
  void close();

  ServerImpl& server_;
  std::atomic<std::size_t>& loop_connections_;
  Stream stream_;
  std::string client_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  bhttp::response<bhttp::string_body> response_;
};

constexpr bool kIsTls(const beast::tcp_stream*) { return false; }
constexpr bool kIsTls(const beast::ssl_stream<beast::tcp_stream>*) { return true; }

class ServerImpl final : public Server {
 public:
  ServerImpl(Options options, Handler handler, Events events)
      : options_(std::move(options)),
        handler_(std::move(handler)),
        events_(std::move(events)),
        limiter_(options_.limits.rate_per_second, options_.limits.burst),
        loops_(make_loops(options_.threads)),
        acceptor_(accept_loop_),
        tls_timer_(accept_loop_) {}

  ~ServerImpl() override { stop(); }

  Result<void> open() {
    if (options_.tls) {
      auto pem = read_pem(*options_.tls);
      if (!pem) return std::unexpected(pem.error());
      if (auto ok = check_pem(*pem, *options_.tls); !ok) return std::unexpected(ok.error());
      auto context = tls_context(*pem, *options_.tls);
      if (!context) return std::unexpected(context.error());
      tls_ = std::move(*context);
      tls_stamp_ = stamp_of(*options_.tls);
    }
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(options_.address, ec);
    if (ec) return fail(fmt::format("--listen: '{}' is not an IP address", options_.address));
    const tcp::endpoint endpoint(address, options_.port);
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) return fail(fmt::format("cannot listen on {}:{}: {}", options_.address, options_.port, ec.message()));
    port_ = acceptor_.local_endpoint().port();
    accept();
    if (options_.tls) poll_certificate();
    threads_.emplace_back([this] { accept_loop_.run(); });
    for (auto& loop : loops_) threads_.emplace_back([&context = loop->context] { context.run(); });
    return {};
  }

  std::uint16_t port() const override { return port_; }
  std::size_t open_connections() const override { return connections_.load(); }

  void stop() override {
    if (stopped_.exchange(true)) return;
    asio::post(accept_loop_, [this] {
      boost::system::error_code ignored;
      acceptor_.close(ignored);
      tls_timer_.cancel();
    });
    accept_loop_.stop();
    for (auto& loop : loops_) loop->context.stop();
    for (auto& thread : threads_)
      if (thread.joinable()) thread.join();
  }

  // For connections.
  const Limits& limits() const { return options_.limits; }
  void connection_opened() { ++connections_; }
  void connection_closed() { --connections_; }
  void rejected(int status, std::string_view client) {
    if (events_.rejected) events_.rejected(status, client);
  }
  bool allow(const std::string& client) { return limiter_.allow(client); }
  Response handle(const Request& request) {
    try {
      return handler_(request);
    } catch (const std::exception& e) {
      return problem(500, "Internal error", text::sanitize_utf8(e.what()));
    }
  }

 private:
  // One event loop per thread, each with its own connections: a request is
  // read, judged and answered on one thread, with no hand-off between threads
  // (a shared io_context woke the other thread for each step, which cost a
  // lone review ~0.15 ms of its ~0.3 ms on these machines). Accepting and
  // certificate polling have a loop of their own, so a handler that waits
  // (a namespace lookup, at most once a minute per namespace) delays only
  // the connections of its loop, never new ones.
  struct Loop {
    std::atomic<std::size_t> connections{0};  // before the context: its connections count down as it dies
    asio::io_context context{1};
    // Runs until stop() even while it holds no connection yet.
    asio::executor_work_guard<asio::io_context::executor_type> busy = asio::make_work_guard(context);
  };

  static std::vector<std::unique_ptr<Loop>> make_loops(unsigned threads) {
    if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
    std::vector<std::unique_ptr<Loop>> loops;
    for (unsigned i = 0; i < threads; ++i) loops.push_back(std::make_unique<Loop>());
    return loops;
  }

  // A new connection goes to the loop that holds the fewest.
  Loop& least_loaded() {
    Loop* best = loops_.front().get();
    for (const auto& loop : loops_)
      if (loop->connections.load() < best->connections.load()) best = loop.get();
    return *best;
  }

  void accept() {
    acceptor_.async_accept([this](beast::error_code ec, tcp::socket accepted) {
      if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
      if (!ec) {
        // The loop is chosen now, not when the accept was armed: the counts
        // may have changed while it waited.
        Loop& loop = least_loaded();
        const auto protocol = accepted.local_endpoint(ec).protocol();
        const int descriptor = ec ? -1 : accepted.release(ec);
        tcp::socket socket(loop.context);
        if (!ec) socket.assign(protocol, descriptor, ec);
        if (ec && descriptor >= 0) ::close(descriptor);
        if (!ec) admit(std::move(socket), loop);
      }
      accept();
    });
  }

  void admit(tcp::socket socket, Loop& loop) {
    boost::system::error_code ec;
    const auto remote = socket.remote_endpoint(ec);
    if (ec) return;
    std::string client = remote.address().to_string();
    if (connections_.load() >= options_.limits.max_connections) {
      rejected(503, client);
      socket.close(ec);  // over the cap: closed at once, before any TLS work
      return;
    }
    socket.set_option(tcp::no_delay(true), ec);
    if (tls_) {
      std::shared_ptr<asio::ssl::context> context;
      {
        const std::lock_guard lock(tls_mutex_);
        context = tls_;
      }
      using TlsStream = beast::ssl_stream<beast::tcp_stream>;
      auto connection = std::make_shared<Connection<TlsStream>>(*this, loop.connections, TlsStream(beast::tcp_stream(std::move(socket)), *context), std::move(client));
      asio::post(loop.context, [connection] { connection->start(); });
    } else {
      auto connection = std::make_shared<Connection<beast::tcp_stream>>(*this, loop.connections, beast::tcp_stream(std::move(socket)), std::move(client));
      asio::post(loop.context, [connection] { connection->start(); });
    }
  }

  void poll_certificate() {
    tls_timer_.expires_after(options_.tls_poll);
    tls_timer_.async_wait([this](beast::error_code ec) {
      if (ec) return;
      reload_certificate();
      poll_certificate();
    });
  }

  void reload_certificate() {
    const Stamp now = stamp_of(*options_.tls);
    if (now == tls_stamp_) return;
    tls_stamp_ = now;  // a broken pair is tried again when it changes again
    auto pem = read_pem(*options_.tls);
    Result<std::string> checked = pem ? check_pem(*pem, *options_.tls) : Result<std::string>(std::unexpected(pem.error()));
    Result<std::shared_ptr<asio::ssl::context>> context =
        checked ? tls_context(*pem, *options_.tls) : Result<std::shared_ptr<asio::ssl::context>>(std::unexpected(checked.error()));
    if (!context) {
      if (events_.tls_reload) events_.tls_reload(false, context.error().to_string());
      return;
    }
    {
      const std::lock_guard lock(tls_mutex_);
      tls_ = std::move(*context);
    }
    if (events_.tls_reload) events_.tls_reload(true, *checked);
  }

  // What connections use is declared before the io_contexts, so that it
  // outlives the connections destroyed with their pending handlers.
  Options options_;
  Handler handler_;
  Events events_;
  RateLimiter limiter_;
  std::atomic<std::size_t> connections_{0};
  std::atomic<bool> stopped_{false};
  std::mutex tls_mutex_;
  std::shared_ptr<asio::ssl::context> tls_;
  Stamp tls_stamp_;
  std::uint16_t port_ = 0;
  std::vector<std::unique_ptr<Loop>> loops_;
  asio::io_context accept_loop_{1};
  tcp::acceptor acceptor_;
  asio::steady_timer tls_timer_;
  std::vector<std::thread> threads_;
};

template <class Stream>
Connection<Stream>::Connection(ServerImpl& server, std::atomic<std::size_t>& loop_connections, Stream stream,
                               std::string client)
    : server_(server), loop_connections_(loop_connections), stream_(std::move(stream)), client_(std::move(client)) {
  // Counted as soon as accepted, so that the cap and the choice of loop see
  // it before it starts on its loop.
  ++loop_connections_;
  server_.connection_opened();
}

template <class Stream>
Connection<Stream>::~Connection() {
  --loop_connections_;
  server_.connection_closed();
}

template <class Stream>
void Connection<Stream>::start() {
  if constexpr (kIsTls(static_cast<Stream*>(nullptr))) {
    socket_layer().expires_after(server_.limits().handshake_timeout);
    stream_.async_handshake(asio::ssl::stream_base::server,
                            [self = this->shared_from_this()](beast::error_code ec) {
                              if (ec) return;  // garbage or a client that gave up: nothing to answer
                              self->read_request();
                            });
  } else {
    read_request();
  }
}

template <class Stream>
void Connection<Stream>::read_request() {
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(server_.limits().max_header_bytes));
  parser_->body_limit(server_.limits().max_body_bytes);
  // The whole head must arrive within the header timeout (slow-loris),
  // counted from the end of the previous response.
  socket_layer().expires_after(server_.limits().header_timeout);
  bhttp::async_read_header(stream_, buffer_, *parser_,
                           [self = this->shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
}

template <class Stream>
void Connection<Stream>::on_header(beast::error_code ec) {
  if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::eof ||
      ec == asio::error::connection_reset || ec == asio::error::operation_aborted) {
    if (ec == beast::error::timeout) server_.rejected(408, client_);
    return close();
  }
  if (ec == bhttp::error::header_limit) return refuse(431, "Request header fields too large", "the request head is too large");
  // Beast checks Content-Length against the body limit with the head.
  if (ec == bhttp::error::body_limit)
    return refuse(413, "Payload too large", fmt::format("the body exceeds {} bytes", server_.limits().max_body_bytes));
  if (ec) return refuse(400, "Bad request", "the request is not valid HTTP/1.1");
  const auto length = parser_->content_length();
  if (length && *length > server_.limits().max_body_bytes)
    return refuse(413, "Payload too large",
                  fmt::format("the body is {} bytes; the limit is {}", *length, server_.limits().max_body_bytes));
  socket_layer().expires_after(server_.limits().body_timeout);
  bhttp::async_read(stream_, buffer_, *parser_,
                    [self = this->shared_from_this()](beast::error_code error, std::size_t) { self->on_body(error); });
}

template <class Stream>
void Connection<Stream>::on_body(beast::error_code ec) {
  if (ec == bhttp::error::body_limit)
    return refuse(413, "Payload too large", fmt::format("the body exceeds {} bytes", server_.limits().max_body_bytes));
  if (ec == beast::error::timeout) {
    server_.rejected(408, client_);
    return close();
  }
  if (ec) return refuse(400, "Bad request", "the request body could not be read");
  auto message = parser_->release();
  if (!server_.allow(client_)) {
    server_.rejected(429, client_);
    Response response = problem(429, "Too many requests", "this client is over its request rate; retry shortly");
    response.headers.emplace_back("Retry-After", "1");
    return respond(std::move(response), message.keep_alive());
  }
  Request request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  const std::string_view target = request.target;
  const auto question = target.find('?');
  request.path = percent_decode(target.substr(0, question), false);
  if (question != std::string_view::npos) {
    for (const auto part : text::split(target.substr(question + 1), '&')) {
      if (part.empty()) continue;
      const auto equals = part.find('=');
      request.query.emplace_back(percent_decode(part.substr(0, equals), true),
                                 equals == std::string_view::npos ? std::string() : percent_decode(part.substr(equals + 1), true));
    }
  }
  for (const auto& field : message)
    request.headers.emplace_back(text::to_lower(std::string_view(field.name_string())), std::string(field.value()));
  request.body = std::move(message.body());
  request.client = client_;
  respond(server_.handle(request), message.keep_alive());
}

template <class Stream>
void Connection<Stream>::refuse(int status, std::string_view title, std::string_view detail) {
  server_.rejected(status, client_);
  respond(problem(status, title, detail), false);
}

template <class Stream>
void Connection<Stream>::respond(Response response, bool keep_alive) {
  response_ = {};
  response_.version(11);
  response_.result(static_cast<unsigned>(response.status));
  response_.set(bhttp::field::server, "constable");
  response_.set(bhttp::field::content_type, response.content_type);
  for (auto& [name, value] : response.headers) response_.set(name, value);
  response_.body() = std::move(response.body);
  response_.keep_alive(keep_alive);
  response_.prepare_payload();
  socket_layer().expires_after(server_.limits().body_timeout);
  bhttp::async_write(stream_, response_,
                     [self = this->shared_from_this(), keep_alive](beast::error_code ec, std::size_t) {
                       if (ec || !keep_alive) return self->close();
                       self->read_request();
                     });
}

template <class Stream>
void Connection<Stream>::close() {
  if constexpr (kIsTls(static_cast<Stream*>(nullptr))) {
    socket_layer().expires_after(std::chrono::seconds(1));
    stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) {
      beast::error_code ignored;
      self->socket_layer().socket().shutdown(tcp::socket::shutdown_both, ignored);
    });
  } else {
    beast::error_code ignored;
    socket_layer().socket().shutdown(tcp::socket::shutdown_send, ignored);
  }
}

}  // namespace

std::string_view Request::header(std::string_view name) const {
  for (const auto& [key, value] : headers)
    if (key == name) return value;
  return {};
}

std::optional<std::string_view> Request::query_parameter(std::string_view name) const {
  for (const auto& [key, value] : query)
    if (key == name) return std::string_view(value);
  return std::nullopt;
}

Response problem(int status, std::string_view title, std::string_view detail, std::string_view type) {
  Response response;
  response.status = status;
  response.content_type = "application/problem+json";
  response.body = nlohmann::json{{"type", type.empty() ? std::string_view("about:blank") : type},
                                 {"title", title},
                                 {"status", status},
                                 {"detail", detail}}
                      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

Response method_not_allowed(std::string_view allowed, std::string_view path) {
  Response response = problem(405, "Method not allowed", fmt::format("{} accepts {}", path, allowed));
  response.headers.emplace_back("Allow", std::string(allowed));
  return response;
}

Response with_etag(const Request& request, Response response, std::string etag, std::string_view cache_control) {
  const bool unchanged = request.header("if-none-match") == etag;
  response.headers.emplace_back("ETag", std::move(etag));
  response.headers.emplace_back("Cache-Control", std::string(cache_control));
  if (unchanged) {
    response.status = 304;
    response.body.clear();
  }
  return response;
}

Result<void> validate_certificate(const TlsFiles& files) {
  auto pem = read_pem(files);
  if (!pem) return std::unexpected(pem.error());
  auto checked = check_pem(*pem, files);
  if (!checked) return std::unexpected(checked.error());
  return {};
}

Result<std::unique_ptr<Server>> Server::start(Options options, Handler handler, Events events) {
  auto server = std::make_unique<ServerImpl>(std::move(options), std::move(handler), std::move(events));
  if (auto ok = server->open(); !ok) return std::unexpected(ok.error());
  return std::unique_ptr<Server>(std::move(server));
}

}  // namespace constable::serve::http
