#include "audit/tracking.hpp"

#include <map>
#include <optional>

#include "engine/baseline.hpp"

namespace constable::audit {

namespace {

// What the store keeps of a finding's place and words.
void take_finding(store::Violation& v, const engine::Finding& f) {
  v.check_id = f.check_id;
  v.clause_id = f.clause_id;
  v.fingerprint = f.fingerprint;
  v.severity = f.severity;
  v.path = f.path;
  v.line = f.range.line;
  v.message = f.message;
  v.transition_until = f.transition ? std::optional<Date>(f.transition->until) : std::nullopt;
}

void take_waiver(store::Violation& v, const std::optional<engine::Suppression>& waiver) {
  v.status = waiver ? store::Status::waived : store::Status::open;
  v.waiver_owner = waiver ? waiver->owner : std::string();
  v.waiver_expires = waiver ? waiver->expires : std::nullopt;
}

bool active(const store::Violation& v) { return v.status == store::Status::open || v.status == store::Status::waived; }

engine::BaselineEntry entry_of(const store::Violation& v) {
  return {v.fingerprint, v.check_id, v.path, v.line, v.message};
}

}  // namespace

Date due_date(const store::Violation& v, const constitution::Constitution& constitution, int sprint_days) {
  const Date from = v.transition_until && *v.transition_until > v.first_seen ? *v.transition_until : v.first_seen;
  return constitution.severity.due(v.severity, from, sprint_days);
}

Tracked track(const std::vector<store::Violation>& known, const std::vector<engine::Finding>& findings,
              const constitution::Constitution& constitution, const Sighting& now) {
  Tracked out;
  // The findings tracked, as the matcher reads them (waived ones unsuppressed,
  // their waiver kept aside).
  std::vector<engine::Finding> current;
  std::vector<std::optional<engine::Suppression>> waivers;
  for (const engine::Finding& f : findings) {
    if (f.suppression && f.suppression->kind == engine::Suppression::Kind::inline_comment) continue;
    current.push_back(f);
    waivers.push_back(f.suppression);
    current.back().suppression.reset();
  }
  std::vector<std::size_t> open_known;  // indices into `known`
  std::vector<engine::BaselineEntry> earlier;
  for (std::size_t i = 0; i < known.size(); ++i) {
    if (!active(known[i])) continue;
    open_known.push_back(i);
    earlier.push_back(entry_of(known[i]));
  }
  const engine::Matching matching = engine::match_findings(current, earlier);

  const auto finish = [&](store::Violation& v) {
    v.due = due_date(v, constitution, now.sprint_days);
    if (v.status == store::Status::waived) ++out.waived;
    out.changed.push_back(std::move(v));
  };
  for (const auto& [c, e] : matching.matched) {
    store::Violation v = known[open_known[e]];
    take_finding(v, current[c]);
    take_waiver(v, waivers[c]);
    v.last_seen_run = now.run;
    ++out.still_open;
    finish(v);
  }

  // Fixed violations, by check and fingerprint, for a finding that comes back.
  std::map<std::pair<std::string, std::string>, std::vector<std::size_t>> fixed_before;
  for (std::size_t i = 0; i < known.size(); ++i)
    if (known[i].status == store::Status::fixed) fixed_before[{known[i].check_id, known[i].fingerprint}].push_back(i);
  for (const std::size_t c : matching.unmatched_current) {
    const engine::Finding& f = current[c];
    store::Violation v;
    if (auto it = fixed_before.find({f.check_id, f.fingerprint}); it != fixed_before.end() && !it->second.empty()) {
      v = known[it->second.back()];
      it->second.pop_back();
      ++v.reopened;
      v.fixed_run = 0;
      v.fixed_commit.clear();
      v.fixed_on.reset();
      ++out.reopened;
    } else {
      v.repository = now.repository;
      ++out.opened;
    }
    // A first sighting, or a new one after a fix: due counts from today.
    v.first_seen_run = now.run;
    v.first_seen_commit = now.commit;
    v.first_seen = now.today;
    v.last_seen_run = now.run;
    take_finding(v, f);
    take_waiver(v, waivers[c]);
    finish(v);
  }

  for (const std::size_t e : matching.unmatched_earlier) {
    store::Violation v = known[open_known[e]];
    if (!v.clause_id.empty() && constitution.find(v.clause_id) == nullptr) {
      v.status = store::Status::clause_removed;
      ++out.clause_removed;
    } else {
      v.status = store::Status::fixed;
      ++out.fixed;
    }
    v.fixed_run = now.run;
    v.fixed_commit = now.commit;
    v.fixed_on = now.today;
    out.changed.push_back(std::move(v));
  }
  return out;
}

}  // namespace constable::audit
