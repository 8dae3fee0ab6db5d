#pragma once
// One audit run's writes: each repository (or cluster namespace) audited is
// tracked against what the store remembers of it and recorded in one
// transaction, from any number of worker threads; the totals make the run's
// summary line. Fleet audits (app/audit_command.cpp) and cluster audits
// (cluster/) record through it.

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "constitution/model.hpp"
#include "core/error.hpp"
#include "engine/finding.hpp"
#include "store/store.hpp"

namespace constable::audit {

struct RunTotals {
  std::size_t audited = 0, opened = 0, reopened = 0, fixed = 0, still_open = 0, clause_removed = 0;
  std::vector<std::string> errors;  // "name: why", sorted by the summary
};

class Recorder {
 public:
  Recorder(store::Store& store, std::int64_t run, Date today) : store_(store), run_(run), today_(today) {}

  // `audited.error` empty: its findings under `constitution` are tracked and
  // recorded; else it is recorded as not audited, with why. Thread-safe.
  // Fails only when the store does.
  Result<void> record(const store::RepositoryRun& audited, const std::vector<engine::Finding>& findings,
                      const constitution::Constitution* constitution, int sprint_days);

  // "audit run 3 into sqlite://...: 9 of 10 repositories audited; ..." and a
  // line per repository not audited.
  std::string summary(std::size_t repositories, std::string_view noun_one, std::string_view noun_many,
                      std::string_view scope) const;
  const RunTotals& totals() const { return totals_; }

 private:
  store::Store& store_;
  std::int64_t run_;
  Date today_;
  mutable std::mutex mutex_;  // one repository's read, tracking and write at a time
  RunTotals totals_;
};

}  // namespace constable::audit
