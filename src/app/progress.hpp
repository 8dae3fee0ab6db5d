#pragma once
// Progress on standard error while `check` runs: a status line rewritten in
// place on a terminal (shown once the run has lasted two seconds, or at once
// with --progress), a line per phase and per file or chart with -v, and
// timings with --debug. Never on standard output: reports stay clean.

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "engine/progress.hpp"

namespace constable::app {

// How long a run goes before the status line appears unasked (issue 12: a
// run shorter than this needs no progress).
inline constexpr std::chrono::milliseconds kProgressDelay{2000};

struct ProgressSettings {
  enum class Status : std::uint8_t {
    off,
    after_delay,  // stderr is a terminal: show once kProgressDelay has passed
    always,       // --progress
  };
  Status status = Status::off;
  bool terminal = false;  // rewrite one line in place (\r); else print whole lines
  bool verbose = false;   // a line per phase and per file or chart (replaces the status line)
  bool timings = false;   // --debug: how long each phase and item took
};

// What -q, -v, --debug and --progress ask for, given whether stderr is a
// terminal: quiet silences everything; verbose and debug print lines
// wherever stderr goes; the status line needs a terminal, or --progress.
ProgressSettings progress_settings(bool quiet, bool verbose, bool debug, bool forced, bool stderr_is_terminal);
// Whether these settings show anything at all (else no listener is made, and
// the run pays nothing).
bool wants_progress(const ProgressSettings& settings);

class TerminalProgress final : public engine::ProgressListener {
 public:
  using Clock = std::chrono::steady_clock;
  using Sink = std::function<void(std::string_view)>;
  using Now = std::function<Clock::time_point()>;

  // `sink` receives the text to write to stderr; `now` is the clock (tests
  // pass their own, so nothing depends on real time).
  TerminalProgress(ProgressSettings settings, Sink sink, Now now = Clock::now);
  ~TerminalProgress() override;
  TerminalProgress(const TerminalProgress&) = delete;
  TerminalProgress& operator=(const TerminalProgress&) = delete;

  void phase_started(engine::Phase phase, std::size_t total) override;
  void phase_finished(engine::Phase phase, std::size_t count) override;
  void item_started(engine::Phase phase, std::string_view item) override;
  void item_finished(engine::Phase phase, std::string_view item) override;

  // Clears the status line (before the report or an error is written).
  void finish();

 private:
  bool status_visible(Clock::time_point now) const;
  void update_status(Clock::time_point now, bool force);
  void write_line(const std::string& line);

  ProgressSettings settings_;
  Sink sink_;
  Now now_;
  std::mutex mutex_;
  Clock::time_point start_;
  Clock::time_point last_update_{};
  bool status_shown_ = false;  // a status line is on screen (terminal mode)
  engine::Phase phase_ = engine::Phase::constitution;
  std::size_t total_ = 0;
  std::size_t done_ = 0;
  std::size_t last_step_ = 0;  // the tenth of the phase last printed (line mode)
  std::string current_;        // the item last started
  std::map<engine::Phase, Clock::time_point> phase_start_;
  std::map<std::string, Clock::time_point, std::less<>> item_start_;  // --debug only
};

}  // namespace constable::app
