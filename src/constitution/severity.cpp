#include <cmath>
#include <string>

#include "constitution/internal.hpp"
#include "constitution/model.hpp"
#include "core/text.hpp"

namespace constable::constitution {

namespace {
std::size_t index(Severity severity) { return static_cast<std::size_t>(severity); }
std::size_t index(Nature nature) { return static_cast<std::size_t>(nature); }
}  // namespace

SeverityPolicy SeverityPolicy::defaults() {
  SeverityPolicy policy;
  policy.deadlines[index(Severity::critical)] = {Deadline::Unit::hours, 24, "default"};
  policy.deadlines[index(Severity::high)] = {Deadline::Unit::days, 7, "default"};
  policy.deadlines[index(Severity::medium)] = {Deadline::Unit::days, 30, "default"};
  policy.deadlines[index(Severity::low)] = {Deadline::Unit::sprint, 1, "default"};
  policy.severity_of_nature[index(Nature::security)] = Severity::critical;
  policy.severity_of_nature[index(Nature::data_loss)] = Severity::critical;
  policy.severity_of_nature[index(Nature::reliability)] = Severity::high;
  policy.severity_of_nature[index(Nature::maintainability)] = Severity::medium;
  policy.severity_of_nature[index(Nature::documentation)] = Severity::low;
  policy.descriptions[index(Severity::critical)] = "Security vulnerabilities, data loss risk";
  policy.descriptions[index(Severity::high)] = "Production reliability impact";
  policy.descriptions[index(Severity::medium)] = "Technical debt, maintainability issues";
  policy.descriptions[index(Severity::low)] = "Documentation gaps, minor deviations";
  policy.from_constitution = false;
  policy.line = 0;
  return policy;
}

Severity SeverityPolicy::severity_for(Nature nature) const {
  const std::size_t i = index(nature);
  return i < severity_of_nature.size() ? severity_of_nature[i] : Severity::medium;
}

Date SeverityPolicy::due(Severity severity, Date found, int sprint_days) const {
  const std::size_t i = index(severity);
  if (i >= deadlines.size()) return found;
  const Deadline& deadline = deadlines[i];
  const long amount = std::max(0, deadline.amount);
  switch (deadline.unit) {
    case Deadline::Unit::hours: return found.plus_days((amount + 23) / 24);
    case Deadline::Unit::days: return found.plus_days(amount);
    case Deadline::Unit::sprint: return found.plus_days(static_cast<long>(std::max(0, sprint_days)) * std::max(1L, amount));
  }
  return found;
}

namespace detail {

std::optional<Deadline> read_deadline(std::string_view description) {
  const std::string text{text::trim(description)};
  const auto duration = find_duration(text);
  const std::string lowered = text::to_lower(text);
  const auto sprint = lowered.find("sprint");
  if (sprint != std::string::npos && (!duration || sprint < duration->offset)) {
    return Deadline{Deadline::Unit::sprint, 1, text};
  }
  if (!duration || duration->amount <= 0 || duration->amount > 1.0e6) return std::nullopt;
  const double ms = duration->amount * unit_milliseconds(duration->unit);
  const double day_ms = unit_milliseconds(DurationUnit::days);
  Deadline deadline;
  deadline.text = text;
  switch (duration->unit) {
    case DurationUnit::milliseconds:
    case DurationUnit::seconds:
    case DurationUnit::minutes:
    case DurationUnit::hours:
      deadline.unit = Deadline::Unit::hours;
      deadline.amount = static_cast<int>(std::ceil(ms / unit_milliseconds(DurationUnit::hours)));
      break;
    default:
      deadline.unit = Deadline::Unit::days;
      deadline.amount = static_cast<int>(std::ceil(ms / day_ms));
      break;
  }
  if (deadline.amount <= 0) return std::nullopt;
  return deadline;
}

void apply_natures(SeverityPolicy& policy, Severity severity, std::string_view description) {
  const auto set = [&](Nature nature) { policy.severity_of_nature[index(nature)] = severity; };
  if (text::icontains(description, "security") || text::icontains(description, "vulnerab")) set(Nature::security);
  if (text::icontains(description, "data loss") || text::icontains(description, "data-loss")) set(Nature::data_loss);
  if (text::icontains(description, "reliab") || text::icontains(description, "availab")) set(Nature::reliability);
  if (text::icontains(description, "technical debt") || text::icontains(description, "maintainab"))
    set(Nature::maintainability);
  if (text::icontains(description, "documentation")) set(Nature::documentation);
}

}  // namespace detail

}  // namespace constable::constitution
