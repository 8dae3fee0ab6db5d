#include "serve/http/client.hpp"

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/version.hpp>
#include <fmt/format.h>

#include <charconv>
#include <memory>
#include <optional>

#include "core/text.hpp"

namespace constable::serve::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

Result<Url> parse_url(std::string_view url) {
  Url parsed;
  std::string_view rest;
  if (url.starts_with("https://")) {
    rest = url.substr(8);
  } else if (url.starts_with("http://")) {
    parsed.tls = false;
    rest = url.substr(7);
  } else {
    return fail(fmt::format("'{}' is not an http:// or https:// URL", text::shorten(url, 80)));
  }
  const auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  parsed.target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  if (authority.find('@') != std::string_view::npos)
    return fail(fmt::format("'{}': credentials in a URL are not accepted", text::shorten(url, 80)));
  std::string_view port;
  if (authority.starts_with('[')) {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return fail(fmt::format("'{}': unclosed IPv6 literal", text::shorten(url, 80)));
    parsed.host = std::string(authority.substr(1, close - 1));
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (!after.starts_with(':')) return fail(fmt::format("'{}': bad authority", text::shorten(url, 80)));
      port = after.substr(1);
    }
  } else {
    const auto colon = authority.rfind(':');
    parsed.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
  }
  if (parsed.host.empty()) return fail(fmt::format("'{}' names no host", text::shorten(url, 80)));
  unsigned number = 0;
  const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), number);
  if (!port.empty() && (error != std::errc{} || end != port.data() + port.size() || number > 65535))
    return fail(fmt::format("'{}': the port is not a number", text::shorten(url, 80)));
  parsed.port = port.empty() ? (parsed.tls ? "443" : "80") : std::string(port);
  return parsed;
}

namespace {

// One exchange, driven by callbacks on a private io_context that runs until
// the deadline: whatever has not finished by then is abandoned with it.
class Exchange {
 public:
  Exchange(asio::io_context& io, asio::ssl::context* tls, const Url& url, bhttp::request<bhttp::string_body> request,
           std::size_t max_body)
      : resolver_(io), tcp_(io), url_(url), request_(std::move(request)), max_body_(max_body) {
    if (tls != nullptr) tls_.emplace(io, *tls);
    parser_.body_limit(max_body);
    parser_.header_limit(64 * 1024);
  }

  Result<void> prepare_tls(bool verify_peer) {
    SSL* ssl = tls_->native_handle();
    boost::system::error_code ignored;
    asio::ip::make_address(url_.host, ignored);
    const bool is_address = !ignored;
    // SNI names a host, never an address (RFC 6066).
    if (!is_address && SSL_set_tlsext_host_name(ssl, url_.host.c_str()) != 1)
      return fail(fmt::format("cannot set the TLS server name {}", url_.host));
    if (verify_peer) {
      X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
      const int named = is_address ? X509_VERIFY_PARAM_set1_ip_asc(param, url_.host.c_str())
                                   : X509_VERIFY_PARAM_set1_host(param, url_.host.c_str(), url_.host.size());
      if (named != 1) return fail(fmt::format("cannot verify the peer as {}", url_.host));
      tls_->set_verify_mode(asio::ssl::verify_peer);
    } else {
      tls_->set_verify_mode(asio::ssl::verify_none);
    }
    return {};
  }

  void start() {
    resolver_.async_resolve(url_.host, url_.port, [this](beast::error_code resolved, tcp::resolver::results_type found) {
      if (resolved) return finish(resolved, "resolve");
      asio::async_connect(tcp_socket(), found, [this](beast::error_code connected, const tcp::endpoint&) {
        if (connected) return finish(connected, "connect");
        if (!tls_) return send();
        tls_->async_handshake(asio::ssl::stream_base::client, [this](beast::error_code shaken) {
          if (shaken) return finish(shaken, "TLS handshake");
          send();
        });
      });
    });
  }

  bool done() const { return done_; }
  const std::optional<Error>& error() const { return error_; }
  bhttp::response_parser<bhttp::string_body>& parser() { return parser_; }

 private:
  tcp::socket& tcp_socket() { return tls_ ? tls_->next_layer() : tcp_; }

  template <class Stream>
  void exchange(Stream& stream) {
    bhttp::async_write(stream, request_, [this, &stream](beast::error_code sent, std::size_t) {
      if (sent) return finish(sent, "send");
      bhttp::async_read_header(stream, buffer_, parser_, [this, &stream](beast::error_code head, std::size_t) {
        if (head) return finish(head, "read the response head");
        // Beast 1.74's parser skips its body limit on a Content-Length it
        // reads eagerly: the limit is applied here, and again as the body
        // arrives (chunked, or up to the end of the stream).
        if (const auto length = parser_.content_length(); length && *length > max_body_)
          return fail_with(fmt::format("the response body of {} bytes is over the limit of {}", *length, max_body_));
        read_body(stream);
      });
    });
  }

