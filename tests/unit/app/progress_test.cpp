// Progress on stderr: when it shows, what it says, and that it is safe from
// many threads. The clock is the test's own: nothing here waits or times.

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "app/progress.hpp"

namespace constable::app {
namespace {

using engine::Phase;
using Clock = TerminalProgress::Clock;

struct Recorder {
  std::string text;
  Clock::time_point now{};
  TerminalProgress make(ProgressSettings settings) {
    return TerminalProgress(
        settings, [this](std::string_view s) { text += s; }, [this] { return now; });
  }
};

ProgressSettings terminal_status() {
  return {.status = ProgressSettings::Status::after_delay, .terminal = true, .verbose = false, .timings = false};
}

TEST(ProgressSettings, FollowTheFlagsAndTheTerminal) {
  const auto quiet = progress_settings(true, true, true, true, true);
  EXPECT_FALSE(wants_progress(quiet));  // -q silences everything

  const auto log = progress_settings(false, false, false, false, false);
  EXPECT_FALSE(wants_progress(log));  // CI log, nothing asked: nothing, and no listener

  const auto terminal = progress_settings(false, false, false, false, true);
  EXPECT_EQ(terminal.status, ProgressSettings::Status::after_delay);
  EXPECT_TRUE(terminal.terminal);

  const auto forced = progress_settings(false, false, false, true, false);
  EXPECT_EQ(forced.status, ProgressSettings::Status::always);
  EXPECT_FALSE(forced.terminal);

  const auto debug = progress_settings(false, false, true, false, false);
  EXPECT_TRUE(debug.verbose);
  EXPECT_TRUE(debug.timings);
}

TEST(TerminalProgress, StaysSilentForShortRuns) {
  Recorder r;
  {
    auto progress = r.make(terminal_status());
    progress.phase_started(Phase::files, 3);
    for (const char* file : {"a.yaml", "b.yaml", "c.yaml"}) {
      r.now += std::chrono::milliseconds(500);
      progress.item_started(Phase::files, file);
      progress.item_finished(Phase::files, file);
    }
    progress.phase_finished(Phase::files, 3);
  }
  EXPECT_EQ(r.text, "");  // 1.5 s: under the two seconds
}

TEST(TerminalProgress, ShowsAStatusLineOnceTheRunIsLongAndClearsIt) {
  Recorder r;
  auto progress = r.make(terminal_status());
  progress.phase_started(Phase::files, 4);
  r.now += kProgressDelay;
  progress.item_started(Phase::files, "services/api/Dockerfile");
  EXPECT_NE(r.text.find("\r\x1b[Kconstable: checking files 0/4  services/api/Dockerfile"), std::string::npos)
      << r.text;
  progress.item_finished(Phase::files, "services/api/Dockerfile");
  r.now += std::chrono::seconds(1);
  progress.item_started(Phase::files, "x.yaml");
  EXPECT_NE(r.text.find("checking files 1/4  x.yaml"), std::string::npos) << r.text;
  EXPECT_EQ(r.text.find('\n'), std::string::npos);  // one line, rewritten in place
  progress.finish();
  EXPECT_TRUE(r.text.ends_with("\r\x1b[K"));
}

TEST(TerminalProgress, RewritesTheLineAtMostTenTimesASecond) {
  Recorder r;
  auto progress = r.make(terminal_status());
  r.now += kProgressDelay;
  progress.phase_started(Phase::files, 1000);
  const std::size_t before = r.text.size();
  for (int i = 0; i < 1000; ++i) progress.item_finished(Phase::files, "f");  // no time passes
  EXPECT_EQ(r.text.size(), before);
}

TEST(TerminalProgress, NamesEveryFileAndChartWhenVerbose) {
  Recorder r;
  auto progress = r.make({.status = ProgressSettings::Status::off, .terminal = false, .verbose = true, .timings = false});
  progress.phase_started(Phase::discover, 0);
  progress.phase_finished(Phase::discover, 12);
  progress.phase_started(Phase::files, 1);
  progress.item_started(Phase::files, "deploy/app.yaml");
  progress.item_finished(Phase::files, "deploy/app.yaml");
  progress.phase_finished(Phase::files, 1);
  progress.phase_started(Phase::charts, 1);
  progress.item_started(Phase::charts, "charts/api/");
  progress.item_finished(Phase::charts, "charts/api/");
  progress.phase_finished(Phase::charts, 1);
  EXPECT_EQ(r.text,
            "constable: discovering files\n"
            "constable: discovered 12 files\n"
            "constable: checking 1 file\n"
            "constable: checking deploy/app.yaml\n"
            "constable: checked 1 file\n"
            "constable: rendering 1 Helm chart\n"
            "constable: rendering chart charts/api/\n"
            "constable: rendered 1 Helm chart\n");
}

TEST(TerminalProgress, DebugAddsTimings) {
  Recorder r;
  auto progress = r.make({.status = ProgressSettings::Status::off, .terminal = false, .verbose = true, .timings = true});
  progress.phase_started(Phase::files, 1);
  progress.item_started(Phase::files, "a.yaml");
  r.now += std::chrono::milliseconds(12);
  progress.item_finished(Phase::files, "a.yaml");
  r.now += std::chrono::milliseconds(3);
  progress.phase_finished(Phase::files, 1);
  EXPECT_NE(r.text.find("constable: a.yaml done in 12.0 ms\n"), std::string::npos) << r.text;
  EXPECT_NE(r.text.find("constable: checked 1 file in 15.0 ms\n"), std::string::npos) << r.text;
}

TEST(TerminalProgress, InALogPrintsWholeLinesAtEveryTenth) {
  Recorder r;
  auto progress = r.make({.status = ProgressSettings::Status::always, .terminal = false, .verbose = false, .timings = false});
  progress.phase_started(Phase::files, 20);
  for (int i = 0; i < 20; ++i) progress.item_finished(Phase::files, "f");
  progress.phase_finished(Phase::files, 20);
  EXPECT_EQ(r.text.find('\r'), std::string::npos);
  EXPECT_NE(r.text.find("constable: checking 20 files\n"), std::string::npos);
  EXPECT_NE(r.text.find("constable: files 2/20\n"), std::string::npos);
  EXPECT_NE(r.text.find("constable: files 18/20\n"), std::string::npos);
  EXPECT_NE(r.text.find("constable: checked 20 files\n"), std::string::npos);
}

TEST(TerminalProgress, ControlCharactersInPathsCannotDriveTheTerminal) {
  Recorder r;
  auto progress = r.make({.status = ProgressSettings::Status::always, .terminal = true, .verbose = false, .timings = false});
  progress.phase_started(Phase::files, 1);
  r.now += std::chrono::seconds(1);
  progress.item_started(Phase::files, "evil\x1b]0;title\x07.yaml");
  EXPECT_EQ(r.text.find("\x1b]"), std::string::npos) << r.text;
  EXPECT_NE(r.text.find("evil?]0;title?.yaml"), std::string::npos) << r.text;
}

TEST(TerminalProgress, IsSafeFromManyThreads) {
  std::string text;
  TerminalProgress progress({.status = ProgressSettings::Status::off, .terminal = false, .verbose = true, .timings = true},
                            [&](std::string_view s) { text += s; });
  constexpr int kThreads = 4, kFiles = 200;
  progress.phase_started(Phase::files, kThreads * kFiles);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kFiles; ++i) {
        const std::string file = "t" + std::to_string(t) + "/f" + std::to_string(i);
        progress.item_started(Phase::files, file);
        progress.item_finished(Phase::files, file);
      }
    });
  for (auto& thread : threads) thread.join();
  progress.phase_finished(Phase::files, kThreads * kFiles);
  std::size_t lines = 0;
  for (char c : text) lines += c == '\n' ? 1 : 0;
  // A line to start, one per file started, one per file done, one to finish: none lost or torn.
  EXPECT_EQ(lines, 2u + 2u * kThreads * kFiles);
  EXPECT_NE(text.find("constable: checked 800 files in "), std::string::npos);
}

}  // namespace
}  // namespace constable::app
