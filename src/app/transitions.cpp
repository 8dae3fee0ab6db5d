#include "app/transitions.hpp"

#include "app/app.hpp"

#include <map>
#include <set>

#include <fmt/format.h>

#include "core/digest.hpp"
#include "engine/catalog.hpp"
#include "engine/plan.hpp"
#include "git/repository.hpp"

namespace constable::app {

namespace fs = std::filesystem;

namespace {

// Enough history for any amendment whose transition may still run; the
// bounds keep a repository with a long history from costing a slow start.
constexpr std::size_t kMaxVersions = 64;
constexpr std::size_t kMaxCommits = 20'000;
// A Last Amended date may precede the commit that records it by this much
// and still count: history is read back this far before the period.
constexpr long kLastAmendedLeadDays = 366;
constexpr long kDaysPerMonthAtMost = 31;
constexpr std::int64_t kSecondsPerDay = 86'400;

// The UTC date of a commit time (seconds since the epoch, rounded down).
Date date_of(std::int64_t seconds) {
  const std::int64_t days = seconds / kSecondsPerDay - (seconds % kSecondsPerDay < 0 ? 1 : 0);
  return Date::from_days_since_epoch(static_cast<long>(days));
}

// A finding is the same when its file, check and fingerprint are, or its
// file, check and place: a whole-file finding's fingerprint hashes its
// message, which may quote the parameter that changed.
std::string identity_of(const engine::Finding& f) { return f.path + '\0' + f.check_id + '\0' + f.fingerprint; }
std::string place_of(const engine::Finding& f) {
  return fmt::format("{}\0{}\0{}:{}", f.path, f.check_id, f.range.line, f.range.column);
}

// The versions git history holds, newest first, into `history`; the current
// version's commit date when it is committed unchanged.
void read_git_history(const constitution::Constitution& current, const fs::path& file,
                      const constitution::TransitionPeriod& period, Date today, TransitionHistory& history,
                      std::vector<constitution::ConstitutionVersion>& versions, std::vector<workspace::Note>& notes,
                      const std::string& note_path) {
  std::error_code ec;
  const fs::path absolute = fs::weakly_canonical(fs::absolute(file, ec), ec);
  if (ec) return;
  auto repository = git::Repository::discover(absolute.parent_path());
  if (!repository) return;  // not in git: only previous_constitution can say what changed
  const fs::path relative = absolute.lexically_relative(fs::weakly_canonical(repository->workdir(), ec));
  if (ec || relative.empty() || *relative.begin() == "..") return;

  const long period_days = period.months * kDaysPerMonthAtMost + period.days;
  const Date since = today.plus_days(-(period_days + kLastAmendedLeadDays));
  auto found = repository->file_versions(relative.generic_string(), since.days_since_epoch() * kSecondsPerDay,
                                         kMaxVersions, kMaxCommits);
  if (!found) {
    notes.push_back({note_path, fmt::format("transition periods: cannot read the constitution's history: {}",
                                            found.error().to_string())});
    return;
  }
  for (std::size_t i = 0; i < found->size(); ++i) {
    const git::FileVersion& version = (*found)[i];
    const std::string source = fmt::format("commit {}", version.made_by.short_id);
    // An old version is held to the limit the constitution file is: a huge
    // blob in history is not read into memory.
    if (const auto size = repository->blob_size(version.blob_id); !size || *size > constitution::kMaxSize) {
      notes.push_back({note_path, fmt::format("transition periods: history ends at {}: {}", source,
                                              size ? "the version there is larger than 10 MiB"
                                                   : size.error().to_string())});
      return;
    }
    auto text = repository->read_blob(version.blob_id);
    if (!text) {
      notes.push_back({note_path, fmt::format("transition periods: history ends at {}: {}", source,
                                              text.error().to_string())});
      return;
    }
    if (i == 0 && digest::sha256_hex(*text) == current.source_digest) {
      versions.front().committed = date_of(version.made_by.author.time);
      versions.front().source = source;
      continue;
    }
    // A version that is not a constitution (a rewrite from scratch, a
    // template) ends the history the schedule compares.
    auto parsed = constitution::parse(*text, fmt::format("{} at {}", relative.generic_string(), source));
    if (!parsed) return;
    history.earlier.push_back(std::move(*parsed));
    versions.push_back({&history.earlier.back(), date_of(version.made_by.author.time), source});
  }
}

}  // namespace

TransitionHistory load_transitions(const constitution::Constitution& current, const fs::path& file,
                                   const engine::Config& config, const fs::path& base, Date today,
                                   std::vector<workspace::Note>& notes, const std::string& note_path) {
  TransitionHistory history;
  const auto period = constitution::transition_period(current);
  if (!period) return history;  // the constitution grants none: every finding is a violation at once
  std::vector<constitution::ConstitutionVersion> versions{{&current, std::nullopt, "the working tree"}};
  read_git_history(current, file, *period, today, history, versions, notes, note_path);
  if (versions.size() == 1 && config.previous_constitution) {
    const fs::path previous = base / *config.previous_constitution;
    auto parsed = constitution::load(previous);
    if (!parsed) {
      notes.push_back(
          {note_path, fmt::format("transition periods: previous_constitution: {}", parsed.error().to_string())});
    } else {
      history.earlier.push_back(std::move(*parsed));
      versions.push_back({&history.earlier.back(), std::nullopt, previous.string()});
    }
  }
  history.schedule = constitution::schedule_transitions(versions, today);
  return history;
}

void restore_old_violations(engine::RunResult& result, const TransitionHistory& history,
                            const constitution::Constitution& current, const engine::Config& config,
                            const workspace::Workspace& workspace, const engine::RunOptions& options) {
  // Earlier version -> the checks whose findings it must judge.
  std::map<std::size_t, std::set<std::string>> checks_by_version;
  for (const auto& f : result.findings) {
    const constitution::Transition* t = f.in_transition() ? history.schedule.find(f.clause_id) : nullptr;
    if (t != nullptr && t->cause == constitution::TransitionCause::tightened && t->previous_version > 0 &&
        t->previous_version <= history.earlier.size())
      checks_by_version[t->previous_version].insert(f.check_id);
  }
  for (const auto& [version, checks] : checks_by_version) {
    const constitution::Constitution& earlier = history.earlier[version - 1];
    const engine::Selection selection{{checks.begin(), checks.end()}, {}};
    auto plan = engine::bind(engine::Catalog::builtin(), earlier, config, workspace.stack, selection);
    if (!plan) continue;  // the earlier wording binds nothing: every finding is new
    engine::RunOptions earlier_options = options;
    earlier_options.transitions = nullptr;
    earlier_options.progress = nullptr;
    earlier_options.cache_directory.clear();
    const engine::RunResult earlier_run = engine::run(*plan, earlier, config, workspace, earlier_options);
    std::set<std::string> found_before;
    for (const auto& f : earlier_run.findings) {
      if (f.suppressed()) continue;
      found_before.insert(identity_of(f));
      found_before.insert(place_of(f));
    }
    for (auto& f : result.findings) {
      const constitution::Transition* t = f.in_transition() ? history.schedule.find(f.clause_id) : nullptr;
      if (t == nullptr || t->previous_version != version || !checks.contains(f.check_id)) continue;
      if (!found_before.contains(identity_of(f)) && !found_before.contains(place_of(f))) continue;
      f.transition.reset();
      f.due = current.severity.due(f.severity, options.today, config.sprint_days);
    }
  }
}

engine::RunResult run_plan(const engine::Plan& plan, const Session& session, const workspace::Workspace& workspace,
                           engine::RunOptions options) {
  options.transitions = &session.transitions.schedule;
  engine::RunResult result = engine::run(plan, session.constitution, session.config, workspace, options);
  restore_old_violations(result, session.transitions, session.constitution, session.config, workspace, options);
  return result;
}

}  // namespace constable::app
