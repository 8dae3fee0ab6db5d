#include "app/progress.hpp"

#include <fmt/format.h>

#include "report/common.hpp"

namespace constable::app {

namespace {

using engine::Phase;

// The status line stays within a narrow terminal: a longer line would wrap,
// and '\r' would then rewrite only its last row.
constexpr std::size_t kStatusWidth = 78;
constexpr std::chrono::milliseconds kStatusInterval{100};

std::string plural(std::size_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

std::string started_text(Phase phase, std::size_t total) {
  switch (phase) {
    case Phase::constitution: return "parsing the constitution";
    case Phase::discover: return "discovering files";
    case Phase::bind: return "binding checks to clauses";
    case Phase::repository: return fmt::format("running {}", plural(total, "repository check", "repository checks"));
    case Phase::files: return fmt::format("checking {}", plural(total, "file", "files"));
    case Phase::charts: return fmt::format("rendering {}", plural(total, "Helm chart", "Helm charts"));
    case Phase::manifests: return fmt::format("running {}", plural(total, "manifest check", "manifest checks"));
    case Phase::report: return "rendering the report";
  }
  return std::string(to_string(phase));
}

std::string finished_text(Phase phase, std::size_t count) {
  switch (phase) {
    case Phase::constitution: return fmt::format("constitution: {}", plural(count, "clause", "clauses"));
    case Phase::discover: return fmt::format("discovered {}", plural(count, "file", "files"));
    case Phase::bind: return fmt::format("{} active", plural(count, "check", "checks"));
    case Phase::repository: return fmt::format("ran {}", plural(count, "repository check", "repository checks"));
    case Phase::files: return fmt::format("checked {}", plural(count, "file", "files"));
    case Phase::charts: return fmt::format("rendered {}", plural(count, "Helm chart", "Helm charts"));
    case Phase::manifests: return fmt::format("checked {}", plural(count, "Kubernetes object", "Kubernetes objects"));
    case Phase::report: return "report rendered";
  }
  return std::string(to_string(phase));
}

// What an item of the phase is, in a -v line.
std::string item_text(Phase phase, std::string_view item) {
  const std::string shown = report::detail::terminal_safe(item);
  switch (phase) {
    case Phase::files: return fmt::format("checking {}", shown);
    case Phase::charts: return fmt::format("rendering chart {}", shown);
    case Phase::repository:
    case Phase::manifests: return fmt::format("running {}", shown);
    default: return shown;
  }
}

// The last `width` code points of `s`, with an ellipsis when cut.
std::string tail(const std::string& s, std::size_t width) {
  const std::size_t points = report::detail::codepoint_count(s);
  if (points <= width) return s;
  std::size_t skip = points - width + 1;
  std::size_t at = 0;
  while (at < s.size() && skip > 0) {
    ++at;
    while (at < s.size() && (static_cast<unsigned char>(s[at]) & 0xC0) == 0x80) ++at;
    --skip;
  }
  return "…" + s.substr(at);
}

std::string duration(std::chrono::steady_clock::duration elapsed) {
  return report::detail::format_micros(
      static_cast<long long>(std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count()));
}

}  // namespace

ProgressSettings progress_settings(bool quiet, bool verbose, bool debug, bool forced, bool stderr_is_terminal) {
  ProgressSettings settings;
  if (quiet) return settings;
  settings.verbose = verbose || debug;
  settings.timings = debug;
  settings.terminal = stderr_is_terminal;
  if (forced)
    settings.status = ProgressSettings::Status::always;
  else if (stderr_is_terminal)
    settings.status = ProgressSettings::Status::after_delay;
  return settings;
}

bool wants_progress(const ProgressSettings& settings) {
  return settings.verbose || settings.status != ProgressSettings::Status::off;
}

TerminalProgress::TerminalProgress(ProgressSettings settings, Sink sink, Now now)
    : settings_(settings), sink_(std::move(sink)), now_(std::move(now)), start_(now_()) {}

TerminalProgress::~TerminalProgress() { finish(); }

void TerminalProgress::phase_started(Phase phase, std::size_t total) {
  const std::lock_guard lock(mutex_);
  const auto now = now_();
  phase_ = phase;
  total_ = total;
  done_ = 0;
  last_step_ = 0;
  current_.clear();
  phase_start_[phase] = now;
  if (settings_.verbose) {
    write_line(started_text(phase, total));
  } else if (!settings_.terminal && status_visible(now)) {
    write_line(started_text(phase, total));
  } else {
    update_status(now, true);
  }
}

void TerminalProgress::phase_finished(Phase phase, std::size_t count) {
  const std::lock_guard lock(mutex_);
  const auto now = now_();
  std::string line = finished_text(phase, count);
  if (settings_.timings) {
    if (const auto started = phase_start_.find(phase); started != phase_start_.end())
      line += fmt::format(" in {}", duration(now - started->second));
  }
  if (settings_.verbose || (!settings_.terminal && status_visible(now))) {
    write_line(line);
  } else {
    update_status(now, true);
  }
}

void TerminalProgress::item_started(Phase phase, std::string_view item) {
  const std::lock_guard lock(mutex_);
  const auto now = now_();
  current_ = report::detail::terminal_safe(item);
  if (settings_.timings) item_start_[std::string(item)] = now;
  // Files and charts are what -v names; repository and manifest checks only with --debug.
  const bool named = phase == Phase::files || phase == Phase::charts || settings_.timings;
  if (settings_.verbose) {
    if (named) write_line(item_text(phase, item));
    return;
  }
  update_status(now, false);
}

void TerminalProgress::item_finished(Phase phase, std::string_view item) {
  const std::lock_guard lock(mutex_);
  const auto now = now_();
  ++done_;
  if (settings_.timings) {
    if (const auto started = item_start_.find(item); started != item_start_.end()) {
      if (settings_.verbose)
        write_line(fmt::format("{} done in {}", report::detail::terminal_safe(item), duration(now - started->second)));
      item_start_.erase(started);
    }
  }
  if (settings_.verbose) return;
  if (!settings_.terminal) {
    // In a log: a line at every tenth of a long phase, no more.
    if (!status_visible(now) || total_ == 0 || phase != phase_) return;
    const std::size_t step = done_ * 10 / total_;
    if (step > last_step_ && done_ < total_) {
      last_step_ = step;
      write_line(fmt::format("{} {}/{}", to_string(phase), done_, total_));
    }
    return;
  }
  update_status(now, false);
}

void TerminalProgress::finish() {
  const std::lock_guard lock(mutex_);
  if (status_shown_) sink_("\r\x1b[K");
  status_shown_ = false;
}

bool TerminalProgress::status_visible(Clock::time_point now) const {
  switch (settings_.status) {
    case ProgressSettings::Status::off: return false;
    case ProgressSettings::Status::always: return true;
    case ProgressSettings::Status::after_delay: return now - start_ >= kProgressDelay;
  }
  return false;
}

void TerminalProgress::update_status(Clock::time_point now, bool force) {
  if (!settings_.terminal || settings_.verbose || !status_visible(now)) return;
  if (!force && status_shown_ && now - last_update_ < kStatusInterval) return;
  last_update_ = now;
  std::string status;
  const bool counted = phase_ == Phase::files || phase_ == Phase::charts || phase_ == Phase::repository ||
                       phase_ == Phase::manifests;
  switch (phase_) {
    case Phase::files: status = "checking files"; break;
    case Phase::charts: status = "rendering charts"; break;
    case Phase::repository: status = "repository checks"; break;
    case Phase::manifests: status = "manifest checks"; break;
    default: status = started_text(phase_, total_);
  }
  if (counted && total_ > 0) status += fmt::format(" {}/{}", done_, total_);
  std::string line = "constable: " + status;
  if (counted && !current_.empty() && report::detail::codepoint_count(line) + 4 < kStatusWidth)
    line += "  " + tail(current_, kStatusWidth - report::detail::codepoint_count(line) - 2);
  sink_("\r\x1b[K" + line);
  status_shown_ = true;
}

void TerminalProgress::write_line(const std::string& line) {
  if (status_shown_) sink_("\r\x1b[K");
  status_shown_ = false;
  sink_("constable: " + line + "\n");
}

}  // namespace constable::app
