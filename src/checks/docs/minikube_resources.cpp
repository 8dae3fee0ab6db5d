// docs/minikube-resources: a repository that starts Minikube documents its
// CPU and memory allocation in the README.

#include <fmt/format.h>
#include <re2/re2.h>

#include "checks/common/changelogs.hpp"
#include "checks/docs/docs_checks.hpp"
#include "checks/docs/docs_support.hpp"
#include "core/text.hpp"

namespace constable::checks::docs {

namespace {
namespace minikube_resources_check {

constexpr engine::CheckInfo kInfo{
    .id = "docs/minikube-resources",
    .domain = "docs",
    .nature = Nature::documentation,
    .summary = "Document Minikube's CPU and memory allocation in the README",
    .rationale = "Minikube's defaults (2 CPUs, about 2 GB) are too small for most stacks; without the numbers "
                 "in the README every developer finds out by watching pods get evicted. The repository uses "
                 "Minikube when a script, Makefile, Taskfile, justfile, Tiltfile or Markdown file runs "
                 "`minikube start` (a changelog or release notes mentioning it do not count). The README documents the allocation when it states both a CPU count "
                 "(`--cpus=4`, '4 CPUs', '4 cores') and a memory size (`--memory=8g`, '8 GB of memory').",
    .remediation = "Add the allocation to README.md, e.g. `minikube start --cpus=4 --memory=8g` in the "
                   "quickstart, or a sentence stating the CPUs and memory the cluster needs.",
    .bad_example = "scripts/dev-up.sh:  minikube start\nREADME.md:          Run scripts/dev-up.sh.\n",
    .good_example = "scripts/dev-up.sh:  minikube start --cpus=4 --memory=8g\n"
                    "README.md:          Minikube needs 4 CPUs and 8 GB of memory: minikube start --cpus=4 --memory=8g\n",
    .parameters = "",
    .clause = {.section = "minikube|local environment", .text = "resource allocations"},
    .file_kind = FileKind::other,
    .stack = "",
    .scope = engine::Scope::repository,
};

bool may_start_minikube(const workspace::File& file) {
  const std::string lower = text::to_lower(file.path);
  const auto slash = lower.rfind('/');
  const std::string_view name = slash == std::string::npos ? std::string_view(lower) : std::string_view(lower).substr(slash + 1);
  // A changelog records what changed ("`minikube start` pinned ..."): it asks no one to start anything.
  if (changelogs::is_changelog_name(name)) return false;
  return lower.ends_with(".sh") || lower.ends_with(".bash") || lower.ends_with(".md") || lower.ends_with(".mk") ||
         name == "makefile" || name == "gnumakefile" || name == "justfile" || name == "tiltfile" ||
         name.starts_with("taskfile") || lower.starts_with("scripts/");
}

class MinikubeResourcesCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    static const RE2 kStart(R"(\bminikube\s+start\b)");
    std::string user;
    for (const auto& file : repo.workspace().files) {
      if (!may_start_minikube(file) || file.size > 1024 * 1024) continue;
      const std::string_view content = read_file(repo, file);
      if (text::contains(content, "minikube") && RE2::PartialMatch(content, kStart)) {
        user = file.path;
        break;
      }
    }
    if (user.empty()) return;
    const workspace::File* readme = find_document(repo.workspace(), "README.md", false);
    if (readme == nullptr) {
      emit_at(out, "README.md", 0, fmt::format("{} starts Minikube but there is no README.md to document its resources", user));
      return;
    }
    const std::string_view content = read_file(repo, *readme);
    static const RE2 kCpu(R"((?i)(--cpus\b|\b\d+\s*(v?cpus?|cores?)\b|\bcpus?\s*[:=]\s*\d+))");
    static const RE2 kMemory(
        R"((?i)(--memory\b|\b\d+(\.\d+)?\s*(gb|gib|mb|mib|g|m)\b[^\n]*\b(memory|ram)\b|\b(memory|ram)\b[^\n]*\b\d+(\.\d+)?\s*(gb|gib|mb|mib|g|m)\b))");
    const bool cpu = RE2::PartialMatch(content, kCpu), memory = RE2::PartialMatch(content, kMemory);
    if (cpu && memory) return;
    int line = 1;
    static const RE2 kMention(R"((?i)(^|[\s`(])minikube\b)");
    const auto lines = text::split_lines(content);
    for (std::size_t i = 0; i < lines.size(); ++i)
      if (RE2::PartialMatch(lines[i], kMention)) {
        line = static_cast<int>(i) + 1;
        break;
      }
    emit_at(out, readme->path, line,
            fmt::format("{} starts Minikube but README.md does not state its {}", user,
                        !cpu && !memory ? "CPU and memory allocation" : (!cpu ? "CPU allocation" : "memory allocation")));
  }
};

}  // namespace minikube_resources_check
}  // namespace

std::unique_ptr<engine::Check> make_minikube_resources_check() {
  return engine::make_check<minikube_resources_check::MinikubeResourcesCheck>();
}

}  // namespace constable::checks::docs
