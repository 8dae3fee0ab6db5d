#include "checks/common/secret_heuristics.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <array>
#include <memory>
#include <string>
#include <vector>

#include "core/text.hpp"

namespace constable::checks::secrets {

namespace {


bool contains_word(const std::vector<std::string>& words, std::string_view word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

bool contains_pair(const std::vector<std::string>& words, std::string_view first, std::string_view second) {
  for (std::size_t i = 0; i + 1 < words.size(); ++i) {
    if (words[i] == first && words[i + 1] == second) return true;
  }
  return false;
}

}  // namespace

// Upper-case words on '_', '-', '.' and camelCase humps.
std::vector<std::string> name_words(std::string_view name) {
  std::vector<std::string> words;
  std::string current;
  char previous = '\0';
  for (char c : name) {
    const bool separator = c == '_' || c == '-' || c == '.' || c == ' ';
    const bool hump = c >= 'A' && c <= 'Z' && previous >= 'a' && previous <= 'z';
    if ((separator || hump) && !current.empty()) {
      words.push_back(text::to_upper(current));
      current.clear();
    }
    if (!separator) current.push_back(c);
    previous = c;
  }
  if (!current.empty()) words.push_back(text::to_upper(current));
  return words;
}

bool is_secret_name(std::string_view name) {
  const std::vector<std::string> words = name_words(name);
  if (words.empty()) return false;
  // The last word says what the value is: a path to, the id or the lifetime
  // of a secret is not the secret.
  static constexpr std::array<std::string_view, 30> kNotSecret = {
      "FILE",   "FILENAME", "PATH",    "DIR",     "ID",      "NAME",     "URL",    "URI",    "ENDPOINT",
      "LENGTH", "TTL",      "EXPIRY",  "EXPIRES", "TIMEOUT", "LOCATION", "HOST",   "PORT",   "SIZE",
      "HEADER", "TYPE",     "ENABLED", "VERSION", "MODE",    "PREFIX",   "FORMAT", "ALGORITHM",
      // how a secret is hashed, kept or referred to: FAB_PASSWORD_HASH_METHOD, secretStore, tokenRef
      "METHOD", "STORE",    "REF",     "POLICY"};
  if (std::find(kNotSecret.begin(), kNotSecret.end(), words.back()) != kNotSecret.end()) return false;
  // The first word makes it a switch about a secret: ALLOW_EMPTY_PASSWORD,
  // ENABLE_TOKEN_AUTH, REQUIRE_CLIENT_SECRET, skipTokenVerification.
  static constexpr std::array<std::string_view, 11> kSwitch = {"ALLOW", "ENABLE", "DISABLE", "REQUIRE", "SKIP",   "USE",
                                                               "IS",    "HAS",    "NO",      "FORCE",   "VERIFY"};
  if (words.size() > 1 && std::find(kSwitch.begin(), kSwitch.end(), words.front()) != kSwitch.end()) return false;
  static constexpr std::array<std::string_view, 16> kSecretWords = {
      "PASSWORD", "PASSWORDS", "PASSWD",      "PASS",      "PASSPHRASE", "SECRET",      "SECRETS",   "TOKEN",
      "TOKENS",   "APIKEY",    "CREDENTIAL",  "CREDENTIALS", "CREDS",    "PRIVATEKEY",  "ACCESSKEY", "SECRETKEY"};
  for (std::string_view word : kSecretWords) {
    if (contains_word(words, word)) return true;
  }
  return contains_pair(words, "API", "KEY") || contains_pair(words, "PRIVATE", "KEY") ||
         contains_pair(words, "ACCESS", "KEY") || contains_pair(words, "SIGNING", "KEY") ||
         contains_pair(words, "ENCRYPTION", "KEY") || contains_pair(words, "AUTH", "TOKEN") ||
         contains_pair(words, "CLIENT", "SECRET");
}

// "${DB_PASSWORD}", "$DB_PASSWORD" as the whole value, or an upper-case
// environment name inside one ("postgres://app:$DB_PASSWORD@db"). A '$'
// inside random text ("v9#Lq2$Tz8!...") is not a reference.
bool is_variable_reference(std::string_view value) {
  if (value.find("${") != std::string_view::npos) return true;
  // Kubernetes' dependent environment variables and shell substitution: `$(SASL_PASSWORD)`.
  static const RE2 kParenthesised(R"(\$\([A-Za-z_][A-Za-z0-9_]*\))");
  if (value.find("$(") != std::string_view::npos && RE2::PartialMatch(value, kParenthesised)) return true;
  auto ident = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  for (std::size_t i = 0; i + 1 < value.size(); ++i) {
    if (value[i] != '$' || !(std::isalpha(static_cast<unsigned char>(value[i + 1])) || value[i + 1] == '_')) continue;
    std::size_t end = i + 1;
    while (end < value.size() && ident(value[end])) ++end;
    const std::string_view name = value.substr(i + 1, end - i - 1);
    if (i == 0 && end == value.size()) return true;
    const bool environment_style = name.size() >= 2 && std::none_of(name.begin(), name.end(), [](char c) {
      return std::islower(static_cast<unsigned char>(c)) != 0;
    });
    if (environment_style) return true;
  }
  return false;
}

bool is_placeholder(std::string_view value) {
  const std::string v = text::to_lower(text::trim(value));
  if (v.empty()) return true;
  if (is_variable_reference(text::trim(value))) return true;  // case matters: $DB_PASSWORD vs $Tz8
  // A name standing in for the value, for a script or a reader to replace:
  // GOOGLE_API_KEY_VAL (microservices-demo), YOUR_TOKEN, API_KEY_HERE.
  static const RE2 kScreamingName(R"([A-Z][A-Z0-9]*(_[A-Z0-9]+)+)");
  if (RE2::FullMatch(text::trim(value), kScreamingName)) return true;
  if (v.front() == '<' && v.back() == '>') return true;
  // A slot in documentation: "[password]", "[YOUR_TOKEN]".
  if (v.size() >= 3 && v.front() == '[' && v.back() == ']') return true;
  // An example cut short: "sk-proj-abc123...", "ghp_Ab12…".
  if (v.ends_with("...") || v.ends_with("\u2026")) return true;
  if (v.size() >= 3 && std::all_of(v.begin(), v.end(), [](char c) { return c == 'x' || c == '*' || c == '.'; })) {
    return true;
  }
  if (v.starts_with("xxx")) return true;
  // One character repeated ("aaaaaaaa", "00000000", "--------").
  if (v.size() >= 2 && std::all_of(v.begin(), v.end(), [&](char c) { return c == v.front(); })) return true;
  // A template or format slot: "{{ .Values.token }}", "{password}", "%s", "%(password)s".
  if (v.front() == '{' && v.back() == '}') return true;
  // A printf / Python format slot: "%s", "Bearer %s", "%(password)s".
  if (v == "%s" || v.ends_with(" %s") || (v.find("%(") != std::string::npos && v.ends_with(")s"))) return true;
  static constexpr std::array<std::string_view, 18> kContains = {
      "changeme", "change_me", "change-me", "changethis", "change_this", "change-this", "example", "placeholder",
      "dummy", "redacted", "your_", "your-", "replace", "fake", "sample", "****", "{{", "<your"};
  for (std::string_view part : kContains) {
    if (v.find(part) != std::string::npos) return true;
  }
  static constexpr std::array<std::string_view, 6> kExact = {"test", "none", "null", "nil", "todo", "tbd"};
  return std::find(kExact.begin(), kExact.end(), v) != kExact.end();
}

std::optional<std::string_view> secret_value_kind(std::string_view value) {
  const std::string_view v = text::trim(value);
  if (v.size() < 8 || is_placeholder(v)) return std::nullopt;
  struct Pattern {
    std::string_view kind;
    const char* regex;
  };
  static constexpr std::array<Pattern, 12> kPatterns = {{
      {"an AWS access key id", R"((?:^|[^A-Z0-9])(?:AKIA|ASIA)[0-9A-Z]{16}(?:$|[^A-Z0-9]))"},
      {"a GitHub token", R"(\b(?:ghp|gho|ghs|ghu|ghr)_[A-Za-z0-9]{20,})"},
      {"a GitHub token", R"(\bgithub_pat_[A-Za-z0-9_]{20,})"},
      {"a GitLab token", R"(\bglpat-[A-Za-z0-9_\-]{20,})"},
      {"a Slack token", R"(\bxox[baprs]-[A-Za-z0-9\-]{10,})"},
      {"a Stripe live key", R"(\b(?:sk|rk)_live_[A-Za-z0-9]{16,})"},
      {"an API secret key", R"((?:^|[^A-Za-z0-9])sk-(?:ant-|proj-)?[A-Za-z0-9_\-]{20,})"},
      {"an npm token", R"(\bnpm_[A-Za-z0-9]{30,})"},
      {"a PyPI token", R"(\bpypi-[A-Za-z0-9_\-]{16,})"},
      {"a private key", R"(-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----)"},
      {"a JSON web token", R"(\beyJ[A-Za-z0-9_\-]{5,}\.[A-Za-z0-9_\-]{5,}\.[A-Za-z0-9_\-]{5,})"},
      {"a URL with an embedded password", R"([A-Za-z][A-Za-z0-9+.\-]*://[^/\s:@]+:([^/\s@]+)@)"},
  }};
  static const std::vector<std::unique_ptr<RE2>> kCompiled = [] {
    std::vector<std::unique_ptr<RE2>> out;
    for (const Pattern& p : kPatterns) out.push_back(std::make_unique<RE2>(p.regex));
    return out;
  }();
  for (std::size_t i = 0; i < kPatterns.size(); ++i) {
    const RE2& re = *kCompiled[i];
    if (re.NumberOfCapturingGroups() == 1) {
      std::string password;
      if (RE2::PartialMatch(v, re, &password) && !is_placeholder(password)) return kPatterns[i].kind;
      continue;
    }
    if (RE2::PartialMatch(v, re)) return kPatterns[i].kind;
  }
  return std::nullopt;
}

}  // namespace constable::checks::secrets
