// Sprig's path functions (base, dir, ext, clean, isAbs), with the semantics
// of Go's `path` package: slash-separated, lexical, no file system access.

#include <string>
#include <string_view>
#include <vector>

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

}  // namespace

void add_path_functions(FunctionTable& t) {
  using P = Param;
  t["base"] = Function{{P::string}, false, [](Call&, Args a) -> Expected<Value> { return Value::of(base(a[0].string)); }};
  t["dir"] = Function{{P::string}, false, [](Call&, Args a) -> Expected<Value> { return Value::of(dir(a[0].string)); }};
  t["ext"] = Function{{P::string}, false, [](Call&, Args a) -> Expected<Value> { return Value::of(ext(a[0].string)); }};
  t["clean"] = Function{{P::string}, false, [](Call&, Args a) -> Expected<Value> { return Value::of(clean(a[0].string)); }};
  t["isAbs"] = Function{{P::string}, false, [](Call&, Args a) -> Expected<Value> {
                          return Value::of(!a[0].string.empty() && a[0].string.front() == '/');
                        }};
}

}  // namespace constable::helm::tmpl
