#include "constitution/transition.hpp"

#include <cmath>
#include <set>

#include <fmt/format.h>

#include "constitution/diff.hpp"
#include "constitution/parameters.hpp"
#include "core/text.hpp"

namespace constable::constitution {

namespace {

constexpr double kMillisecondsPerDay = 86'400'000.0;

// "Breaking changes require 6-month transition period": a sentence that
// names a transition period or window and how long it lasts.
std::optional<TransitionPeriod> period_in(std::string_view text, int line) {
  if (!text::icontains(text, "transition")) return std::nullopt;
  if (!text::icontains(text, "period") && !text::icontains(text, "window")) return std::nullopt;
  for (const Quantity& q : quantities(text)) {
    if (q.kind != Quantity::Kind::duration || q.value <= 0) continue;
    TransitionPeriod period;
    period.text = q.text;
    period.line = line;
    const std::string unit = text::to_lower(q.unit);
    const auto whole = static_cast<int>(std::ceil(q.value));
    if (unit.starts_with("month")) {
      period.months = whole;
    } else if (unit.starts_with("year")) {
      period.months = 12 * whole;
    } else {
      period.days = static_cast<int>(std::ceil(q.comparable / kMillisecondsPerDay));
    }
    return period;
  }
  return std::nullopt;
}

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

// Which findings of a changed clause are new, or nullopt when none are.
std::optional<TransitionCause> cause_of(const ClauseChange& change) {
  if (change.kind == ChangeKind::added) return TransitionCause::added;
  if (change.before == nullptr || change.after == nullptr) return std::nullopt;
  if (change.modality == Direction::unknown) return TransitionCause::redefined;
  if (change.modality == Direction::tightened) return TransitionCause::tightened;
  for (const ParameterChange& p : change.parameters)
    if (p.direction == Direction::tightened || p.direction == Direction::unknown) return TransitionCause::tightened;
  return std::nullopt;
}

// The newer footer's Last Amended date, when the amendment changed it.
std::optional<Date> footer_date(const Constitution& before, const Constitution& after) {
  const auto amended = [](const Constitution& c) -> std::optional<Date> {
    return c.version ? c.version->last_amended : std::nullopt;
  };
  if (const auto date = amended(after); date && date != amended(before)) return date;
  return std::nullopt;
}

}  // namespace

Date TransitionPeriod::end_from(Date start) const {
  const int month_index = start.month - 1 + months;
  Date end{start.year + month_index / 12, month_index % 12 + 1, start.day};
  end.day = std::min(end.day, days_in_month(end.year, end.month));
  return end.plus_days(days);
}

std::optional<TransitionPeriod> transition_period(const Constitution& constitution) {
  for (const Clause& clause : constitution.clauses)
    if (auto period = period_in(clause.text, clause.line)) return period;
  for (const Statement& statement : constitution.prose)
    if (auto period = period_in(statement.text, statement.line)) return period;
  return std::nullopt;
}

std::string_view to_string(TransitionCause cause) {
  switch (cause) {
    case TransitionCause::added: return "added";
    case TransitionCause::tightened: return "tightened";
    case TransitionCause::redefined: return "redefined";
  }
  return "added";
}

std::string Transition::reason(const TransitionPeriod& period) const {
  std::string what = fmt::format("clause {}{}", to_string(cause), version.empty() ? std::string() : " in " + version);
  if (cause != TransitionCause::added && !change.empty()) what += fmt::format(" ({})", change);
  return fmt::format("{}; the {} transition period counts from {}", what, period.text, counted_from);
}

const Transition* TransitionSchedule::find(std::string_view clause_id) const {
  const auto it = by_clause.find(clause_id);
  return it == by_clause.end() ? nullptr : &it->second;
}

TransitionSchedule schedule_transitions(std::span<const ConstitutionVersion> newest_first, Date today) {
  TransitionSchedule schedule;
  if (newest_first.empty() || newest_first.front().document == nullptr) return schedule;
  schedule.period = transition_period(*newest_first.front().document);
  if (!schedule.period) return schedule;

  // A clause's id in the version being compared -> its id in the newest.
  std::map<std::string, std::string> to_newest;
  for (const Clause& clause : newest_first.front().document->clauses) to_newest.emplace(clause.id, clause.id);

  for (std::size_t i = 0; i + 1 < newest_first.size() && !to_newest.empty(); ++i) {
    const ConstitutionVersion& after = newest_first[i];
    const ConstitutionVersion& before = newest_first[i + 1];
    if (after.document == nullptr || before.document == nullptr) break;
    const auto footer = footer_date(*before.document, *after.document);
    const Date starts = footer.value_or(after.committed.value_or(today));
    const Date ends = schedule.period->end_from(starts);
    if (ends <= today) break;  // this amendment's transition is over, and every older one's

    const ConstitutionDiff change = diff(*before.document, *after.document);
    std::map<std::string, std::string> next;
    std::set<std::string> changed;  // ids in `after` the diff paired or added
    for (const ClauseChange& c : change.clauses) {
      if (c.after == nullptr) continue;
      changed.insert(c.after->id);
      const auto newest = to_newest.find(c.after->id);
      if (newest == to_newest.end()) continue;  // changed again, or removed, since
      if (c.before != nullptr) next.emplace(c.before->id, newest->second);
      const auto cause = cause_of(c);
      if (!cause || schedule.by_clause.contains(newest->second)) continue;  // a later amendment's transition wins
      Transition t;
      t.clause_id = newest->second;
      t.cause = *cause;
      t.change = c.kind == ChangeKind::added ? std::string("added") : c.why;
      t.version = after.document->version ? after.document->version->version : std::string();
      t.starts = starts;
      t.ends = ends;
      t.counted_from = footer ? fmt::format("Last Amended {}", starts.to_string())
                              : fmt::format("{} ({})", after.source, starts.to_string());
      t.previous_version = i + 1;
      t.previous_clause_id = c.before != nullptr ? c.before->id : std::string();
      schedule.by_clause.emplace(t.clause_id, std::move(t));
    }
    for (const Clause& clause : after.document->clauses) {
      if (changed.contains(clause.id) || before.document->find(clause.id) == nullptr) continue;
      if (const auto newest = to_newest.find(clause.id); newest != to_newest.end())
        next.emplace(clause.id, newest->second);
    }
    to_newest = std::move(next);
  }
  return schedule;
}

}  // namespace constable::constitution
