// aiops/kubectl-ai-approval: "AI-generated commands with destructive
// operations MUST require approval". kubectl-ai asks before it runs a
// command that modifies resources; `--skip-permissions` (or the
// configuration's `skipPermissions: true`) runs them unasked. Scripts, CI
// jobs, images and manifests that start kubectl-ai keep the question.

#include <fmt/format.h>
#include <re2/re2.h>

#include "checks/aiops/aiops_checks.hpp"
#include "core/literals.hpp"
#include "core/text.hpp"

namespace constable::checks::aiops {

namespace {
namespace kubectl_ai_approval_check {

constexpr engine::CheckInfo kInfo{
    .id = "aiops/kubectl-ai-approval",
    .domain = "aiops",
    .nature = Nature::security,
    .summary = "Never run kubectl-ai with --skip-permissions: let a person approve the commands that modify resources",
    .rationale =
        "kubectl-ai stops before running a command that modifies resources (delete, scale, apply, patch) and asks; "
        "`--skip-permissions` runs whatever the model generated, so a wrong or injected answer deletes what it "
        "names with no one in the loop. Judged: files that start kubectl-ai (shell scripts, Makefiles, "
        "justfiles, Dockerfiles, and the YAML, JSON and TOML of CI pipelines and manifests; not documentation, "
        "source code or reports that quote a command): a line invoking `kubectl-ai` or `kubectl ai` "
        "with `--skip-permissions` (not `=false`), an `args` list of a container running kubectl-ai with it, and "
        "a kubectl-ai configuration file with `skipPermissions: true`.",
    .remediation =
        "Drop `--skip-permissions`: run kubectl-ai interactively, or in automation with read-only "
        "credentials (a ServiceAccount whose Role only gets, lists and watches), and route the changes it "
        "proposes through a reviewed pull request.",
    .bad_example = "kubectl-ai --quiet --skip-permissions \"delete the failing pods in namespace shop\"\n",
    .good_example = "kubectl-ai --quiet \"why are the pods in namespace shop failing?\"\n",
    .parameters = "",
    .clause = {.section = "kubectl-ai|ai-assisted|governance", .text = R"(destructive.*approv|approv.*destructive)"},
    .file_kind = FileKind::other,
    .stack = "",
    .scope = engine::Scope::every_text_file,
    .one_finding_per_file = true,
};

// Whether a file at `path` may start programs: shell scripts, make and task
// files, container files, and the YAML, JSON, TOML and .env files of CI
// pipelines, manifests and kubectl-ai's configuration. Documentation, source
// code and reports (which quote commands, as this check's own source does)
// are not.
bool may_start_programs(std::string_view path) {
  const std::string lower = text::to_lower(path);
  const std::string_view name = text::basename(lower);
  for (const std::string_view launcher : {"makefile", "gnumakefile", "justfile", "tiltfile", "procfile"})
    if (name == launcher) return true;
  if (name.starts_with("dockerfile") || name.starts_with("containerfile") || name.ends_with(".dockerfile")) return true;
  for (const std::string_view extension :
       {".sh", ".bash", ".zsh", ".ksh", ".ps1", ".mk", ".yaml", ".yml", ".json", ".toml", ".env"})
    if (name.ends_with(extension)) return true;
  // An executable script without an extension, where repositories keep them.
  const bool in_script_directory = lower.starts_with("bin/") || lower.starts_with("scripts/") ||
                                   text::contains(lower, "/bin/") || text::contains(lower, "/scripts/") ||
                                   lower.starts_with("hack/") || text::contains(lower, "/hack/");
  return in_script_directory && name.find('.') == std::string_view::npos;
}

// The shell command line `index` belongs to: it and the lines before it
// that end with a continuation backslash.
std::string command_of(const std::vector<std::string_view>& lines, std::size_t index) {
  std::size_t first = index;
  while (first > 0 && text::trim(lines[first - 1]).ends_with('\\')) --first;
  std::string command;
  for (std::size_t i = first; i <= index; ++i) {
    command += lines[i];
    command += ' ';
  }
  return command;
}

class KubectlAiApprovalCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  bool judges_path(std::string_view path) const override { return may_start_programs(path); }

  void check(const engine::FileContext& file, engine::Emitter& out) const override {
    const std::string_view content = file.text();
    static const text::Literals kSkips{"skip-permissions", "skipPermissions"};
    const text::Literals::Found skips = kSkips.found_in(content);
    const bool flag = skips.has("skip-permissions");
    const bool setting = skips.has("skipPermissions");
    if ((!flag && !setting) || !judges_path(file.file().path)) return;
    static const RE2 kInvocation(R"re((^|[\s"'/\[,])kubectl(-ai|\s+ai)\b)re");
    // Not `--skip-permissions-unsafe` (Factory's droid) or another tool's flag.
    static const RE2 kFlag(R"re(--skip-permissions(?:$|[\s"',\]]|(=\s*(\S+))))re");
    static const RE2 kSetting(R"re(^\s*"?skipPermissions"?\s*:\s*"?(true|True|TRUE|yes)"?\s*,?\s*(#.*)?$)re");
    // The flag where kubectl-ai is started; the setting in kubectl-ai's own
    // configuration (a file under a kubectl-ai directory or naming it).
    const bool runs_kubectl_ai = RE2::PartialMatch(content, kInvocation);
    const bool configures_kubectl_ai = runs_kubectl_ai || text::contains(file.file().path, "kubectl-ai") ||
                                       text::contains(content, "kubectl-ai");
    if (!runs_kubectl_ai && !configures_kubectl_ai) return;
    const auto& lines = file.lines();
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const std::string_view line = lines[i];
      const std::string_view trimmed = text::trim(line);
      if (trimmed.starts_with('#') || trimmed.starts_with("//")) continue;
      std::string assignment, value;
      if (flag && runs_kubectl_ai && RE2::PartialMatch(line, kFlag, &assignment, &value) &&
          RE2::PartialMatch(command_of(lines, i), kInvocation)) {
        if (text::to_lower(value).starts_with("false")) continue;
        out.report(SourceRange::at_line(static_cast<int>(i) + 1),
                   "kubectl-ai runs with --skip-permissions: the commands it generates that modify resources run "
                   "without anyone approving them");
      } else if (setting && configures_kubectl_ai && RE2::PartialMatch(line, kSetting)) {
        out.report(SourceRange::at_line(static_cast<int>(i) + 1),
                   "kubectl-ai's configuration sets skipPermissions: true: the commands it generates that modify "
                   "resources run without anyone approving them");
      }
    }
  }
};

}  // namespace kubectl_ai_approval_check
}  // namespace

std::unique_ptr<engine::Check> make_kubectl_ai_approval_check() {
  return engine::make_check<kubectl_ai_approval_check::KubectlAiApprovalCheck>();
}

}  // namespace constable::checks::aiops
