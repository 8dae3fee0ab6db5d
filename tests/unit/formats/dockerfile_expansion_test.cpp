// Variable expansion is bounded: a value that doubles at each ARG cannot grow
// past kMaxExpandedValueBytes, all expansions of a file copy at most
// kMaxExpansionBytes, and the first value stopped is a located parse error.

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "formats/dockerfile/dockerfile.hpp"

namespace constable::dockerfile {
namespace {

// `ARG A1=<16 bytes>` then `ARG An=$A(n-1)$A(n-1)` up to A`levels`: An holds 16 * 2^(n-1) bytes.
std::string doubling_args(int levels, const char* keyword = "ARG") {
  std::string text = std::string(keyword) + " A1=0123456789abcdef\n";
  for (int i = 2; i <= levels; ++i)
    text += std::string(keyword) + " A" + std::to_string(i) + "=$A" + std::to_string(i - 1) + "$A" +
            std::to_string(i - 1) + "\n";
  return text;
}

const ParseError* limit_error(const Dockerfile& df) {
  for (const ParseError& e : df.errors)
    if (e.message.find("expansion limit") != std::string::npos) return &e;
  return nullptr;
}

TEST(DockerfileExpansionLimits, GlobalArgBombIsReportedWhereTheLimitIsReached) {
  // A13 holds exactly 64 KiB (allowed); A14 would hold 128 KiB.
  const std::string text = doubling_args(40) + "FROM ubuntu:$A40\nRUN echo $A13\n";
  const auto df = Dockerfile::parse(text);
  const ParseError* error = limit_error(df);
  ASSERT_NE(error, nullptr);
  EXPECT_EQ(error->line, 14);
  EXPECT_EQ(error->column, 5);
  EXPECT_NE(error->message.find("ARG 'A14' expands to more than 65536 bytes"), std::string::npos) << error->message;
  EXPECT_EQ(df.global_arg_defaults().at("A13").size(), kMaxExpandedValueBytes);
  // A14 and everything built from it are unknown, not empty.
  EXPECT_FALSE(df.global_arg_defaults().contains("A14"));
  EXPECT_FALSE(df.global_arg_defaults().contains("A40"));
  // The rest of the file is still parsed.
  ASSERT_EQ(df.stages.size(), 1u);
  EXPECT_TRUE(df.stages[0].unresolved);
  EXPECT_EQ(df.instructions.back().keyword, "RUN");
}

TEST(DockerfileExpansionLimits, StageArgAndEnvBombsAreReported) {
  for (const char* keyword : {"ARG", "ENV"}) {
    const std::string text = "FROM alpine:3.20\n" + doubling_args(40, keyword) + "USER $A40\n";
    const auto df = Dockerfile::parse(text);
    const ParseError* error = limit_error(df);
    ASSERT_NE(error, nullptr) << keyword;
    EXPECT_EQ(error->line, 15) << keyword;
    EXPECT_NE(error->message.find(std::string(keyword) + " 'A14'"), std::string::npos) << error->message;

    // What a check sees: the value is unknown, the words using it unresolved.
    VariableScope scope(df);
    scope.enter_stage(false);
    for (const auto& instruction : df.instructions) scope.apply(instruction);
    bool unresolved = false;
    EXPECT_EQ(scope.expand("$A40", &unresolved), "");
    EXPECT_TRUE(unresolved);
    EXPECT_EQ(scope.variables().at("A13").size(), kMaxExpandedValueBytes);
    ASSERT_TRUE(scope.limit_error().has_value());
    EXPECT_EQ(scope.limit_error()->line, 15);
  }
}

TEST(DockerfileExpansionLimits, TotalExpansionPerFileIsBounded) {
  // A12 holds 32 KiB; each copy of it is within the value limit, but 200
  // copies (6.4 MiB) are not within the file's budget.
  std::string text = doubling_args(12) + "FROM alpine:3.20\nARG A12\n";
  for (int i = 0; i < 200; ++i) text += "ARG B" + std::to_string(i) + "=$A12\n";
  text += "USER nobody\n";
  const auto df = Dockerfile::parse(text);
  const ParseError* error = limit_error(df);
  ASSERT_NE(error, nullptr);
  EXPECT_NE(error->message.find("copies more than 4194304 bytes"), std::string::npos) << error->message;
  // The stage's scope fits 4 MiB / 32 KiB = 128 copies: the 129th (B128) fails.
  EXPECT_EQ(error->line, 12 + 2 + 128 + 1);
  EXPECT_NE(error->message.find("ARG 'B128'"), std::string::npos) << error->message;
  EXPECT_EQ(df.instructions.back().keyword, "USER");
}

TEST(DockerfileExpansionLimits, OrdinaryFilesAreUnaffected) {
  const auto df = Dockerfile::parse(
      "ARG BASE=python\nARG TAG=3.12\nFROM ${BASE}:${TAG}-slim AS build\nENV HOME=/app PATH=$HOME/bin:$PATH\n"
      "FROM build\nARG TAG\nUSER ${TAG:-app}\n");
  EXPECT_TRUE(df.errors.empty()) << df.errors.front().message;
  EXPECT_EQ(df.stages[0].resolved_image, "python:3.12-slim");
}

TEST(DockerfileExpansionLimits, AWordPastALimitIsLeftAsWrittenAndUnresolved) {
  const std::map<std::string, std::string> vars{{"A", std::string(40000, 'a')}, {"S", "short"}};
  bool unresolved = false;
  // Without a budget a single word is still bounded.
  EXPECT_EQ(expand_variables("$A$A", vars, '\\', &unresolved), "$A$A");
  EXPECT_TRUE(unresolved);
  EXPECT_EQ(expand_variables("${X:-$A$A}", vars, '\\', &unresolved), "${X:-$A$A}");
  EXPECT_TRUE(unresolved);
  EXPECT_EQ(expand_variables("$A", vars, '\\', &unresolved).size(), 40000u);
  EXPECT_FALSE(unresolved);

  ExpansionBudget budget;
  budget.remaining = 50000;
  EXPECT_EQ(expand_variables("$A", vars, '\\', &unresolved, &budget).size(), 40000u);
  EXPECT_EQ(budget.remaining, 10000u);
  EXPECT_EQ(expand_variables("x$A", vars, '\\', &unresolved, &budget), "x$A");
  EXPECT_TRUE(unresolved);
  EXPECT_EQ(budget.words_past_budget, 1u);
  EXPECT_EQ(budget.values_too_large, 0u);
  EXPECT_EQ(expand_variables("$S", vars, '\\', &unresolved, &budget), "short");
  EXPECT_FALSE(unresolved);
  EXPECT_EQ(budget.overflows(), 1u);

  ExpansionBudget fresh;
  EXPECT_EQ(expand_variables("$A$A", vars, '\\', &unresolved, &fresh), "$A$A");
  EXPECT_TRUE(unresolved);
  EXPECT_EQ(fresh.values_too_large, 1u);
  EXPECT_EQ(fresh.words_past_budget, 0u);
}

}  // namespace
}  // namespace constable::dockerfile
