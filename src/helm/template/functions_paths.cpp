// Sprig's path functions (base, dir, ext, clean, isAbs), with the semantics
// of Go's `path` package: slash-separated, lexical, no file system access;
// and urlParse, with Go's net/url.Parse.

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "helm/template/functions.hpp"

namespace constable::helm::tmpl {

namespace {

using Args = std::span<const Value>;

// Go's path.Clean: one slash between elements, no "." elements, ".." removing
// the element before it (and dropped at the root), "." for an empty result.
std::string clean(std::string_view path) {
  if (path.empty()) return ".";
  const bool rooted = path.front() == '/';
  std::vector<std::string_view> parts;
  std::size_t i = 0;
  while (i < path.size()) {
    const std::size_t slash = path.find('/', i);
    const std::size_t end = slash == std::string_view::npos ? path.size() : slash;
    const std::string_view part = path.substr(i, end - i);
    i = end + 1;
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (!parts.empty() && parts.back() != "..") parts.pop_back();
      else if (!rooted) parts.push_back(part);
      continue;
    }
    parts.push_back(part);
  }
  std::string out = rooted ? "/" : "";
  for (std::size_t k = 0; k < parts.size(); ++k) {
    if (k != 0) out += '/';
    out += parts[k];
  }
  return out.empty() ? "." : out;
}

std::string base(std::string_view path) {
  if (path.empty()) return ".";
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  if (path == "/") return "/";
  const auto slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

std::string dir(std::string_view path) {
  const auto slash = path.rfind('/');
  return clean(slash == std::string_view::npos ? std::string_view{} : path.substr(0, slash + 1));
}

std::string ext(std::string_view path) {
  for (std::size_t i = path.size(); i > 0 && path[i - 1] != '/'; --i)
    if (path[i - 1] == '.') return std::string(path.substr(i - 1));
  return {};
}

// url.PathUnescape / the fragment's unescaping: %XX decoded, a bad escape an error.
Expected<std::string> url_unescape(std::string_view s) {
  const auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size() || hex(s[i + 1]) < 0 || hex(s[i + 2]) < 0)
      return func_error(fmt::format("invalid URL escape {}", go_quote(s.substr(i, std::min<std::size_t>(3, s.size() - i)))));
    out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
    i += 2;
  }
  return out;
}

// Sprig's urlParse: the parts of Go's url.Parse as a dict.
Expected<Value> url_parse(std::string_view raw) {
  const auto failed = [&](std::string_view why) {
    return func_error(fmt::format("unable to parse url: parse {}: {}", go_quote(raw), why));
  };
  std::string_view rest = raw;
  std::string fragment, scheme, opaque, user, host, path, query;
  if (const auto hash = rest.find('#'); hash != std::string_view::npos) {
    auto f = url_unescape(rest.substr(hash + 1));
    if (!f) return failed(f.error().message);
    fragment = std::move(*f);
    rest = rest.substr(0, hash);
  }
  // getScheme: a letter, then letters, digits, + - . up to the colon.
  for (std::size_t i = 0; i < rest.size(); ++i) {
    const char c = rest[i];
    if (std::isalpha(static_cast<unsigned char>(c))) continue;
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.') {
      if (i == 0) break;
      continue;
    }
    if (c == ':') {
      if (i == 0) return failed("missing protocol scheme");
      for (char s : rest.substr(0, i)) scheme += static_cast<char>(std::tolower(static_cast<unsigned char>(s)));
      rest = rest.substr(i + 1);
    }
    break;
  }
  if (const auto q = rest.find('?'); q != std::string_view::npos) {
    query = std::string(rest.substr(q + 1));
    rest = rest.substr(0, q);
  }
  if (!rest.starts_with('/') && !scheme.empty()) {
    opaque = std::string(rest);
    rest = {};
  } else {
    if (!rest.starts_with('/')) {
      const auto colon = rest.find(':');
      if (colon != std::string_view::npos && colon < rest.find('/'))
        return failed("first path segment in URL cannot contain colon");
    }
    if ((!scheme.empty() || !rest.starts_with("///")) && rest.starts_with("//")) {
      rest.remove_prefix(2);
      const auto slash = rest.find('/');
      std::string_view authority = rest.substr(0, slash);
      rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
      if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
        user = std::string(authority.substr(0, at));
        authority.remove_prefix(at + 1);
      }
      auto h = url_unescape(authority);
      if (!h) return failed(h.error().message);
      host = std::move(*h);
    }
    auto p = url_unescape(rest);
    if (!p) return failed(p.error().message);
    path = std::move(*p);
  }
  // Hostname: the host without its port and IPv6 brackets.
  std::string hostname = host;
  if (hostname.starts_with('[')) {
    hostname = hostname.substr(1, hostname.find(']') == std::string::npos ? std::string::npos : hostname.find(']') - 1);
  } else if (const auto colon = hostname.rfind(':'); colon != std::string::npos) {
    hostname.resize(colon);
  }
  Dict d;
  d["scheme"] = Value::of(std::move(scheme));
  d["host"] = Value::of(std::move(host));
  d["hostname"] = Value::of(std::move(hostname));
  d["path"] = Value::of(std::move(path));
  d["query"] = Value::of(std::move(query));
  d["opaque"] = Value::of(std::move(opaque));
  d["fragment"] = Value::of(std::move(fragment));
  d["userinfo"] = Value::of(std::move(user));
  return Value::of(std::move(d));
}

}  // namespace

void add_path_functions(FunctionTable& t) {
  using P = Param;
  t["base"] = Function{{P::string}, false, [](Call&, Args a) -> Expected<Value> { return Value::of(base(a[0].string)); }};
  t["dir"] = Function{{P::string}, false, [](Call&, Args a) -> Expected<Value> { return Value::of(dir(a[0].string)); }};
  t["ext"] = Function{{P::string}, false, [](Call&, Args a) -> Expected<Value> { return Value::of(ext(a[0].string)); }};
  t["clean"] = Function{{P::string}, false, [](Call&, Args a) -> Expected<Value> { return Value::of(clean(a[0].string)); }};
  t["urlParse"] = Function{{P::string}, false, [](Call&, Args a) { return url_parse(a[0].string); }};
  t["isAbs"] = Function{{P::string}, false, [](Call&, Args a) -> Expected<Value> {
                          return Value::of(!a[0].string.empty() && a[0].string.front() == '/');
                        }};
}

}  // namespace constable::helm::tmpl
