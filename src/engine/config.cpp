#include "engine/config.hpp"

#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "core/text.hpp"

namespace constable::engine {

namespace {

// yaml-cpp marks are 0-based; we report 1-based lines and columns.
int line_of(const YAML::Node& node) { return node.Mark().line >= 0 ? node.Mark().line + 1 : 0; }
int column_of(const YAML::Node& node) { return node.Mark().column >= 0 ? node.Mark().column + 1 : 0; }

class Reader {
 public:
  explicit Reader(std::string path) : path_(std::move(path)) {}

  std::unexpected<Error> error(const YAML::Node& node, std::string message) const {
    return fail(std::move(message), path_, line_of(node), column_of(node));
  }

  Result<std::string> scalar(const YAML::Node& node, std::string_view key) const {
    if (!node.IsScalar()) return error(node, fmt::format("'{}' must be a string", key));
    return node.Scalar();
  }

  Result<std::vector<std::string>> string_list(const YAML::Node& node, std::string_view key) const {
    std::vector<std::string> out;
    if (node.IsScalar()) {  // a single value is accepted as a one-item list
      out.push_back(node.Scalar());
      return out;
    }
    if (!node.IsSequence()) return error(node, fmt::format("'{}' must be a list of strings", key));
    for (const auto& item : node) {
      if (!item.IsScalar()) return error(item, fmt::format("'{}' entries must be strings", key));
      out.push_back(item.Scalar());
    }
    return out;
  }

  Result<int> positive_int(const YAML::Node& node, std::string_view key) const {
    auto value = scalar(node, key);
    if (!value) return std::unexpected(value.error());
    int n = 0;
    for (char c : *value) {
      if (c < '0' || c > '9' || n > 100000) return error(node, fmt::format("'{}' must be a positive integer", key));
      n = n * 10 + (c - '0');
    }
    if (n <= 0) return error(node, fmt::format("'{}' must be a positive integer", key));
    return n;
  }

  Result<Date> date(const YAML::Node& node, std::string_view key) const {
    auto value = scalar(node, key);
    if (!value) return std::unexpected(value.error());
    auto parsed = Date::parse(*value);
    if (!parsed) return error(node, fmt::format("'{}' must be a date (YYYY-MM-DD), got '{}'", key, *value));
    return *parsed;
  }

