#include "core/subprocess.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace constable::subprocess {
namespace {

using namespace std::chrono_literals;

TEST(Subprocess, ReturnsExitCodeAndBothOutputs) {
  const auto outcome = run({"/bin/sh", "-c", "echo out; echo err >&2; exit 3"});
  ASSERT_TRUE(outcome) << outcome.error().to_string();
  EXPECT_EQ(outcome->exit_code, 3);
  EXPECT_EQ(outcome->signal, 0);
  EXPECT_FALSE(outcome->timed_out);
  EXPECT_EQ(outcome->out, "out\n");
  EXPECT_EQ(outcome->err, "err\n");
}

TEST(Subprocess, KillsAChildThatOutlivesItsDeadline) {
  const auto started = std::chrono::steady_clock::now();
  Options options;
  options.timeout = 200ms;
  const auto outcome = run({"/bin/sh", "-c", "exec sleep 30"}, options);
  ASSERT_TRUE(outcome);
  EXPECT_TRUE(outcome->timed_out);
  EXPECT_EQ(outcome->signal, 9);
  EXPECT_EQ(outcome->exit_code, -1);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
}

TEST(Subprocess, KeepsOnlyTheFirstBytesOfALargeOutput) {
  Options options;
  options.max_output_bytes = 100;
  const auto outcome = run({"/bin/sh", "-c", "head -c 1000000 /dev/zero"}, options);
  ASSERT_TRUE(outcome);
  EXPECT_EQ(outcome->exit_code, 0);  // the child is not blocked on a full pipe
  EXPECT_EQ(outcome->out.size(), 100U);
}

TEST(Subprocess, AddsEnvironmentEntriesAndReadsNothingFromStdin) {
  Options options;
  options.environment = {"CONSTABLE_TEST_VALUE=a b"};
  const auto outcome = run({"/bin/sh", "-c", "printf '%s' \"$CONSTABLE_TEST_VALUE\"; cat"}, options);
  ASSERT_TRUE(outcome);
  EXPECT_EQ(outcome->out, "a b");
}

TEST(Subprocess, AProgramThatCannotStartIsAnError) {
  const auto outcome = run({"/nonexistent/program"});
  ASSERT_FALSE(outcome);
  EXPECT_NE(outcome.error().message.find("cannot start /nonexistent/program"), std::string::npos);
  EXPECT_FALSE(run({}));
}

TEST(Subprocess, FindsItsOwnExecutable) {
  const auto self = self_executable();
  ASSERT_TRUE(self);
  EXPECT_FALSE(self->empty());
}

}  // namespace
}  // namespace constable::subprocess
