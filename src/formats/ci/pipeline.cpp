// CI pipeline model: graph queries and GitLab durations.

#include <cctype>
#include <charconv>
#include <initializer_list>

#include "core/text.hpp"
#include "formats/ci/pipeline.hpp"

namespace constable::ci {

std::string_view Step::input(std::string_view key) const {
  for (const auto& [k, v] : with)
    if (k == key) return v;
  return {};
}

const Job* Workflow::job(std::string_view id) const {
  for (const Job& j : jobs)
    if (j.id == id) return &j;
  return nullptr;
}

namespace {

bool has_trigger(const Workflow& workflow, std::initializer_list<std::string_view> events) {
  for (const std::string& trigger : workflow.triggers)
    for (std::string_view event : events)
      if (trigger == event) return true;
  return false;
}

}  // namespace

bool Workflow::runs_on_change() const {
  return provider == Provider::gitlab_ci ||
         has_trigger(*this, {"push", "pull_request", "pull_request_target", "merge_group"});
}

bool Workflow::runs_on_pull_request() const {
  return provider == Provider::gitlab_ci || has_trigger(*this, {"pull_request", "pull_request_target", "merge_group"});
}

bool Workflow::only_called() const {
  return provider == Provider::github_actions && triggers.size() == 1 && triggers.front() == "workflow_call";
}

std::vector<std::vector<bool>> Workflow::runs_after() const {
  const std::size_t n = jobs.size();
  auto stage_index = [&](const Job& job) -> std::ptrdiff_t {
    for (std::size_t i = 0; i < stages.size(); ++i)
      if (stages[i] == job.stage) return static_cast<std::ptrdiff_t>(i);
    return -1;
  };
  std::vector<std::vector<std::size_t>> direct(n);
  for (std::size_t i = 0; i < n; ++i) {
    const Job& job = jobs[i];
    if (provider == Provider::gitlab_ci && !job.has_needs) {
      const auto own = stage_index(job);
      for (std::size_t k = 0; k < n; ++k)
        if (k != i && stage_index(jobs[k]) < own && stage_index(jobs[k]) >= 0) direct[i].push_back(k);
      continue;
    }
    for (const std::string& need : job.needs)
      for (std::size_t k = 0; k < n; ++k)
        if (k != i && jobs[k].id == need) direct[i].push_back(k);
  }
  // Transitive closure by a depth-first walk from each job; `needs` cycles
  // (which the providers reject) simply end the walk.
  std::vector<std::vector<bool>> after(n, std::vector<bool>(n, false));
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<std::size_t> stack = direct[i];
    while (!stack.empty()) {
      const std::size_t k = stack.back();
      stack.pop_back();
      if (after[i][k]) continue;
      after[i][k] = true;
      for (std::size_t next : direct[k])
        if (!after[i][next]) stack.push_back(next);
    }
  }
  return after;
}

std::optional<double> parse_duration_minutes(std::string_view text) {
  const std::string lower = text::to_lower(text::trim(text));
  if (lower.empty()) return std::nullopt;
  double total = 0;
  std::size_t i = 0;
  bool any = false;
  while (i < lower.size()) {
    while (i < lower.size() && (lower[i] == ' ' || lower[i] == ',')) ++i;
    if (i >= lower.size()) break;
    if (lower.compare(i, 4, "and ") == 0) {
      i += 4;
      continue;
    }
    const std::size_t number_start = i;
    while (i < lower.size() && (std::isdigit(static_cast<unsigned char>(lower[i])) || lower[i] == '.')) ++i;
    if (i == number_start) return std::nullopt;
    double number = 0;
    const auto [end, error] = std::from_chars(lower.data() + number_start, lower.data() + i, number);
    if (error != std::errc{} || end != lower.data() + i) return std::nullopt;
    while (i < lower.size() && lower[i] == ' ') ++i;
    const std::size_t unit_start = i;
    while (i < lower.size() && std::isalpha(static_cast<unsigned char>(lower[i]))) ++i;
    const std::string_view unit = std::string_view(lower).substr(unit_start, i - unit_start);
    double factor = 0;
    if (unit.empty() || unit == "s" || unit == "sec" || unit == "secs" || unit == "second" || unit == "seconds")
      factor = 1.0 / 60.0;
    else if (unit == "m" || unit == "min" || unit == "mins" || unit == "minute" || unit == "minutes")
      factor = 1;
    else if (unit == "h" || unit == "hr" || unit == "hrs" || unit == "hour" || unit == "hours")
      factor = 60;
    else if (unit == "d" || unit == "day" || unit == "days")
      factor = 24 * 60;
    else if (unit == "w" || unit == "week" || unit == "weeks")
      factor = 7 * 24 * 60;
    else
      return std::nullopt;
    total += number * factor;
    any = true;
  }
  if (!any) return std::nullopt;
  return total;
}

}  // namespace constable::ci