  // Every key of `map` must be one of `known`.
  Result<void> only_keys(const YAML::Node& map, std::initializer_list<std::string_view> known,
                         std::string_view where) const {
    for (const auto& entry : map) {
      const std::string key = entry.first.IsScalar() ? entry.first.Scalar() : std::string("?");
      bool ok = false;
      for (auto k : known) ok = ok || key == k;
      if (!ok) {
        std::string list;
        for (auto k : known) list += fmt::format("{}{}", list.empty() ? "" : ", ", k);
        return error(entry.first, fmt::format("unknown key '{}' in {} (expected one of: {})", key, where, list));
      }
    }
    return {};
  }

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

Result<Waiver> read_waiver(const Reader& r, const YAML::Node& node) {
  if (!node.IsMap()) return r.error(node, "each waiver must be a mapping with check, path, reason, owner, expires");
  if (auto ok = r.only_keys(node, {"check", "path", "reason", "owner", "expires"}, "waiver"); !ok)
    return std::unexpected(ok.error());
  Waiver w;
  w.line = line_of(node);
  for (std::string_view required : {"check", "reason", "owner", "expires"}) {
    if (!node[std::string(required)])
      return r.error(node, fmt::format("waiver is missing '{}' (check, reason, owner and expires are required)", required));
  }
  auto check = r.scalar(node["check"], "check");
  if (!check) return std::unexpected(check.error());
  w.check = *check;
  w.path = "**";
  if (node["path"]) {
    auto p = r.scalar(node["path"], "path");
    if (!p) return std::unexpected(p.error());
    w.path = *p;
  }
  auto reason = r.scalar(node["reason"], "reason");
  if (!reason) return std::unexpected(reason.error());
  if (text::trim(*reason).empty()) return r.error(node["reason"], "waiver 'reason' must not be empty");
  w.reason = *reason;
  auto owner = r.scalar(node["owner"], "owner");
  if (!owner) return std::unexpected(owner.error());
  if (text::trim(*owner).empty()) return r.error(node["owner"], "waiver 'owner' must not be empty");
  w.owner = *owner;
  auto expires = r.date(node["expires"], "expires");
  if (!expires) return std::unexpected(expires.error());
  w.expires = *expires;
  return w;
}

// Evidence is a URL or a path inside the repository: absolute paths and ".."
// would let an attestation point at a file nobody reviewing the repository sees.
bool valid_evidence_path(std::string_view path) {
  if (path.empty() || path.starts_with('/') || path.starts_with('\\') || path.find(':') != std::string_view::npos)
    return false;
  std::size_t start = 0;
  while (start <= path.size()) {
    const auto end = std::min(path.find_first_of("/\\", start), path.size());
    if (path.substr(start, end - start) == "..") return false;
    start = end + 1;
  }
  return true;
}

Result<Attestation> read_attestation(const Reader& r, const YAML::Node& node) {
  if (!node.IsMap())
    return r.error(node, "each attestation must be a mapping with clause, evidence, owner, date, expires");
  if (auto ok = r.only_keys(node, {"clause", "evidence", "owner", "date", "expires", "note"}, "attestation"); !ok)
    return std::unexpected(ok.error());
  Attestation a;
  a.line = line_of(node);
  for (std::string_view required : {"clause", "evidence", "owner", "date", "expires"}) {
    if (!node[std::string(required)])
      return r.error(node, fmt::format("attestation is missing '{}' (clause, evidence, owner, date and expires are "
                                       "required)",
                                       required));
  }
  const auto non_empty = [&](std::string_view key, std::string& target) -> Result<void> {
    const YAML::Node value = node[std::string(key)];
    auto v = r.scalar(value, key);
    if (!v) return std::unexpected(v.error());
    if (text::trim(*v).empty()) return r.error(value, fmt::format("attestation '{}' must not be empty", key));
    target = std::string(text::trim(*v));
    return {};
  };
  for (auto [key, target] : {std::pair{"clause", &a.clause}, std::pair{"evidence", &a.evidence},
                             std::pair{"owner", &a.owner}}) {
    if (auto ok = non_empty(key, *target); !ok) return std::unexpected(ok.error());
  }
  a.clause_line = line_of(node["clause"]);
  a.evidence_line = line_of(node["evidence"]);
  if (!a.evidence_is_url() && !valid_evidence_path(a.evidence))
    return r.error(node["evidence"], fmt::format("attestation 'evidence' must be a path inside the repository or an "
                                                 "http(s) URL, got '{}'",
                                                 a.evidence));
  if (a.evidence_is_url() && a.evidence.find("://") + 3 >= a.evidence.size())
    return r.error(node["evidence"], fmt::format("attestation 'evidence' URL has no host: '{}'", a.evidence));
  auto date = r.date(node["date"], "date");
  if (!date) return std::unexpected(date.error());
  a.date = *date;
  auto expires = r.date(node["expires"], "expires");
  if (!expires) return std::unexpected(expires.error());
  a.expires = *expires;
  if (!(a.date < a.expires))
    return r.error(node["expires"], fmt::format("attestation 'expires' ({}) must be after its 'date' ({})",
                                                a.expires.to_string(), a.date.to_string()));
  if (const auto n = node["note"]) {
    auto note = r.scalar(n, "note");
    if (!note) return std::unexpected(note.error());
    a.note = *note;
  }
  return a;
}

Result<Config> read_config(const Reader& r, const YAML::Node& root) {
  Config config;
  config.source = r.path();
  if (!root || root.IsNull()) return config;  // an empty file means defaults
  if (!root.IsMap()) return r.error(root, "the configuration must be a mapping of keys to values");
  if (auto ok = r.only_keys(root,
                            {"constitution", "exclude", "select", "ignore", "fail_on", "max_file_size",
                             "sprint_days", "docker", "git", "secrets", "production", "waivers", "attestations"},
                            "the configuration");
      !ok)
    return std::unexpected(ok.error());

  if (const auto n = root["constitution"]) {
    auto v = r.scalar(n, "constitution");
    if (!v) return std::unexpected(v.error());
    config.constitution = *v;
  }
  for (auto [key, target] : {std::pair{"exclude", &config.exclude}, std::pair{"select", &config.select},
                             std::pair{"ignore", &config.ignore}}) {
    if (const auto n = root[key]) {
      auto v = r.string_list(n, key);
      if (!v) return std::unexpected(v.error());
      *target = std::move(*v);
    }
  }
  if (const auto n = root["fail_on"]) {
    auto v = r.scalar(n, "fail_on");
    if (!v) return std::unexpected(v.error());
    auto severity = parse_severity(*v);
    if (!severity) return r.error(n, fmt::format("'fail_on' must be critical, high, medium or low, got '{}'", *v));
    config.fail_on = severity;
  }
  if (const auto n = root["max_file_size"]) {
    auto v = r.scalar(n, "max_file_size");
    if (!v) return std::unexpected(v.error());
    auto bytes = parse_byte_size(*v);
    if (!bytes || *bytes == 0) return r.error(n, fmt::format("'max_file_size' must be a size such as 10MB, got '{}'", *v));
    config.max_file_size = *bytes;
  }
  if (const auto n = root["sprint_days"]) {
    auto v = r.positive_int(n, "sprint_days");
    if (!v) return std::unexpected(v.error());
    config.sprint_days = *v;
  }
  if (const auto docker = root["docker"]) {
    if (!docker.IsMap()) return r.error(docker, "'docker' must be a mapping");
    if (auto ok = r.only_keys(docker, {"approved_registries", "official_registries"}, "'docker'"); !ok)
      return std::unexpected(ok.error());
    if (const auto n = docker["approved_registries"]) {
      auto v = r.string_list(n, "approved_registries");
      if (!v) return std::unexpected(v.error());
      config.docker.approved_registries = std::move(*v);
    }
    if (const auto n = docker["official_registries"]) {
      auto v = r.string_list(n, "official_registries");
      if (!v) return std::unexpected(v.error());
      config.docker.official_registries = std::move(*v);
    }
  }
  if (const auto git = root["git"]) {
    if (!git.IsMap()) return r.error(git, "'git' must be a mapping");
    if (auto ok = r.only_keys(git, {"commit_types", "trunk", "extra_branch_prefixes"}, "'git'"); !ok)
      return std::unexpected(ok.error());
    for (auto [key, target] : {std::pair{"commit_types", &config.git.commit_types}, std::pair{"trunk", &config.git.trunk},
                               std::pair{"extra_branch_prefixes", &config.git.extra_branch_prefixes}}) {
      if (const auto n = git[key]) {
        auto v = r.string_list(n, key);
        if (!v) return std::unexpected(v.error());
        *target = std::move(*v);
      }
    }
  }
  if (const auto production = root["production"]) {
    if (!production.IsMap()) return r.error(production, "'production' must be a mapping");
    if (auto ok = r.only_keys(production, {"paths", "namespaces"}, "'production'"); !ok)
      return std::unexpected(ok.error());
    for (auto [key, target] : {std::pair{"paths", &config.production.paths},
                               std::pair{"namespaces", &config.production.namespaces}}) {
      if (const auto n = production[key]) {
        auto v = r.string_list(n, key);
        if (!v) return std::unexpected(v.error());
        *target = std::move(*v);
      }
    }
  }
  if (const auto secrets = root["secrets"]) {
    if (!secrets.IsMap()) return r.error(secrets, "'secrets' must be a mapping");
    if (auto ok = r.only_keys(secrets, {"allowlist"}, "'secrets'"); !ok) return std::unexpected(ok.error());
    if (const auto list = secrets["allowlist"]) {
      if (!list.IsSequence()) return r.error(list, "'allowlist' must be a list");
      for (const auto& item : list) {
        if (!item.IsMap()) return r.error(item, "each allowlist entry is a mapping of rule, path, fingerprint, reason");
        if (auto ok = r.only_keys(item, {"rule", "path", "fingerprint", "reason"}, "an allowlist entry"); !ok)
          return std::unexpected(ok.error());
        SecretAllowance allowance;
        allowance.line = line_of(item);
        for (auto [key, target] : {std::pair{"rule", &allowance.rule}, std::pair{"path", &allowance.path},
                                   std::pair{"fingerprint", &allowance.fingerprint}, std::pair{"reason", &allowance.reason}}) {
          if (const auto n = item[key]) {
            auto v = r.scalar(n, key);
            if (!v) return std::unexpected(v.error());
            *target = *v;
          }
        }
        if (text::trim(allowance.reason).empty())
          return r.error(item, "an allowlist entry needs a reason");
        if (allowance.rule.empty() && allowance.path.empty() && allowance.fingerprint.empty())
          return r.error(item, "an allowlist entry needs a rule, a path or a fingerprint");
        config.secret_allowlist.push_back(std::move(allowance));
      }
    }
  }
  if (const auto waivers = root["waivers"]) {
    if (!waivers.IsSequence()) return r.error(waivers, "'waivers' must be a list");
    for (const auto& node : waivers) {
      auto w = read_waiver(r, node);
      if (!w) return std::unexpected(w.error());
      config.waivers.push_back(std::move(*w));
    }
  }
  if (const auto attestations = root["attestations"]) {
    if (!attestations.IsSequence()) return r.error(attestations, "'attestations' must be a list");
    for (const auto& node : attestations) {
      auto a = read_attestation(r, node);
      if (!a) return std::unexpected(a.error());
      for (const auto& earlier : config.attestations)
        if (earlier.clause == a->clause)
          return r.error(node, fmt::format("clause '{}' is already attested at line {}", a->clause, earlier.line));
      config.attestations.push_back(std::move(*a));
    }
  }
  return config;
}

}  // namespace

std::optional<std::uintmax_t> parse_byte_size(std::string_view input) {
  const std::string_view s = text::trim(input);
  std::size_t i = 0;
  std::uintmax_t number = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
    if (number > (UINTMAX_MAX / 10) - 10) return std::nullopt;
    number = number * 10 + static_cast<std::uintmax_t>(s[i] - '0');
    ++i;
  }
  if (i == 0) return std::nullopt;
  const std::string unit = text::to_lower(text::trim(s.substr(i)));
  static const std::pair<std::string_view, std::uintmax_t> kUnits[] = {
      {"", 1}, {"b", 1}, {"k", 1024}, {"kb", 1024}, {"kib", 1024}, {"m", 1024 * 1024}, {"mb", 1024 * 1024},
      {"mib", 1024 * 1024}, {"g", 1024ULL * 1024 * 1024}, {"gb", 1024ULL * 1024 * 1024}, {"gib", 1024ULL * 1024 * 1024}};
  for (const auto& [name, factor] : kUnits) {
    if (unit == name) {
      if (number > UINTMAX_MAX / factor) return std::nullopt;
      return number * factor;
    }
  }
  return std::nullopt;
}

Result<Config> parse_config(std::string_view yaml, std::string path) {
  const Reader reader(path);
  try {
    const YAML::Node root = YAML::Load(std::string(yaml));
    return read_config(reader, root);
  } catch (const YAML::Exception& e) {
    // yaml-cpp reports through exceptions; this is the boundary where they become values.
    return fail(e.msg, path, e.mark.line >= 0 ? e.mark.line + 1 : 0, e.mark.column >= 0 ? e.mark.column + 1 : 0);
  }
}

Result<Config> load_config(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return fail("cannot read the configuration file", file.string());
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string content = buffer.str();
  if (text::looks_binary(content)) return fail("the configuration file is binary, not YAML", file.string(), 1);
  if (auto bad = text::first_invalid_utf8(content)) {
    const auto line = 1 + std::count(content.begin(), content.begin() + static_cast<long>(*bad), '\n');
    return fail("invalid UTF-8", file.string(), static_cast<int>(line));
  }
  return parse_config(text::strip_bom(content), file.string());
}

}  // namespace constable::engine