  template <class Stream>
  void read_body(Stream& stream) {
    if (parser_.is_done()) return finish({}, "");
    bhttp::async_read_some(stream, buffer_, parser_, [this, &stream](beast::error_code ec, std::size_t) {
      if (ec) return finish(ec, "read the response body");
      if (parser_.get().body().size() > max_body_)
        return fail_with(fmt::format("the response body is over the limit of {} bytes", max_body_));
      read_body(stream);
    });
  }

  void fail_with(std::string message) {
    done_ = true;
    error_ = Error{};
    error_->message = std::move(message);
  }

  void send() {
    if (tls_) exchange(*tls_);
    else exchange(tcp_);
  }

  void finish(beast::error_code ec, std::string_view step) {
    done_ = true;
    if (ec) fail_with(fmt::format("{}: {}", step, ec.message()));
  }

  tcp::resolver resolver_;
  tcp::socket tcp_;
  std::optional<asio::ssl::stream<tcp::socket>> tls_;
  const Url& url_;
  bhttp::request<bhttp::string_body> request_;
  std::size_t max_body_;
  beast::flat_buffer buffer_;
  bhttp::response_parser<bhttp::string_body> parser_;
  bool done_ = false;
  std::optional<Error> error_;
};

}  // namespace

Result<ClientResponse> get(std::string_view url, const std::vector<std::pair<std::string, std::string>>& headers,
                           const ClientOptions& options) {
  return request("GET", url, headers, {}, options);
}

Result<ClientResponse> request(std::string_view method, std::string_view url_text,
                               const std::vector<std::pair<std::string, std::string>>& headers, std::string body,
                               const ClientOptions& options) {
  const auto url = parse_url(url_text);
  if (!url) return std::unexpected(url.error());
  const std::string where = fmt::format("{} {}://{}:{}{}", method, url->tls ? "https" : "http", url->host, url->port,
                                        text::shorten(url->target, 120));
  const bhttp::verb verb = bhttp::string_to_verb(method);
  if (verb == bhttp::verb::unknown) return fail(fmt::format("{}: unknown method", where));

  std::optional<asio::ssl::context> tls;
  if (url->tls) {
    tls.emplace(asio::ssl::context::tls_client);
    tls->set_options(asio::ssl::context::no_sslv2 | asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                     asio::ssl::context::no_tlsv1_1);
    boost::system::error_code ec;
    if (!options.ca_pem.empty()) tls->add_certificate_authority(asio::buffer(options.ca_pem), ec);
    else if (options.ca_file.empty()) tls->set_default_verify_paths(ec);
    else tls->load_verify_file(options.ca_file, ec);
    if (ec)
      return fail(fmt::format("{}: cannot load the CA bundle {}: {}", where,
                              options.ca_pem.empty() ? options.ca_file : "given inline", ec.message()));
    if (!options.client_certificate_pem.empty() || !options.client_key_pem.empty()) {
      tls->use_certificate_chain(asio::buffer(options.client_certificate_pem), ec);
      if (ec) return fail(fmt::format("{}: cannot load the client certificate: {}", where, ec.message()));
      tls->use_private_key(asio::buffer(options.client_key_pem), asio::ssl::context::pem, ec);
      if (ec) return fail(fmt::format("{}: cannot load the client key: {}", where, ec.message()));
    }
  }

  bhttp::request<bhttp::string_body> message{verb, url->target, 11};
  const bool default_port = url->port == (url->tls ? "443" : "80");
  const bool ipv6 = url->host.find(':') != std::string::npos;
  const std::string host = ipv6 ? "[" + url->host + "]" : url->host;
  message.set(bhttp::field::host, default_port ? host : host + ":" + url->port);
  message.set(bhttp::field::user_agent, "constable");
  message.set(bhttp::field::accept, "application/json");
  message.set(bhttp::field::connection, "close");
  for (const auto& [name, value] : headers) message.set(name, value);
  if (!body.empty() || verb == bhttp::verb::post || verb == bhttp::verb::put || verb == bhttp::verb::patch) {
    message.body() = std::move(body);
    message.prepare_payload();
  }

  asio::io_context io;
  auto exchange = std::make_unique<Exchange>(io, tls ? &*tls : nullptr, *url, std::move(message),
                                             options.max_body_bytes);
  if (url->tls) {
    if (auto prepared = exchange->prepare_tls(options.verify_peer); !prepared)
      return fail(fmt::format("{}: {}", where, prepared.error().message));
  }
  exchange->start();
  io.run_for(options.timeout);
  if (!exchange->done())
    return fail(fmt::format("{}: no complete answer within {} ms", where, options.timeout.count()));
  if (exchange->error()) return fail(fmt::format("{}: {}", where, exchange->error()->message));
  auto& response = exchange->parser().get();
  ClientResponse out;
  out.status = static_cast<int>(response.result_int());
  out.content_type = std::string(response[bhttp::field::content_type]);
  out.body = std::move(response.body());
  return out;
}

}  // namespace constable::serve::http
