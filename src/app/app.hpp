#pragma once
// The commands behind the CLI, as functions from options to an outcome
// (output text, messages, exit code) so that they are testable without a
// process. Exit codes: 0 clean below the threshold, 1 violations, 2 usage or
// configuration error.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "constitution/model.hpp"
#include "core/date.hpp"
#include "engine/config.hpp"
#include "engine/plan.hpp"
#include "engine/run.hpp"
#include "report/report.hpp"
#include "workspace/workspace.hpp"

namespace constable::app {

inline constexpr int kExitClean = 0;
inline constexpr int kExitViolations = 1;
inline constexpr int kExitUsage = 2;

struct Outcome {
  int exit_code = kExitClean;
  std::string out;  // for stdout (or --output)
  std::string err;  // messages for stderr
};

// Exit code 2 with "constable: <message>" for stderr.
Outcome usage_error(std::string_view message);

struct CommonOptions {
  std::filesystem::path path = ".";           // repository root (or one file)
  std::optional<std::filesystem::path> constitution;
  std::optional<std::filesystem::path> config;
  std::vector<std::string> select;
  std::vector<std::string> ignore;
  std::optional<Date> today;
};

struct CheckOptions : CommonOptions {
  report::Format format = report::Format::text;
  std::optional<std::filesystem::path> baseline;  // report only findings not in it
  std::optional<std::string> diff_base;            // report only findings new since this revision
  std::string commits;                             // "BASE..HEAD": check these commit messages
  bool all_branches = false;                       // branch naming for every local branch
  bool history = false;                            // also scan every blob in git history
  // Rendered manifests to check with the repository's ("-" for standard
  // input), e.g. the output of `helm template`; findings point into them.
  std::vector<std::string> manifests;
  bool require_attestations = false;               // unenforced, unattested clauses are findings
  std::optional<std::string> fail_on;  // critical|high|medium|low|none
  unsigned jobs = 0;
  bool stats = false;
  bool colour = false;
};

struct CoverageOptions : CommonOptions {
  std::string format = "text";  // text|markdown|json
};

// Everything a command needs, resolved once: configuration layers merged,
// constitution found and parsed, workspace discovered, checks bound.
struct Session {
  engine::Config config;
  constitution::Constitution constitution;
  workspace::Workspace workspace;
  engine::Plan plan;
  Date today;
  std::string root_display;
  engine::PhaseTimes times;  // constitution, discover and bind are filled in
  // About the run itself, for every report: warnings about the constitution
  // (at its path:line) and checks that cannot run here.
  std::vector<workspace::Note> notes;
};

// The stack fact of a workspace inside a git repository: the git checks
// (branches, tags, commits) apply only there.
inline constexpr std::string_view kGitRepositoryFact = "git";

// Where the constitution is looked for, in order, given the root and config.
std::vector<std::filesystem::path> constitution_candidates(const std::filesystem::path& root,
                                                           const engine::Config& config);

Result<Session> open_session(const CommonOptions& options);

Outcome check(const CheckOptions& options);
// Writes the findings of a check run to `file` as a baseline.
Outcome write_baseline(const CheckOptions& options, const std::filesystem::path& file);
Outcome coverage(const CoverageOptions& options);
Outcome explain(const CommonOptions& options, const std::string& id);
Outcome list_checks(const CommonOptions& options, const std::string& format);
Outcome print_config(const CommonOptions& options);
// Writes (or with check_only compares) one Markdown page per check under `dir`.
Outcome generate_docs(const std::filesystem::path& dir, bool check_only);

std::string version_string();

}  // namespace constable::app
