// docs/readme-quickstart: README.md exists and has a quickstart section.

#include <fmt/format.h>
#include <re2/re2.h>

#include "checks/docs/docs_checks.hpp"
#include "checks/docs/docs_support.hpp"
#include "core/text.hpp"

namespace constable::checks::docs {

namespace {
namespace readme_quickstart_check {

constexpr engine::CheckInfo kInfo{
    .id = "docs/readme-quickstart",
    .domain = "docs",
    .nature = Nature::documentation,
    .summary = "Have a README.md with a quickstart section",
    .rationale = "The README is the first page anyone reads; a quickstart takes a newcomer from clone to a "
                 "running result without reading everything else. The README is README.md at the root (any "
                 "case); the quickstart is a heading that says Quickstart, Quick start(s), Get started or Getting started.",
    .remediation = "Add a `## Quick start` section to README.md with the few commands that install, build and "
                   "run the project.",
    .bad_example = "Payments service\n================\n\nHandles payments.\n",
    .good_example = "Payments service\n================\n\n## Quick start\n\n```sh\nmake run\n```\n",
    .parameters = "",
    .clause = {.section = "project documentation|documentation", .text = "readme"},
    .file_kind = FileKind::other,
    .stack = "",
    .scope = engine::Scope::repository,
};

class ReadmeQuickstartCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    const workspace::File* readme = find_document(repo.workspace(), "README.md", false);
    if (readme == nullptr) {
      emit_at(out, "README.md", 0, "the repository has no README.md");
      return;
    }
    static const RE2 kQuickstart(R"((?i)\b(quick[- ]?starts?|get(ting)? started)\b)");
    int title = 1;
    const auto found = headings(read_file(repo, *readme));
    for (const Heading& heading : found)
      if (RE2::PartialMatch(heading.text, kQuickstart)) return;
    if (!found.empty() && found.front().level == 1) title = found.front().line;
    emit_at(out, readme->path, title, "README.md has no quickstart section (a 'Quick start' or 'Getting started' heading)");
  }
};

}  // namespace readme_quickstart_check
}  // namespace

std::unique_ptr<engine::Check> make_readme_quickstart_check() {
  return engine::make_check<readme_quickstart_check::ReadmeQuickstartCheck>();
}

}  // namespace constable::checks::docs
