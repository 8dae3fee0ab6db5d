#include "helm/template/semver.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <optional>
#include <vector>

#include <fmt/format.h>

namespace constable::helm::tmpl {

namespace {

std::string trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
  return std::string(s.substr(b, e - b));
}

std::vector<std::string> split(std::string_view s, std::string_view sep) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (true) {
    const std::size_t at = s.find(sep, pos);
    if (at == std::string_view::npos) {
      out.emplace_back(s.substr(pos));
      return out;
    }
    out.emplace_back(s.substr(pos, at - pos));
    pos = at + sep.size();
  }
}

bool numeric(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Digits as a version component; nullopt past 64 bits (the version is then
// invalid, as Masterminds/semver finds it), never an exception.
std::optional<std::uint64_t> component(std::string_view digits) {
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc{} || end != digits.data() + digits.size()) return std::nullopt;
  return value;
}

// Numeric prerelease identifiers of any length: fewer digits is smaller
// (leading zeros aside), then digit by digit.
int compare_numeric(std::string_view a, std::string_view b) {
  const auto significant = [](std::string_view s) {
    const auto first = s.find_first_not_of('0');
    return first == std::string_view::npos ? std::string_view() : s.substr(first);
  };
  a = significant(a);
  b = significant(b);
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  const int order = a.compare(b);
  return order < 0 ? -1 : order > 0 ? 1 : 0;
}

int compare_prerelease(std::string_view a, std::string_view b) {
  if (a == b) return 0;
  if (a.empty()) return 1;
  if (b.empty()) return -1;
  const auto pa = split(a, "."), pb = split(b, ".");
  for (std::size_t i = 0; i < std::max(pa.size(), pb.size()); ++i) {
    if (i >= pa.size()) return -1;
    if (i >= pb.size()) return 1;
    const bool na = numeric(pa[i]), nb = numeric(pb[i]);
    if (na && nb) {
      if (const int order = compare_numeric(pa[i], pb[i]); order != 0) return order;
    } else if (na != nb) {
      return na ? -1 : 1;
    } else if (pa[i] != pb[i]) {
      return pa[i] < pb[i] ? -1 : 1;
    }
  }
  return 0;
}

struct Term {
  std::string op;
  SemVersion version;
  bool wild_major = false, wild_minor = false, wild_patch = false;
  bool has_minor = true, has_patch = true;
};

std::optional<Term> parse_term(std::string_view text, std::string* error) {
  static const RE2 re(R"(\s*(=|!=|>=|=>|<=|=<|>|<|~>|~|\^)?\s*v?([0-9]+|[xX*])(?:\.([0-9]+|[xX*]))?(?:\.([0-9]+|[xX*]))?(?:-([0-9A-Za-z\-]+(?:\.[0-9A-Za-z\-]+)*))?(?:\+([0-9A-Za-z\-]+(?:\.[0-9A-Za-z\-]+)*))?\s*)");
  std::string op, major, minor, patch, pre, meta;
  if (!RE2::FullMatch(re2::StringPiece(text.data(), text.size()), re, &op, &major, &minor, &patch, &pre, &meta)) {
    if (error) *error = fmt::format("improper constraint: {}", trim(text));
    return std::nullopt;
  }
  Term t;
  t.op = op == "=>" ? ">=" : op == "=<" ? "<=" : op == "~>" ? "~" : op;
  auto wild = [](const std::string& s) { return s == "x" || s == "X" || s == "*"; };
  t.wild_major = wild(major);
  t.has_minor = !minor.empty();
  t.has_patch = !patch.empty();
  t.wild_minor = t.wild_major || !t.has_minor || wild(minor);
  t.wild_patch = t.wild_minor || !t.has_patch || wild(patch);
  const auto set = [&](const std::string& digits, std::uint64_t& target) {
    const auto value = component(digits);
    if (value) target = *value;
    return value.has_value();
  };
  if ((!t.wild_major && !set(major, t.version.major)) ||
      (t.has_minor && !wild(minor) && !set(minor, t.version.minor)) ||
      (t.has_patch && !wild(patch) && !set(patch, t.version.patch))) {
    if (error) *error = fmt::format("improper constraint: {}", trim(text));
    return std::nullopt;
  }
  t.version.prerelease = pre;
  t.version.metadata = meta;
  return t;
}

bool check_term(const Term& t, const SemVersion& v) {
  // Prereleases only satisfy constraints that mention one.
  if (!v.prerelease.empty() && t.version.prerelease.empty()) return false;
  const int c = compare_semver(v, t.version);
  const bool dirty = t.wild_minor || t.wild_patch;
  auto upper_bound = [&](bool by_minor) {
    SemVersion u = t.version;
    u.prerelease.clear();
    if (by_minor) {
      u.major += 1;
      u.minor = 0;
      u.patch = 0;
    } else {
      u.minor += 1;
      u.patch = 0;
    }
    return u;
  };
  if (t.wild_major) return t.op.empty() || t.op == "=" || t.op == ">=" || t.op == "<=" || t.op == "~" || t.op == "^";
  if (t.op.empty() || t.op == "=") {
    if (!dirty) return c == 0;
    return c >= 0 && compare_semver(v, upper_bound(t.wild_minor)) < 0;
  }
  if (t.op == "!=") {
    if (!dirty) return c != 0;
    return c < 0 || compare_semver(v, upper_bound(t.wild_minor)) >= 0;
  }
  if (t.op == ">") {
    if (!dirty) return c > 0;
    return compare_semver(v, upper_bound(t.wild_minor)) >= 0;
  }
  if (t.op == ">=") return c >= 0;
  if (t.op == "<") return c < 0;
  if (t.op == "<=") {
    if (!dirty) return c <= 0;
    return compare_semver(v, upper_bound(t.wild_minor)) < 0;
  }
  if (t.op == "~") {
    // ~1.2.3 := >=1.2.3 <1.3.0; ~1 := >=1.0.0 <2.0.0
    return c >= 0 && compare_semver(v, upper_bound(!t.has_minor)) < 0;
  }
  if (t.op == "^") {
    if (c < 0) return false;
    SemVersion u = t.version;
    u.prerelease.clear();
    if (t.version.major > 0 || !t.has_minor) {
      u = upper_bound(true);
    } else if (t.version.minor > 0 || !t.has_patch) {
      u.minor += 1;
      u.patch = 0;
    } else {
      u.patch += 1;
    }
    return compare_semver(v, u) < 0;
  }
  return false;
}

}  // namespace

