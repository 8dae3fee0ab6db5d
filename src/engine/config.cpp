#include "engine/config.hpp"

#include <algorithm>
#include <initializer_list>
#include <tuple>

#include <fmt/format.h>

#include "core/digest.hpp"
#include "core/files.hpp"
#include "core/suggest.hpp"
#include "core/text.hpp"
#include "formats/yaml/yaml.hpp"

namespace constable::engine {

namespace {

// The configuration is a few levels deep; anything much deeper is a mistake
// (or an attack) and is reported at the node that goes too deep.
constexpr int kMaxConfigDepth = 32;

// How a value from the file is quoted in a message: whole when it is short
// and cannot be a credential, else redacted (a prefix and the length). The
// file may hold secrets by mistake, and messages end up in CI logs.
std::string excerpt(std::string_view value) {
  constexpr std::size_t kMaxShown = 48;
  constexpr std::size_t kCredentialRun = 16;  // letters and digits mixed, unbroken: a key or token
  bool plain = value.size() <= kMaxShown;
  std::size_t run = 0;
  bool digit = false;
  bool letter = false;
  for (char c : value) {
    if (c < 0x20 || c > 0x7e) plain = false;
    const bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '+' ||
                       c == '=' || c == '$';
    if (!alnum) {
      run = 0;
      digit = letter = false;
      continue;
    }
    ++run;
    digit = digit || (c >= '0' && c <= '9');
    letter = letter || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (run >= kCredentialRun && digit && letter) plain = false;
  }
  return plain ? std::string(value) : text::redact(value);
}

// Reads the configuration, recording every problem (with its position) and
// going on, so that one run reports them all.
class Reader {
 public:
  explicit Reader(std::string path) : path_(std::move(path)) {}

  void error(const yaml::Node* node, std::string message) {
    errors_.push_back(Error{std::move(message), path_, node != nullptr ? node->start.line : 0,
                            node != nullptr ? node->start.column : 0});
  }
  void error_at(yaml::Mark mark, std::string message) {
    errors_.push_back(Error{std::move(message), path_, mark.line, mark.column});
  }

  std::optional<std::string> scalar(const yaml::Node* node, std::string_view key) {
    if (!node->is_scalar() || node->is_null()) {
      error(node, fmt::format("'{}' must be a string", key));
      return std::nullopt;
    }
    return std::string(node->value);
  }

  std::optional<std::vector<std::string>> string_list(const yaml::Node* node, std::string_view key) {
    if (node->is_scalar() && !node->is_null())
      return std::vector<std::string>{std::string(node->value)};  // a one-item list
    if (!node->is_sequence()) {
      error(node, fmt::format("'{}' must be a list of strings", key));
      return std::nullopt;
    }
    std::vector<std::string> out;
    bool ok = true;
    for (const yaml::Node* item : node->items) {
      if (!item->is_scalar() || item->is_null()) {
        error(item, fmt::format("'{}' entries must be strings", key));
        ok = false;
        continue;
      }
      out.emplace_back(item->value);
    }
    if (!ok) return std::nullopt;
    return out;
  }

  std::optional<int> positive_int(const yaml::Node* node, std::string_view key) {
    auto value = scalar(node, key);
    if (!value) return std::nullopt;
    int n = 0;
    bool ok = !value->empty();
    for (char c : *value) {
      if (c < '0' || c > '9' || n > 100000) {
        ok = false;
        break;
      }
      n = n * 10 + (c - '0');
    }
    if (!ok || n <= 0) {
      error(node, fmt::format("'{}' must be a positive integer, got '{}'", key, excerpt(*value)));
      return std::nullopt;
    }
    return n;
  }

  std::optional<Date> date(const yaml::Node* node, std::string_view key) {
    auto value = scalar(node, key);
    if (!value) return std::nullopt;
    auto parsed = Date::parse(*value);
    if (!parsed) error(node, fmt::format("'{}' must be a date (YYYY-MM-DD), got '{}'", key, excerpt(*value)));
    return parsed;
  }

