#pragma once
// A CHANGELOG.md in the Keep a Changelog shape (https://keepachangelog.com):
// `## [Unreleased]` and `## [1.2.3] - 2026-11-22` release headings, `###`
// change-type sections under them, and `[1.2.3]: https://...` link
// references. The parser records what is there, with lines; judging it
// (order, names, links) is the check's business.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace constable::changelog {

struct Section {
  std::string name{};  // "Added"
  int line = 0;
};

struct Release {
  std::string heading{};  // the heading text as written
  int line = 0;
  bool well_formed = false;  // "[version] - date", "[Unreleased]" or "version - date"
  bool bracketed = false;    // the version is written [like this] (a link reference label)
  bool unreleased = false;
  std::string version{};  // "1.2.3" (a leading v removed), "" when unreleased or malformed
  std::string date{};     // "2026-11-22" as written, "" when absent
  bool yanked = false;
  std::vector<Section> sections{};
  std::vector<int> loose_entries{};  // list items before any ### section (lines)
};

struct LinkReference {
  std::string label{};  // "1.2.3", "Unreleased" (case as written)
  std::string url{};
  int line = 0;
};

struct Changelog {
  std::string title{};  // the first H1, "" if none
  std::vector<Release> releases{};
  std::vector<LinkReference> links{};
};

// Never fails: what is not recognised is ignored (H1 headings after the
// title, prose, HTML comments); fenced code blocks are skipped.
Changelog parse(std::string_view markdown);

// Semantic Versioning 2.0.0 precedence: <0, 0, >0. Build metadata is ignored.
// nullopt when either is not a SemVer version.
std::optional<int> compare_semver(std::string_view a, std::string_view b);
bool is_semver(std::string_view version);

}  // namespace constable::changelog