std::string SemVersion::to_string() const {
  std::string s = fmt::format("{}.{}.{}", major, minor, patch);
  if (!prerelease.empty()) s += "-" + prerelease;
  if (!metadata.empty()) s += "+" + metadata;
  return s;
}

std::optional<SemVersion> parse_semver(std::string_view text) {
  static const RE2 re(R"(v?([0-9]+)(?:\.([0-9]+))?(?:\.([0-9]+))?(?:-([0-9A-Za-z\-]+(?:\.[0-9A-Za-z\-]+)*))?(?:\+([0-9A-Za-z\-]+(?:\.[0-9A-Za-z\-]+)*))?)");
  std::string major, minor, patch, pre, meta;
  if (!RE2::FullMatch(re2::StringPiece(text.data(), text.size()), re, &major, &minor, &patch, &pre, &meta))
    return std::nullopt;
  SemVersion v;
  const auto parsed_major = component(major);
  const auto parsed_minor = minor.empty() ? std::optional<std::uint64_t>(0) : component(minor);
  const auto parsed_patch = patch.empty() ? std::optional<std::uint64_t>(0) : component(patch);
  if (!parsed_major || !parsed_minor || !parsed_patch) return std::nullopt;
  v.major = *parsed_major;
  v.minor = *parsed_minor;
  v.patch = *parsed_patch;
  v.prerelease = pre;
  v.metadata = meta;
  v.original = std::string(text);
  return v;
}

int compare_semver(const SemVersion& a, const SemVersion& b) {
  if (a.major != b.major) return a.major < b.major ? -1 : 1;
  if (a.minor != b.minor) return a.minor < b.minor ? -1 : 1;
  if (a.patch != b.patch) return a.patch < b.patch ? -1 : 1;
  return compare_prerelease(a.prerelease, b.prerelease);
}

std::optional<bool> semver_satisfies(std::string_view constraint, const SemVersion& v, std::string* error) {
  bool any = false;
  for (const auto& alternative : split(constraint, "||")) {
    std::string alt = trim(alternative);
    // Hyphen ranges: "1.2 - 1.4.5" => ">= 1.2, <= 1.4.5".
    static const RE2 hyphen(R"(\s*(\S+)\s+-\s+(\S+)\s*)");
    std::string lo, hi;
    if (RE2::FullMatch(alt, hyphen, &lo, &hi)) alt = ">=" + lo + "," + "<=" + hi;
    // AND: commas, or spaces between terms (an operator may be followed by a space).
    static const RE2 op_space(R"((=|!=|>=|=>|<=|=<|>|<|~>|~|\^)\s+)");
    RE2::GlobalReplace(&alt, op_space, "\\1");
    std::vector<std::string> terms;
    for (auto& part : split(alt, ",")) {
      std::string p = trim(part);
      for (auto& word : split(p, " "))
        if (!trim(word).empty()) terms.push_back(trim(word));
    }
    if (terms.empty()) {
      if (error) *error = fmt::format("improper constraint: {}", constraint);
      return std::nullopt;
    }
    bool all = true;
    for (const auto& term_text : terms) {
      auto term = parse_term(term_text, error);
      if (!term) return std::nullopt;
      if (!check_term(*term, v)) all = false;
    }
    if (all) any = true;
  }
  return any;
}

}  // namespace constable::helm::tmpl