  // Every key of `map` must be one of `known`; true when they all are.
  bool only_keys(const yaml::Node* map, std::initializer_list<std::string_view> known, std::string_view where) {
    return only_keys(map, std::vector<std::string_view>(known), where);
  }
  bool only_keys(const yaml::Node* map, const std::vector<std::string_view>& known, std::string_view where) {
    bool ok = true;
    for (const yaml::Entry& entry : map->entries) {
      const bool scalar_key = entry.key->is_scalar();
      const std::string_view key = scalar_key ? std::string_view(entry.key->value) : std::string_view("?");
      if (scalar_key && std::find(known.begin(), known.end(), key) != known.end()) continue;
      std::string list;
      for (auto k : known) list += fmt::format("{}{}", list.empty() ? "" : ", ", k);
      const std::string suggestion = scalar_key ? text::did_you_mean(key, known) : std::string();
      error(entry.key, fmt::format("unknown key '{}' in {}{} (expected one of: {})",
                                   scalar_key ? excerpt(key) : std::string("a non-string key"), where,
                                   suggestion, list));
      ok = false;
    }
    return ok;
  }

  const std::string& path() const { return path_; }
  std::vector<Error> take_errors() && { return std::move(errors_); }

 private:
  std::string path_;
  std::vector<Error> errors_;
};

// Assigns the value read by `read` (a Reader method) to `target` when it is valid.
template <class T>
void assign(std::optional<T> value, T& target) {
  if (value) target = std::move(*value);
}

void read_waiver(Reader& r, const yaml::Node* node, Config& config) {
  if (!node->is_mapping()) {
    r.error(node, "each waiver must be a mapping with check, path, reason, owner, expires");
    return;
  }
  bool ok = r.only_keys(node, {"check", "path", "reason", "owner", "expires"}, "waiver");
  for (std::string_view required : {"check", "reason", "owner", "expires"}) {
    if (node->get(required) == nullptr) {
      r.error(node, fmt::format("waiver is missing '{}' (check, reason, owner and expires are required)", required));
      ok = false;
    }
  }
  Waiver w;
  w.line = node->start.line;
  w.path = "**";
  if (const auto* n = node->get("check")) {
    auto check = r.scalar(n, "check");
    ok = ok && check.has_value();
    assign(std::move(check), w.check);
  }
  if (const auto* n = node->get("path")) {
    auto p = r.scalar(n, "path");
    ok = ok && p.has_value();
    assign(std::move(p), w.path);
  }
  for (auto [key, target] : {std::pair{"reason", &w.reason}, std::pair{"owner", &w.owner}}) {
    const auto* n = node->get(key);
    if (n == nullptr) continue;
    auto v = r.scalar(n, key);
    if (!v) {
      ok = false;
    } else if (text::trim(*v).empty()) {
      r.error(n, fmt::format("waiver '{}' must not be empty", key));
      ok = false;
    } else {
      *target = std::move(*v);
    }
  }
  if (const auto* n = node->get("expires")) {
    auto expires = r.date(n, "expires");
    ok = ok && expires.has_value();
    if (expires) w.expires = *expires;
  }
  if (ok) config.waivers.push_back(std::move(w));
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

void read_attestation(Reader& r, const yaml::Node* node, Config& config) {
  if (!node->is_mapping()) {
    r.error(node, "each attestation must be a mapping with clause, evidence, owner, date, expires");
    return;
  }
  bool ok = r.only_keys(node, {"clause", "evidence", "owner", "date", "expires", "note"}, "attestation");
  for (std::string_view required : {"clause", "evidence", "owner", "date", "expires"}) {
    if (node->get(required) == nullptr) {
      r.error(node, fmt::format("attestation is missing '{}' (clause, evidence, owner, date and expires are required)",
                                required));
      ok = false;
    }
  }
  Attestation a;
  a.line = node->start.line;
  for (auto [key, target] :
       {std::pair{"clause", &a.clause}, std::pair{"evidence", &a.evidence}, std::pair{"owner", &a.owner}}) {
    const auto* value = node->get(key);
    if (value == nullptr) continue;
    auto v = r.scalar(value, key);
    if (!v) {
      ok = false;
    } else if (text::trim(*v).empty()) {
      r.error(value, fmt::format("attestation '{}' must not be empty", key));
      ok = false;
    } else {
      *target = std::string(text::trim(*v));
    }
  }
  if (const auto* n = node->get("clause")) a.clause_line = n->start.line;
  if (const auto* evidence = node->get("evidence"); evidence != nullptr && !a.evidence.empty()) {
    a.evidence_line = evidence->start.line;
    if (!a.evidence_is_url() && !valid_evidence_path(a.evidence)) {
      r.error(evidence, fmt::format("attestation 'evidence' must be a path inside the repository or an http(s) URL, "
                                    "got '{}'",
                                    excerpt(a.evidence)));
      ok = false;
    } else if (a.evidence_is_url() && a.evidence.find("://") + 3 >= a.evidence.size()) {
      r.error(evidence, fmt::format("attestation 'evidence' URL has no host: '{}'", excerpt(a.evidence)));
      ok = false;
    }
  }
  std::optional<Date> date;
  std::optional<Date> expires;
  if (const auto* n = node->get("date")) date = r.date(n, "date");
  if (const auto* n = node->get("expires")) expires = r.date(n, "expires");
  ok = ok && date && expires;
  if (date && expires && !(*date < *expires)) {
    r.error(node->get("expires"), fmt::format("attestation 'expires' ({}) must be after its 'date' ({})",
                                              expires->to_string(), date->to_string()));
    ok = false;
  }
  if (const auto* n = node->get("note")) {
    auto note = r.scalar(n, "note");
    ok = ok && note.has_value();
    assign(std::move(note), a.note);
  }
  if (!ok) return;
  a.date = *date;
  a.expires = *expires;
  for (const auto& earlier : config.attestations) {
    if (earlier.clause == a.clause) {
      r.error(node, fmt::format("clause '{}' is already attested at line {}", a.clause, earlier.line));
      return;
    }
  }
  config.attestations.push_back(std::move(a));
}

void read_string_lists(Reader& r, const yaml::Node* map,
                       std::initializer_list<std::pair<const char*, std::vector<std::string>*>> fields) {
  for (auto [key, target] : fields)
    if (const auto* n = map->get(key)) assign(r.string_list(n, key), *target);
}

// A mapping under `key` of the root, or null (reported) when it is something else.
const yaml::Node* section(Reader& r, const yaml::Node* root, const char* key) {
  const yaml::Node* node = root->get(key);
  if (node == nullptr) return nullptr;
  if (!node->is_mapping()) {
    r.error(node, fmt::format("'{}' must be a mapping", key));
    return nullptr;
  }
  return node;
}

void read_allowlist(Reader& r, const yaml::Node* list, Config& config) {
  if (!list->is_sequence()) {
    r.error(list, "'allowlist' must be a list");
    return;
  }
  for (const yaml::Node* item : list->items) {
    if (!item->is_mapping()) {
      r.error(item, "each allowlist entry is a mapping of rule, path, fingerprint, reason");
      continue;
    }
    bool ok = r.only_keys(item, {"rule", "path", "fingerprint", "reason"}, "an allowlist entry");
    SecretAllowance allowance;
    allowance.line = item->start.line;
    for (auto [key, target] : {std::pair{"rule", &allowance.rule}, std::pair{"path", &allowance.path},
                               std::pair{"fingerprint", &allowance.fingerprint},
                               std::pair{"reason", &allowance.reason}}) {
      if (const auto* n = item->get(key)) {
        auto v = r.scalar(n, key);
        ok = ok && v.has_value();
        assign(std::move(v), *target);
      }
    }
    const yaml::Node* reason = item->get("reason");
    if (reason == nullptr || (reason->is_scalar() && !reason->is_null() && text::trim(reason->value).empty())) {
      r.error(item, "an allowlist entry needs a reason");
      ok = false;
    }
    if (allowance.rule.empty() && allowance.path.empty() && allowance.fingerprint.empty()) {
      r.error(item, "an allowlist entry needs a rule, a path or a fingerprint");
      ok = false;
    }
    if (ok) config.secret_allowlist.push_back(std::move(allowance));
  }
}

void read_admission(Reader& r, const yaml::Node* admission, AdmissionOptions& options) {
  r.only_keys(admission, {"enforcement", "exempt_namespaces", "exempt_users", "exempt_groups"}, "'admission'");
  read_string_lists(r, admission,
                    {{"exempt_namespaces", &options.exempt_namespaces},
                     {"exempt_users", &options.exempt_users},
                     {"exempt_groups", &options.exempt_groups}});
  const yaml::Node* enforcement = admission->get("enforcement");
  if (enforcement == nullptr) return;
  if (!enforcement->is_mapping()) {
    r.error(enforcement, "'enforcement' must map severities to deny, warn or audit");
    return;
  }
  r.only_keys(enforcement, {"critical", "high", "medium", "low"}, "'admission.enforcement'");
  for (const yaml::Entry& entry : enforcement->entries) {
    const auto severity = entry.key->is_scalar() ? parse_severity(entry.key->value) : std::nullopt;
    if (!severity) continue;  // reported by only_keys
    auto value = r.scalar(entry.value, "enforcement");
    if (!value) continue;
    const std::string action = text::to_lower(text::trim(*value));
    if (action == "deny") options.enforcement[static_cast<std::size_t>(*severity)] = AdmissionAction::deny;
    else if (action == "warn") options.enforcement[static_cast<std::size_t>(*severity)] = AdmissionAction::warn;
    else if (action == "audit") options.enforcement[static_cast<std::size_t>(*severity)] = AdmissionAction::audit;
    else r.error(entry.value, fmt::format("'enforcement' values must be deny, warn or audit, got '{}'", excerpt(*value)));
  }
}

void read_config(Reader& r, const yaml::Node* root, Config& config) {
  if (root == nullptr || root->is_null()) return;  // an empty file means defaults
  if (!root->is_mapping()) {
    r.error(root, "the configuration must be a mapping of keys to values");
    return;
  }
  r.only_keys(root, std::vector<std::string_view>(std::begin(kConfigKeys), std::end(kConfigKeys)),
              "the configuration");

  if (const auto* n = root->get("constitution")) {
    if (auto v = r.scalar(n, "constitution")) config.constitution = std::move(*v);
  }
  if (const auto* n = root->get("previous_constitution")) {
    if (auto v = r.scalar(n, "previous_constitution")) config.previous_constitution = std::move(*v);
  }
  read_string_lists(r, root,
                    {{"exclude", &config.exclude},
                     {"include", &config.include},
                     {"select", &config.select},
                     {"ignore", &config.ignore},
                     {"policies", &config.policies}});
  if (const auto* n = root->get("fail_on")) {
    if (auto v = r.scalar(n, "fail_on")) {
      // As on the command line: "none" reports everything and fails nothing.
      config.fail_on_none = text::to_lower(text::trim(*v)) == "none";
      config.fail_on = parse_severity(*v);
      if (!config.fail_on && !config.fail_on_none)
        r.error(n, fmt::format("'fail_on' must be critical, high, medium, low or none, got '{}'", excerpt(*v)));
    }
  }
  if (const auto* n = root->get("max_file_size")) {
    if (auto v = r.scalar(n, "max_file_size")) {
      const auto bytes = parse_byte_size(*v);
      if (!bytes || *bytes == 0)
        r.error(n, fmt::format("'max_file_size' must be a size such as 10MB, got '{}'", excerpt(*v)));
      else
        config.max_file_size = *bytes;
    }
  }
  if (const auto* n = root->get("sprint_days")) assign(r.positive_int(n, "sprint_days"), config.sprint_days);
  if (const auto* docker = section(r, root, "docker")) {
    r.only_keys(docker, {"approved_registries", "official_registries"}, "'docker'");
    read_string_lists(r, docker,
                      {{"approved_registries", &config.docker.approved_registries},
                       {"official_registries", &config.docker.official_registries}});
  }
  if (const auto* git = section(r, root, "git")) {
    r.only_keys(git, {"commit_types", "trunk", "extra_branch_prefixes"}, "'git'");
    read_string_lists(r, git,
                      {{"commit_types", &config.git.commit_types},
                       {"trunk", &config.git.trunk},
                       {"extra_branch_prefixes", &config.git.extra_branch_prefixes}});
  }
  if (const auto* production = section(r, root, "production")) {
    r.only_keys(production, {"paths", "namespaces"}, "'production'");
    read_string_lists(r, production,
                      {{"paths", &config.production.paths}, {"namespaces", &config.production.namespaces}});
  }
  if (const auto* admission = section(r, root, "admission")) read_admission(r, admission, config.admission);
  if (const auto* secrets = section(r, root, "secrets")) {
    r.only_keys(secrets, {"allowlist"}, "'secrets'");
    if (const auto* list = secrets->get("allowlist")) read_allowlist(r, list, config);
  }
  if (const auto* waivers = root->get("waivers")) {
    if (!waivers->is_sequence())
      r.error(waivers, "'waivers' must be a list");
    else
      for (const yaml::Node* node : waivers->items) read_waiver(r, node, config);
  }
  if (const auto* attestations = root->get("attestations")) {
    if (!attestations->is_sequence())
      r.error(attestations, "'attestations' must be a list");
    else
      for (const yaml::Node* node : attestations->items) read_attestation(r, node, config);
  }
}

// Every error as one: the first located as usual, each further one on a line
// of its own ("path:line:column: message"), in file order; past a screenful,
// how many more there are.
Error combine(std::vector<Error> errors) {
  constexpr std::size_t kMaxShownErrors = 50;
  std::stable_sort(errors.begin(), errors.end(), [](const Error& a, const Error& b) {
    return std::tie(a.line, a.column) < std::tie(b.line, b.column);
  });
  errors.erase(std::unique(errors.begin(), errors.end(),
                           [](const Error& a, const Error& b) {
                             return a.line == b.line && a.column == b.column && a.message == b.message;
                           }),
               errors.end());
  Error first = std::move(errors.front());
  for (std::size_t i = 1; i < std::min(errors.size(), kMaxShownErrors); ++i) first.message += "\n" + errors[i].to_string();
  if (errors.size() > kMaxShownErrors)
    first.message += fmt::format("\n{}: {} more errors not shown", first.path, errors.size() - kMaxShownErrors);
  return first;
}

}  // namespace

std::string_view to_string(AdmissionAction action) {
  switch (action) {
    case AdmissionAction::deny: return "deny";
    case AdmissionAction::warn: return "warn";
    case AdmissionAction::audit: return "audit";
  }
  return "deny";
}

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
  Reader reader(path);
  Config config;
  config.source = path;
  config.source_digest = digest::sha256_hex(yaml);
  yaml::Limits limits;
  limits.max_depth = kMaxConfigDepth;
  const yaml::Stream stream = yaml::parse(yaml, limits);
  for (const auto& e : stream.errors) reader.error_at(e.mark, e.message);
  if (stream.ok()) {
    if (stream.documents.size() > 1)
      reader.error_at(stream.documents[1].start, "the configuration must be a single YAML document");
    read_config(reader, stream.documents.empty() ? nullptr : stream.documents.front().root, config);
  }
  std::vector<Error> errors = std::move(reader).take_errors();
  if (!errors.empty()) return std::unexpected(combine(std::move(errors)));
  return config;
}

Result<Config> load_config(const std::filesystem::path& file, const std::filesystem::path& confine_to) {
  files::ReadOptions options;
  options.max_size = kMaxConfigSize;
  options.confine_to = confine_to;
  auto read = files::read(file, options);
  if (!read) {
    Error error = std::move(read.error().error);
    error.message = fmt::format("cannot read the configuration: {}", error.message);
    return std::unexpected(std::move(error));
  }
  const std::string& content = *read;
  if (text::looks_binary(content)) return fail("the configuration file is binary, not YAML", file.string(), 1);
  if (auto bad = text::first_invalid_utf8(content)) {
    const auto line = 1 + std::count(content.begin(), content.begin() + static_cast<long>(*bad), '\n');
    return fail("invalid UTF-8", file.string(), static_cast<int>(line));
  }
  return parse_config(text::strip_bom(content), file.string());
}

}  // namespace constable::engine
