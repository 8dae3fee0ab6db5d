// A constitution found in the repository is read like any repository file
// (bounded, regular, confined), and parsing it stays linear in its size.

#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "constitution/model.hpp"
#include "support/test_support.hpp"

namespace constable::constitution {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

constexpr std::string_view kSmall = "# C\n## Docker\n- Non-root user MUST be specified\n";

TEST(ConstitutionUntrusted, HugeFileIsRefusedWithItsSize) {
  TempDir dir;
  const auto file = dir.write("CONSTITUTION.md", kSmall);
  fs::resize_file(file, 400ULL * 1024 * 1024);  // sparse: nothing is read
  const auto loaded = load(file);
  ASSERT_FALSE(loaded);
  EXPECT_NE(loaded.error().message.find("too large (400.0 MiB, limit 10.0 MiB)"), std::string::npos)
      << loaded.error().to_string();
}

TEST(ConstitutionUntrusted, FifoIsRefusedWithoutBlocking) {
  TempDir dir;
  const auto fifo = dir.path() / "CONSTITUTION.md";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const auto loaded = load(fifo, dir.path());
  ASSERT_FALSE(loaded);
  EXPECT_NE(loaded.error().message.find("FIFO"), std::string::npos) << loaded.error().to_string();
}

TEST(ConstitutionUntrusted, ConfinedToTheRepositoryWhenTheRepositoryNamesIt) {
  TempDir repo;
  TempDir outside;
  const auto elsewhere = outside.write("C.md", kSmall);
  fs::create_symlink(elsewhere, repo.path() / "CONSTITUTION.md");
  const auto confined = load(repo.path() / "CONSTITUTION.md", repo.path());
  ASSERT_FALSE(confined);
  EXPECT_NE(confined.error().message.find("outside the repository"), std::string::npos)
      << confined.error().to_string();
  // Named by the user (--constitution): anywhere.
  EXPECT_TRUE(load(repo.path() / "CONSTITUTION.md"));
  // Inside pointing inside: followed.
  repo.write("docs/rules.md", kSmall);
  fs::create_symlink("docs/rules.md", repo.path() / "link.md");
  const auto inside = load(repo.path() / "link.md", repo.path());
  EXPECT_TRUE(inside) << inside.error().to_string();
}

// 50,000 headings, each with a clause: the work per heading and per clause
// is constant. (It was not: 14 s end to end.) The bound only catches a
// blow-up; the debug build takes well under a second.
TEST(ConstitutionUntrusted, FiftyThousandHeadingsParseInLinearTime) {
  std::string markdown = "# Constitution\n";
  for (int i = 0; i < 50000; ++i)
    markdown += fmt::format("{} Section {}\n\n- Rule {} MUST hold\n\n", std::string(static_cast<std::size_t>(2 + i % 5), '#'), i, i);
  const auto start = std::chrono::steady_clock::now();
  const auto parsed = parse(markdown, "big.md");
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(parsed) << parsed.error().to_string();
  EXPECT_EQ(parsed->sections.size(), 50001u);
  ASSERT_EQ(parsed->clauses.size(), 50000u);
  EXPECT_LT(elapsed, std::chrono::duration<double>(20 * ::constable::testing::kSanitizerSlowdown));
  std::cout << "[          ] 50,000 headings and clauses parsed in "
            << std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count() << " ms\n";
  // What is worked out once per heading is still right for every clause.
  const Clause& last = parsed->clauses.back();
  EXPECT_EQ(last.section_path.back(), "Section 49999");
  EXPECT_EQ(last.id, "section-49998/section-49999/rule-49999-must-hold");
  EXPECT_EQ(parsed->clauses[5].section_path.size(), 2u);  // level 2 again: the stack was unwound
}

TEST(ConstitutionUntrusted, GlossaryAndPrefixFollowTheHeadings) {
  const auto parsed = parse(
      "# C\n## Glossary\n- Term MUST mean x\n## Docker\n### Builds\n- Builds MUST be reproducible\n"
      "## Definitions\n- A MUST b\n## Helm\n- Charts MUST lint\n",
      "c.md");
  ASSERT_TRUE(parsed) << parsed.error().to_string();
  ASSERT_EQ(parsed->clauses.size(), 2u);
  EXPECT_EQ(parsed->clauses[0].id, "docker/builds/builds-must-be-reproducible");
  EXPECT_EQ(parsed->clauses[1].id, "helm/charts-must-lint");
  EXPECT_EQ(parsed->clauses[1].section_path, (std::vector<std::string>{"C", "Helm"}));
}

// A lead-in knows the clauses of its list, so that what it covers is found
// without scanning the whole constitution for each lead-in.
TEST(ConstitutionUntrusted, LeadInsCountTheClausesOfTheirList) {
  const auto parsed = parse(
      "# C\n## Project\nEvery project MUST include:\n- a README\n- tests, which MUST cover:\n  - units\n  - contracts\n"
      "- a licence\n\nThe team SHOULD review.\n",
      "c.md");
  ASSERT_TRUE(parsed) << parsed.error().to_string();
  const auto& clauses = parsed->clauses;
  ASSERT_EQ(clauses.size(), 7u);
  EXPECT_EQ(clauses[0].text, "Every project MUST include:");
  EXPECT_EQ(clauses[0].list_clauses, 5u);  // README, tests (and its two items), licence
  EXPECT_EQ(clauses[2].text, "tests, which MUST cover:");
  EXPECT_EQ(clauses[2].list_clauses, 2u);
  EXPECT_EQ(clauses[1].list_clauses, 0u);
  EXPECT_EQ(clauses[6].list_clauses, 0u);
}

}  // namespace
}  // namespace constable::constitution
