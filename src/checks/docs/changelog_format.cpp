// docs/changelog-format: CHANGELOG.md follows Keep a Changelog.

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "checks/docs/docs_checks.hpp"
#include "core/date.hpp"
#include "core/text.hpp"
#include "formats/changelog/changelog.hpp"

namespace constable::checks::docs {

namespace {
namespace changelog_format_check {

constexpr engine::CheckInfo kInfo{
    .id = "docs/changelog-format",
    .domain = "docs",
    .nature = Nature::documentation,
    .summary = "Keep CHANGELOG.md in the Keep a Changelog format",
    .rationale = "Keep a Changelog gives every reader the same map: what is coming (Unreleased), what each "
                 "release changed, newest first, grouped by the kind of change, with a link to each diff. "
                 "Checked in every CHANGELOG.md: an `## [Unreleased]` section first; release headings "
                 "`## [x.y.z] - YYYY-MM-DD` (SemVer, a real date, optional [YANKED]) in descending SemVer order "
                 "without duplicates; only the change types Added, Changed, Deprecated, Removed, Fixed and "
                 "Security as `###` sections, with every entry inside one; a link reference `[x.y.z]: URL` for "
                 "every bracketed release and no link reference to a release that is not there. H1 headings "
                 "after the title are ignored. A changelog none of whose release headings has that form is "
                 "in another format altogether, and is told so once, at its first heading.",
    .remediation = "Follow https://keepachangelog.com/en/1.1.0/: put new entries under `## [Unreleased]`, "
                   "give each release a `## [x.y.z] - YYYY-MM-DD` heading, newest first, sort entries into "
                   "Added/Changed/Deprecated/Removed/Fixed/Security and add `[x.y.z]: <compare URL>` links at "
                   "the bottom.",
    .bad_example = "# Changelog\n\n## [1.0.0] - 2026-01-10\n### Improvements\n- Faster start-up\n\n"
                   "## [1.1.0] - 2026-02-01\n### Added\n- Export\n",
    .good_example = "# Changelog\n\n## [Unreleased]\n\n## [1.1.0] - 2026-02-01\n### Added\n- Export\n\n"
                    "## [1.0.0] - 2026-01-10\n### Changed\n- Faster start-up\n\n"
                    "[Unreleased]: https://example.com/compare/v1.1.0...HEAD\n"
                    "[1.1.0]: https://example.com/compare/v1.0.0...v1.1.0\n"
                    "[1.0.0]: https://example.com/releases/v1.0.0\n",
    .parameters = "",
    .clause = {.section = "project documentation|documentation", .text = "changelog"},
    .file_kind = FileKind::markdown,
    .stack = "",
    .one_finding_per_file = true,
};

constexpr std::array<std::string_view, 6> kChangeTypes = {"Added", "Changed", "Deprecated", "Removed", "Fixed",
                                                          "Security"};

bool is_changelog(std::string_view path) {
  const auto slash = path.rfind('/');
  return text::iequals(slash == std::string_view::npos ? path : path.substr(slash + 1), "CHANGELOG.md");
}

class ChangelogFormatCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  bool judges_path(std::string_view path) const override { return is_changelog(path); }
  void check(const engine::FileContext& file, engine::Emitter& out) const override {
    if (!judges_path(file.file().path)) return;
    const changelog::Changelog log = changelog::parse(file.text());
    // A changelog in another format altogether (conventional-changelog's
    // "## 1.2.3 (2026-01-10)", release notes by date) is told so once, not
    // at every heading and entry: bitnami's are 1,500 places each.
    const bool another_format = !log.releases.empty() && std::none_of(log.releases.begin(), log.releases.end(),
                                                                      [](const auto& r) { return r.well_formed; });
    if (another_format) {
      const changelog::Release& first = log.releases.front();
      out.report(SourceRange::at_line(first.line),
                 log.releases.size() == 1
                     ? fmt::format("not in the Keep a Changelog format: its release heading '{}' is not "
                                   "'[x.y.z] - YYYY-MM-DD' or '[Unreleased]'",
                                   first.heading)
                     : fmt::format("not in the Keep a Changelog format: none of its {} release headings is "
                                   "'[x.y.z] - YYYY-MM-DD' or '[Unreleased]' (the first is '{}')",
                                   log.releases.size(), first.heading));
      return;
    }
    if (log.releases.empty() || !log.releases.front().unreleased) {
      const int line = log.releases.empty() ? 1 : log.releases.front().line;
      out.report(SourceRange::at_line(line), "no '## [Unreleased]' section at the top of the changelog");
    }
    const changelog::Release* previous = nullptr;
    for (std::size_t i = 0; i < log.releases.size(); ++i) {
      const changelog::Release& release = log.releases[i];
      const SourceRange at = SourceRange::at_line(release.line);
      if (release.unreleased && i > 0) out.report(at, "the Unreleased section must come before every release");
      if (!release.well_formed) {
        out.report(at, fmt::format("release heading '{}' is not '[x.y.z] - YYYY-MM-DD' or '[Unreleased]'",
                                   release.heading));
      } else if (!release.unreleased) {
        if (!changelog::is_semver(release.version))
          out.report(at, fmt::format("'{}' is not a Semantic Versioning version", release.version));
        else if (previous != nullptr) report_order(*previous, release, out);
        if (!Date::parse(release.date))
          out.report(at, fmt::format("'{}' is not a valid YYYY-MM-DD date", release.date));
        if (changelog::is_semver(release.version)) previous = &release;
      }
      if (release.well_formed && !release.bracketed)
        out.report(at, fmt::format("release '{}' is not a link: write it as [{}] with a link reference",
                                   release.heading, release.unreleased ? "Unreleased" : release.version));
      else if (release.well_formed && !has_link(log, release))
        out.report(at, fmt::format("no link reference '[{}]: <url>' for this release",
                                   release.unreleased ? "Unreleased" : release.version));
      for (const changelog::Section& section : release.sections) {
        bool standard = false;
        for (auto type : kChangeTypes) standard = standard || section.name == type;
        if (!standard)
          out.report(SourceRange::at_line(section.line),
                     fmt::format("'{}' is not a Keep a Changelog change type (Added, Changed, Deprecated, Removed, "
                                 "Fixed, Security)",
                                 section.name));
      }
      for (int entry : release.loose_entries)
        out.report(SourceRange::at_line(entry), "entry outside an Added/Changed/Deprecated/Removed/Fixed/Security section");
    }
    for (const changelog::LinkReference& link : log.links) {
      if (!text::iequals(link.label, "unreleased") && !changelog::is_semver(link.label)) continue;
      bool known = false;
      for (const auto& release : log.releases)
        known = known || (release.unreleased ? text::iequals(link.label, "unreleased") : release.version == label_version(link.label));
      if (!known)
        out.report(SourceRange::at_line(link.line),
                   fmt::format("link reference [{}] names a release the changelog does not have", link.label));
    }
  }

 private:
  static std::string label_version(std::string_view label) {
    return std::string(label.starts_with('v') ? label.substr(1) : label);
  }
  static bool has_link(const changelog::Changelog& log, const changelog::Release& release) {
    for (const auto& link : log.links) {
      if (release.unreleased ? text::iequals(link.label, "unreleased") : label_version(link.label) == release.version)
        return true;
    }
    return false;
  }
  static void report_order(const changelog::Release& newer, const changelog::Release& release, engine::Emitter& out) {
    const auto order = changelog::compare_semver(newer.version, release.version);
    if (!order) return;
    if (*order == 0)
      out.report(SourceRange::at_line(release.line), fmt::format("release {} is listed twice", release.version));
    else if (*order < 0)
      out.report(SourceRange::at_line(release.line),
                 fmt::format("release {} is listed after the older {}; releases go newest first", release.version,
                             newer.version));
  }
};

}  // namespace changelog_format_check
}  // namespace

std::unique_ptr<engine::Check> make_changelog_format_check() {
  return engine::make_check<changelog_format_check::ChangelogFormatCheck>();
}

}  // namespace constable::checks::docs
