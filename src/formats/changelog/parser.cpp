#include <re2/re2.h>

#include <charconv>

#include "core/text.hpp"
#include "formats/changelog/changelog.hpp"

namespace constable::changelog {

namespace {

// ATX heading level (1..6) and its text, or 0.
int heading_level(std::string_view line, std::string_view& heading) {
  std::size_t indent = 0;
  while (indent < line.size() && indent < 3 && line[indent] == ' ') ++indent;
  std::size_t level = 0;
  while (indent + level < line.size() && line[indent + level] == '#') ++level;
  if (level == 0 || level > 6) return 0;
  const std::size_t after = indent + level;
  if (after < line.size() && line[after] != ' ' && line[after] != '\t') return 0;
  std::string_view rest = text::trim(line.substr(after));
  // A closing sequence of '#' is not part of the text.
  while (rest.ends_with('#')) rest.remove_suffix(1);
  heading = text::trim(rest);
  return static_cast<int>(level);
}

Release release_of(std::string_view heading, int line) {
  static const RE2 kRelease(
      R"((\[)?(Unreleased|v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)(\])?(?:\s+[-–—]\s+(\d{4}-\d{2}-\d{2}))?(\s+\[YANKED\])?)",
      RE2::Quiet);
  Release release;
  release.heading = std::string(heading);
  release.line = line;
  std::string open, version, close, date, yanked;
  if (!RE2::FullMatch(heading, kRelease, &open, &version, &close, &date, &yanked)) return release;
  if (open.empty() != close.empty()) return release;
  release.bracketed = !open.empty();
  release.unreleased = text::iequals(version, "unreleased");
  release.date = date;
  release.yanked = !yanked.empty();
  if (!release.unreleased) release.version = version.starts_with('v') ? version.substr(1) : version;
  // A release needs its date; Unreleased has none.
  release.well_formed = release.unreleased ? date.empty() : !date.empty();
  return release;
}

struct SemVer {
  long long major = 0, minor = 0, patch = 0;
  std::vector<std::string_view> pre{};
};

std::optional<long long> number(std::string_view s) {
  if (s.empty() || (s.size() > 1 && s[0] == '0')) return std::nullopt;
  long long value = 0;
  const auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (error != std::errc{} || end != s.data() + s.size()) return std::nullopt;
  return value;
}

std::optional<SemVer> parse_semver(std::string_view v) {
  if (v.starts_with('v')) v.remove_prefix(1);
  if (const auto plus = v.find('+'); plus != std::string_view::npos) v = v.substr(0, plus);
  std::string_view core = v;
  SemVer out;
  if (const auto dash = v.find('-'); dash != std::string_view::npos) {
    core = v.substr(0, dash);
    out.pre = text::split(v.substr(dash + 1), '.');
    for (auto id : out.pre)
      if (id.empty()) return std::nullopt;
  }
  const auto parts = text::split(core, '.');
  if (parts.size() != 3) return std::nullopt;
  const auto major = number(parts[0]), minor = number(parts[1]), patch = number(parts[2]);
  if (!major || !minor || !patch) return std::nullopt;
  out.major = *major, out.minor = *minor, out.patch = *patch;
  return out;
}

// What a link reference starts with (`\s{0,3}\[`): the rest of a
// changelog's lines, most of them, are not matched against it.
bool may_be_link_reference(std::string_view line) {
  std::size_t at = 0;
  while (at < line.size() && at < 4 && std::string_view(" \t\n\f\r").find(line[at]) != std::string_view::npos) ++at;
  return at < 4 && at < line.size() && line[at] == '[';
}

}  // namespace

bool is_semver(std::string_view version) { return parse_semver(version).has_value(); }

std::optional<int> compare_semver(std::string_view a, std::string_view b) {
  const auto x = parse_semver(a), y = parse_semver(b);
  if (!x || !y) return std::nullopt;
  auto sign = [](long long d) { return d < 0 ? -1 : (d > 0 ? 1 : 0); };
  if (x->major != y->major) return sign(x->major - y->major);
  if (x->minor != y->minor) return sign(x->minor - y->minor);
  if (x->patch != y->patch) return sign(x->patch - y->patch);
  // A pre-release sorts before its release; identifiers compare numerically or as text.
  if (x->pre.empty() && y->pre.empty()) return 0;
  if (x->pre.empty()) return 1;
  if (y->pre.empty()) return -1;
  for (std::size_t i = 0; i < x->pre.size() && i < y->pre.size(); ++i) {
    const auto p = number(x->pre[i]), q = number(y->pre[i]);
    if (p && q) {
      if (*p != *q) return sign(*p - *q);
    } else if (p || q) {
      return p ? -1 : 1;  // numeric identifiers sort first
    } else if (const int c = x->pre[i].compare(y->pre[i]); c != 0) {
      return c < 0 ? -1 : 1;
    }
  }
  return sign(static_cast<long long>(x->pre.size()) - static_cast<long long>(y->pre.size()));
}

Changelog parse(std::string_view markdown) {
  static const RE2 kLinkReference(R"(\s{0,3}\[([^\]]+)\]:\s*(\S+).*)", RE2::Quiet);
  Changelog out;
  const auto lines = text::split_lines(text::strip_bom(markdown));
  bool in_fence = false;
  std::string fence;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const int line = static_cast<int>(i) + 1;
    const std::string_view trimmed = text::trim(lines[i]);
    if (trimmed.starts_with("```") || trimmed.starts_with("~~~")) {
      const std::string marker(trimmed.substr(0, 3));
      if (!in_fence) in_fence = true, fence = marker;
      else if (marker == fence) in_fence = false;
      continue;
    }
    if (in_fence) continue;
    std::string_view heading;
    const int level = heading_level(lines[i], heading);
    if (level == 1) {
      if (out.title.empty()) out.title = std::string(heading);
    } else if (level == 2) {
      out.releases.push_back(release_of(heading, line));
    } else if (level == 3 && !out.releases.empty()) {
      out.releases.back().sections.push_back({std::string(heading), line});
    } else if (level == 0) {
      std::string label, url;
      if (may_be_link_reference(lines[i]) && RE2::FullMatch(lines[i], kLinkReference, &label, &url)) {
        out.links.push_back({label, url, line});
      } else if (!out.releases.empty() && out.releases.back().sections.empty() &&
                 (trimmed.starts_with("- ") || trimmed.starts_with("* "))) {
        out.releases.back().loose_entries.push_back(line);
      }
    }
  }
  return out;
}

}  // namespace constable::changelog
