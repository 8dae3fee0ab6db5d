// Container image references, following the docker/distribution reference
// grammar: [registry/]path[:tag][@algorithm:hex].

#include "formats/image_ref.hpp"

#include <algorithm>
#include <vector>

#include "core/text.hpp"

namespace constable::formats {

namespace {

bool is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool is_alnum(char c) { return is_lower_alnum(c) || (c >= 'A' && c <= 'Z'); }
bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool is_lower_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

// [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*
bool valid_path_component(std::string_view c) {
  if (c.empty() || !is_lower_alnum(c.front()) || !is_lower_alnum(c.back())) return false;
  for (std::size_t i = 0; i < c.size();) {
    if (is_lower_alnum(c[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    if (c[i] == '.') {
      j = i + 1;
    } else if (c[i] == '_') {
      j = i + 1;
      if (j < c.size() && c[j] == '_') ++j;
    } else if (c[i] == '-') {
      while (j < c.size() && c[j] == '-') ++j;
    } else {
      return false;
    }
    if (j >= c.size() || !is_lower_alnum(c[j])) return false;
    i = j;
  }
  return true;
}

// host[:port], host being DNS labels separated by dots or a bracketed IPv6 address.
bool valid_registry(std::string_view r) {
  std::string_view host = r;
  if (!host.empty() && host.front() == '[') {
    const auto close = host.find(']');
    if (close == std::string_view::npos || close < 2) return false;
    for (char c : host.substr(1, close - 1))
      if (!is_hex(c) && c != ':') return false;
    host = host.substr(close + 1);
    if (host.empty()) return true;
    if (host.front() != ':') return false;
  } else {
    const auto colon = host.find(':');
    const std::string_view name = host.substr(0, colon);
    if (name.empty()) return false;
    for (std::string_view label : text::split(name, '.')) {
      if (label.empty() || !is_alnum(label.front()) || !is_alnum(label.back())) return false;
      for (char c : label)
        if (!is_alnum(c) && c != '-') return false;
    }
    if (colon == std::string_view::npos) return true;
    host = host.substr(colon);
  }
  const std::string_view port = host.substr(1);
  if (port.empty() || port.size() > 5) return false;
  return std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// [A-Za-z0-9_][A-Za-z0-9._-]{0,127}
bool valid_tag(std::string_view t) {
  if (t.empty() || t.size() > 128) return false;
  if (!is_alnum(t.front()) && t.front() != '_') return false;
  return std::all_of(t.begin(), t.end(), [](char c) { return is_alnum(c) || c == '_' || c == '.' || c == '-'; });
}

// algorithm:hex; sha256 needs 64 and sha512 128 lower-case hex digits.
bool valid_digest(std::string_view d) {
  const auto colon = d.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  const std::string_view alg = d.substr(0, colon);
  const std::string_view hex = d.substr(colon + 1);
  // [a-z0-9]+([+._-][a-z0-9]+)*
  if (!is_lower_alnum(alg.front()) || !is_lower_alnum(alg.back())) return false;
  for (std::size_t i = 0; i < alg.size(); ++i) {
    const char c = alg[i];
    if (is_lower_alnum(c)) continue;
    if ((c == '+' || c == '.' || c == '_' || c == '-') && i + 1 < alg.size() && is_lower_alnum(alg[i + 1])) continue;
    return false;
  }
  if (alg == "sha256")
    return hex.size() == 64 && std::all_of(hex.begin(), hex.end(), is_lower_hex);
  if (alg == "sha512")
    return hex.size() == 128 && std::all_of(hex.begin(), hex.end(), is_lower_hex);
  return hex.size() >= 32 && std::all_of(hex.begin(), hex.end(), is_hex);
}

}  // namespace

bool ImageRef::is_docker_official() const { return registry.empty() && repository.starts_with("library/"); }

std::string ImageRef::canonical_name() const {
  return (registry.empty() ? std::string("docker.io") : registry) + "/" + repository;
}

std::string ImageRef::short_name() const {
  const auto slash = repository.rfind('/');
  return slash == std::string::npos ? repository : repository.substr(slash + 1);
}

std::optional<ImageRef> parse_image_ref(std::string_view text) {
  if (text.empty() || text.size() > 4096) return std::nullopt;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f) return std::nullopt;
  }
  ImageRef ref;
  std::string_view rest = text;
  if (const auto at = rest.find('@'); at != std::string_view::npos) {
    const std::string_view digest = rest.substr(at + 1);
    if (!valid_digest(digest)) return std::nullopt;
    ref.digest = std::string(digest);
    rest = rest.substr(0, at);
  }
  const auto last_slash = rest.rfind('/');
  const auto last_colon = rest.rfind(':');
  if (last_colon != std::string_view::npos &&
      (last_slash == std::string_view::npos || last_colon > last_slash)) {
    const std::string_view tag = rest.substr(last_colon + 1);
    if (!valid_tag(tag)) return std::nullopt;
    ref.tag = std::string(tag);
    rest = rest.substr(0, last_colon);
  }
  if (rest.empty()) return std::nullopt;
  std::vector<std::string_view> parts = text::split(rest, '/');
  std::size_t first_path = 0;
  if (parts.size() > 1) {
    const std::string_view head = parts[0];
    if (head.find('.') != std::string_view::npos || head.find(':') != std::string_view::npos ||
        head == "localhost" || (!head.empty() && head.front() == '[')) {
      if (!valid_registry(head)) return std::nullopt;
      ref.registry = std::string(head);
      first_path = 1;
    }
  }
  std::string repository;
  for (std::size_t k = first_path; k < parts.size(); ++k) {
    if (!valid_path_component(parts[k])) return std::nullopt;
    if (!repository.empty()) repository += '/';
    repository.append(parts[k]);
  }
  if (repository.empty() || rest.size() > 255) return std::nullopt;
  const std::string lower_registry = text::to_lower(ref.registry);
  if (lower_registry == "docker.io" || lower_registry == "index.docker.io") ref.registry.clear();
  if (ref.registry.empty() && repository.find('/') == std::string::npos) repository = "library/" + repository;
  ref.repository = std::move(repository);
  return ref;
}

}  // namespace constable::formats
