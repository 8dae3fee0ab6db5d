#pragma once
// Masterminds/semver v3 as Sprig uses it: lenient version parsing ("v1.2",
// "1.30.0-gke.1"), constraints with =, !=, >, <, >=, <=, ~, ^, wildcards,
// hyphen ranges, AND (comma or space) and OR (||). A prerelease version
// satisfies a constraint only when the constraint itself names a prerelease.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace constable::helm::tmpl {

struct SemVersion {
  std::uint64_t major = 0;
  std::uint64_t minor = 0;
  std::uint64_t patch = 0;
  std::string prerelease;
  std::string metadata;
  std::string original;
  std::string to_string() const;
};

std::optional<SemVersion> parse_semver(std::string_view text);
int compare_semver(const SemVersion& a, const SemVersion& b);
// nullopt: the constraint does not parse (`error` says why).
std::optional<bool> semver_satisfies(std::string_view constraint, const SemVersion& v, std::string* error);

}  // namespace constable::helm::tmpl
