#include "audit/recorder.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "audit/tracking.hpp"

namespace constable::audit {

Result<void> Recorder::record(const store::RepositoryRun& audited, const std::vector<engine::Finding>& findings,
                              const constitution::Constitution* constitution, int sprint_days) {
  const std::lock_guard lock(mutex_);
  if (!audited.error.empty() || constitution == nullptr) {
    if (auto ok = store_.record(audited, {}); !ok) return ok;
    totals_.errors.push_back(fmt::format("{}: {}", audited.repository, audited.error));
    return {};
  }
  auto known = store_.violations_of(audited.repository);
  if (!known) return std::unexpected(known.error());
  const Tracked tracked = track(*known, findings, *constitution,
                                {.repository = audited.repository,
                                 .run = run_,
                                 .commit = audited.commit,
                                 .today = today_,
                                 .sprint_days = sprint_days});
  if (auto ok = store_.record(audited, tracked.changed); !ok) return ok;
  ++totals_.audited;
  totals_.opened += tracked.opened;
  totals_.reopened += tracked.reopened;
  totals_.fixed += tracked.fixed;
  totals_.still_open += tracked.still_open;
  totals_.clause_removed += tracked.clause_removed;
  return {};
}

std::string Recorder::summary(std::size_t repositories, std::string_view noun_one, std::string_view noun_many,
                              std::string_view scope) const {
  const std::lock_guard lock(mutex_);
  std::string out = fmt::format(
      "audit run {} into {}: {} of {} {} audited{}; {} opened, {} reopened, {} fixed, {} still open{}\n", run_,
      store_.describe(), totals_.audited, repositories, repositories == 1 ? noun_one : noun_many, scope,
      totals_.opened, totals_.reopened, totals_.fixed, totals_.still_open,
      totals_.clause_removed > 0 ? fmt::format(", {} closed with their clause", totals_.clause_removed)
                                 : std::string());
  std::vector<std::string> errors = totals_.errors;
  std::sort(errors.begin(), errors.end());
  for (const auto& error : errors) out += fmt::format("  not audited: {}\n", error);
  return out;
}

}  // namespace constable::audit
