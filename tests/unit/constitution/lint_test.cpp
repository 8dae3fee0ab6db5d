#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>

#include "constitution/lint.hpp"
#include "support/test_support.hpp"

namespace constable::constitution {
namespace {

const Date kToday = *Date::parse("2026-06-01");

LintResult must_lint(std::string_view markdown, const std::set<std::string, std::less<>>* enforced = nullptr) {
  LintOptions options;
  options.today = kToday;
  options.enforced_clause_ids = enforced;
  auto result = lint(markdown, "constitution.md", options);
  EXPECT_TRUE(result.has_value()) << (result ? std::string{} : result.error().to_string());
  return result ? std::move(*result) : LintResult{};
}

// "rule@line" for each finding, in order: what a test expects, and all of it.
std::vector<std::string> summary(const LintResult& result) {
  std::vector<std::string> out;
  for (const auto& f : result.findings) out.push_back(fmt::format("{}@{}", f.rule->id, f.line));
  return out;
}

const LintFinding* first_of(const LintResult& result, std::string_view rule_id) {
  for (const auto& f : result.findings)
    if (f.rule->id == rule_id) return &f;
  return nullptr;
}

constexpr std::string_view kFooter = "**Version**: 1.0.0 | **Ratified**: 2026-01-03 | **Last Amended**: 2026-01-03\n";

TEST(ConstitutionLint, RulesAreSortedUniqueAndDescribed) {
  const auto& rules = lint_rules();
  for (std::size_t i = 1; i < rules.size(); ++i) EXPECT_LT(rules[i - 1].id, rules[i].id);
  for (const auto& r : rules) {
    EXPECT_TRUE(r.id.starts_with("constitution/")) << r.id;
    EXPECT_FALSE(r.summary.empty()) << r.id;
  }
}

// docs/constitution-lifecycle.md's table is the rules' documentation: it
// must list every rule with its level and summary as the code has them.
TEST(ConstitutionLint, TheDocumentationListsEveryRule) {
  const std::string docs = testing::read_file(testing::source_dir() / "docs" / "constitution-lifecycle.md");
  for (const auto& r : lint_rules()) {
    const std::string row = fmt::format("| `{}` | {} | {} |", r.id, to_string(r.level), r.summary);
    EXPECT_NE(docs.find(row), std::string::npos) << "docs/constitution-lifecycle.md lacks the row\n" << row;
  }
}

TEST(ConstitutionLint, ACleanConstitutionHasNoFinding) {
  const std::string text = fmt::format("# C\n\n## Principles\n\n### I. One\nCode MUST be tested.\n\n### II. Two\n"
                                       "Secrets MUST NOT be committed.\n\n{}",
                                       kFooter);
  EXPECT_TRUE(summary(must_lint(text)).empty()) << fmt::format("{}", fmt::join(summary(must_lint(text)), ", "));
}

TEST(ConstitutionLint, UnfilledTemplateTokensAreErrorsOncePerTokenWithEveryLine) {
  const auto result = must_lint(
      "# [PROJECT_NAME] Constitution\n\n## Core Principles\n\n### [PRINCIPLE_1_NAME]\n[PRINCIPLE_1_DESCRIPTION]\n"
      "Code MUST be tested in [PROJECT_NAME].\n\n"
      "<!-- Example: [EXAMPLE_TOKEN] in guidance is not the document's -->\n"
      "```\n[CODE_TOKEN]\n```\n"
      "See [API_DOCS](https://example.com) and [REF_LINK].\n\n[REF_LINK]: https://example.com\n\n"
      "**Version**: 1.0.0 | **Ratified**: TODO(RATIFICATION_DATE): unknown | **Last Amended**: 2026-01-03\n");
  std::vector<std::string> tokens;
  for (const auto& f : result.findings)
    if (f.rule->id == "constitution/placeholder") tokens.push_back(f.message);
  ASSERT_EQ(tokens.size(), 5U) << fmt::format("{}", fmt::join(tokens, "\n"));
  EXPECT_EQ(tokens[0], "template token [PROJECT_NAME] is not filled in (also on line 7)");
  EXPECT_EQ(tokens[1], "template token [PRINCIPLE_1_NAME] is not filled in");
  EXPECT_EQ(tokens[2], "template token [PRINCIPLE_1_DESCRIPTION] is not filled in");
  EXPECT_EQ(tokens[3], "template token [REF_LINK] is not filled in");
  EXPECT_EQ(tokens[4], "TODO(RATIFICATION_DATE) marks a value still to be filled in");
  const LintFinding* first = first_of(result, "constitution/placeholder");
  EXPECT_EQ(first->line, 1);
  EXPECT_EQ(first->column, 3);
  EXPECT_EQ(first->rule->level, LintLevel::error);
}

TEST(ConstitutionLint, AnUnfilledTemplateWithNoClauseIsStillLinted) {
  const auto result = must_lint("# [PROJECT_NAME] Constitution\n\n### [PRINCIPLE_1_NAME]\n[PRINCIPLE_1_DESCRIPTION]\n");
  // A footer of tokens is the placeholder rule's alone.
  const auto footer = must_lint("# C\n\n## A\n- Code MUST be tested.\n\n**Version**: [CONSTITUTION_VERSION] | "
                                "**Ratified**: [RATIFICATION_DATE] | **Last Amended**: [LAST_AMENDED_DATE]\n");
  EXPECT_EQ(summary(footer), (std::vector<std::string>{"constitution/placeholder@6", "constitution/placeholder@6",
                                                       "constitution/placeholder@6"}));
  EXPECT_FALSE(result.constitution.has_value());
  EXPECT_EQ(summary(result), (std::vector<std::string>{"constitution/not-parsed@1", "constitution/version-footer@1",
                                                       "constitution/placeholder@1", "constitution/placeholder@3",
                                                       "constitution/placeholder@4"}));
}

TEST(ConstitutionLint, UnreadableTextIsAnErrorNotAFinding) {
  LintOptions options;
  options.today = kToday;
  EXPECT_FALSE(lint(std::string_view("a\0b", 3), "c.md", options).has_value());
  EXPECT_FALSE(lint("\xff\xfe MUST", "c.md", options).has_value());
  EXPECT_FALSE(lint("  \n", "c.md", options).has_value());
}

TEST(ConstitutionLint, TheSyncImpactReportMustNameTheFootersVersion) {
  const auto result = must_lint(
      "<!--\nSync Impact Report\nVersion change: 1.0.0 → 1.1.0\nTemplates requiring updates:\n"
      "- ✅ .specify/templates/plan-template.md\nFollow-up TODOs: None\n-->\n"
      "# C\n\n## A\n- Code MUST be tested.\n\n"
      "**Version**: 1.2.0 | **Ratified**: 2026-01-03 | **Last Amended**: 2026-02-03\n");
  EXPECT_EQ(summary(result), (std::vector<std::string>{"constitution/version-mismatch@13"}));
  EXPECT_EQ(result.findings[0].message,
            "the version footer says 1.2.0 but the Sync Impact Report (line 1) changes the version to 1.1.0");
}

TEST(ConstitutionLint, AVersionChangeThatDoesNotIncreaseIsAnError) {
  const auto result = must_lint(
      "<!-- SYNC IMPACT REPORT:\nVersion change: 2.0.0 → 1.9.0\n-->\n# C\n\n## A\n- Code MUST be tested.\n\n"
      "**Version**: 1.9.0 | **Ratified**: 2026-01-03 | **Last Amended**: 2026-02-03\n");
  EXPECT_EQ(summary(result), (std::vector<std::string>{"constitution/version-mismatch@1"}));
}

TEST(ConstitutionLint, PendingTemplatesAndFollowUpsAreListed) {
  const auto result = must_lint(
      "<!--\nSync Impact Report\nVersion change: 1.0.0 → 1.1.0\nTemplates requiring updates:\n"
      "- ✅ .specify/templates/plan-template.md\n- .specify/templates/spec-template.md ⚠ pending\n"
      "- ⚠️ .specify/templates/tasks-template.md\n"
      "Follow-up TODOs:\n- TODO(RATIFICATION_DATE): find the adoption date\n-->\n"
      "# C\n\n## A\n- Code MUST be tested.\n\n"
      "**Version**: 1.1.0 | **Ratified**: 2026-01-03 | **Last Amended**: 2026-02-03\n");
  ASSERT_EQ(summary(result), (std::vector<std::string>{"constitution/pending-follow-up@1",
                                                       "constitution/pending-follow-up@1"}));
  EXPECT_EQ(result.findings[0].message,
            "the Sync Impact Report still lists 2 templates to update: .specify/templates/spec-template.md, "
            ".specify/templates/tasks-template.md");
  EXPECT_EQ(result.findings[1].message,
            "the Sync Impact Report has 1 open follow-up TODO: TODO(RATIFICATION_DATE): find the adoption date");
}

TEST(ConstitutionLint, AnAmendmentWithoutASyncImpactReportIsAWarning) {
  EXPECT_EQ(summary(must_lint("# C\n\n## A\n- Code MUST be tested.\n\n**Version**: 1.1.0 | **Ratified**: 2026-01-03 | "
                              "**Last Amended**: 2026-02-03\n")),
            (std::vector<std::string>{"constitution/sync-impact-report@6"}));
  // Never amended: nothing to report.
  EXPECT_TRUE(summary(must_lint(fmt::format("# C\n\n## A\n- Code MUST be tested.\n\n{}", kFooter))).empty());
}

TEST(ConstitutionLint, FooterDatesMustBeIsoOrderedAndPast) {
  EXPECT_EQ(summary(must_lint("# C\n\n## A\n- Code MUST be tested.\n\n**Version**: 1.0.0 | **Ratified**: June 1, 2025 | "
                              "**Last Amended**: 2026-01-03\n")),
            (std::vector<std::string>{"constitution/date@6"}));
  const auto backwards = must_lint(
      "# C\n\n## A\n- Code MUST be tested.\n\n**Version**: 1.0.0 | **Ratified**: 2026-03-01 | "
      "**Last Amended**: 2026-02-01\n");
  ASSERT_NE(first_of(backwards, "constitution/date"), nullptr);
  EXPECT_EQ(first_of(backwards, "constitution/date")->message, "last amended 2026-02-01 before it was ratified (2026-03-01)");
  const auto future = must_lint(
      "# C\n\n## A\n- Code MUST be tested.\n\n**Version**: 1.0.0 | **Ratified**: 2027-03-01 | "
      "**Last Amended**: 2027-03-01\n");
  ASSERT_EQ(summary(future), (std::vector<std::string>{"constitution/date@6", "constitution/date@6"}));
  EXPECT_EQ(future.findings[0].message, "ratified 2027-03-01, after today (2026-06-01)");
}

TEST(ConstitutionLint, AMissingOrMalformedFooterIsAWarning) {
  EXPECT_EQ(summary(must_lint("# C\n\n## A\n- Code MUST be tested.\n")),
            (std::vector<std::string>{"constitution/version-footer@1"}));
  // A footer in another language is a footer, only not one constable reads.
  EXPECT_TRUE(summary(must_lint("# C\n\n## A\n- Code MUST be tested.\n\n**版本**：1.0.0 | **批准日期**：2026-03-29\n"))
                  .empty());
  EXPECT_TRUE(summary(must_lint("# C\n**Version:** 1.1.0  \n**Ratified:** 2026-06-08\n\n## A\n- Code MUST be tested.\n")).empty());
  EXPECT_TRUE(summary(must_lint("# C\n\n> 版本：1.0.0\n\n## A\n- Code MUST be tested.\n")).empty());
  // A stack's versions are not the constitution's.
  EXPECT_EQ(summary(must_lint("# C\n\n## A\n- Code MUST be tested.\n- Python: 3.11.4\n")),
            (std::vector<std::string>{"constitution/version-footer@1"}));
  EXPECT_EQ(summary(must_lint("# C\n\n## A\n- Code MUST be tested.\n\n**Version**: 2.0 | **Ratified**: 2026-01-03\n")),
            (std::vector<std::string>{"constitution/version-footer@6"}));
}

TEST(ConstitutionLint, APrincipleWithoutAKeywordAmongPrinciplesWithOneIsAWarning) {
  const std::string text = fmt::format(
      "# C\n\n## Core Principles\n\n### I. Tests\nCode MUST be tested.\n\n### II. Speed\n"
      "Quality takes precedence over speed. Debt is a violation.\n\n### III. Security\n"
      "Secrets MUST NOT be committed. Rationale: leaks are forever.\n\n### IV. Logs\nLogs MUST be structured.\n\n"
      "## Overview\nThis is prose.\n\n{}",
      kFooter);
  const auto result = must_lint(text);
  ASSERT_EQ(summary(result), (std::vector<std::string>{"constitution/no-modal-verb@9"}));
  EXPECT_EQ(result.findings[0].message,
            "'II. Speed' states no MUST, SHALL or other RFC 2119 keyword, unlike 3 of its 3 sibling sections: is "
            "\"Quality takes precedence over speed.\" binding?");
}

TEST(ConstitutionLint, SiblingsWithOnlyRuleItemsDoNotMakeProseAPrinciple) {
  // Governance's items state no keyword: they do not show what Workflow should have said.
  const std::string text = fmt::format(
      "# C\n\n## Constraints\nInterfaces MUST stay small.\n\n## Workflow\nWork in small changes.\n\n"
      "## Governance\n- Reviews check simplicity\n- Retention: 7 years\n\n{}",
      kFooter);
  EXPECT_TRUE(summary(must_lint(text)).empty());
}

TEST(ConstitutionLint, IntroductionsRuleListsAndFewSiblingsAreNotPrinciplesWithoutKeywords) {
  const std::string principles = "### I. A\nA MUST a.\n\n### II. B\nB MUST b.\n\n### III. C\nC MUST c.\n\n";
  // Rules stated as a list of its own.
  EXPECT_TRUE(summary(must_lint(fmt::format("# C\n\n## P\n\n{}### IV. D\nD matters.\n\n- ROADMAP.md lists phases\n\n{}",
                                            principles, kFooter)))
                  .empty());
  // An introduction to its subsections.
  EXPECT_TRUE(summary(must_lint(fmt::format("# C\n\n## P\n\n{}### IV. D\nD matters.\n\n#### Details\nD MUST d.\n\n{}",
                                            principles, kFooter)))
                  .empty());
  // Two siblings with keywords are not yet a pattern.
  EXPECT_TRUE(summary(must_lint(fmt::format("# C\n\n## P\n\n### I. A\nA MUST a.\n\n### II. B\nB MUST b.\n\n"
                                            "### III. C\nC matters.\n\n{}",
                                            kFooter)))
                  .empty());
}

TEST(ConstitutionLint, ProseAmongProseIsNotFlagged) {
  // Only one sibling has a keyword: the section is an overview, not a principle.
  const std::string text = fmt::format(
      "# C\n\n## Purpose\nWhy we exist.\n\n## Scope\nWhat we cover.\n\n## Rules\n- Code MUST be tested.\n\n{}", kFooter);
  EXPECT_TRUE(summary(must_lint(text)).empty());
}

TEST(ConstitutionLint, LowerCaseMustIsOneWarningWithEveryLine) {
  const std::string text = fmt::format(
      "# C\n\n## Principles\n\n### I. Security\nAll data must be encrypted. Humans should decide.\n\n"
      "## Constraints\n- APIs must be versioned\n- Logs MUST be structured\n- Retention: 7 years\n"
      "- Rationale: users must trust us\n- Session lifetime: 8 hours (user must re-auth)\n"
      "- The prefix signals \"must never merge\"\n\n**Rationale**: Players must trust the rules.\n\n{}",
      kFooter);
  const auto result = must_lint(text);
  ASSERT_EQ(summary(result), (std::vector<std::string>{"constitution/lower-case-keyword@6"}));
  EXPECT_EQ(result.findings[0].message,
            "2 sentences say 'must' or 'shall' in lower case (lines 6, 9): RFC 8174 reads only MUST and SHALL as "
            "requirements, so constable does not take them as one; write MUST or SHALL where a rule is meant, e.g. "
            "\"All data must be encrypted.\"");
}

TEST(ConstitutionLint, TwoNumbersForOneSubjectAreAWarning) {
  const std::string text = fmt::format(
      "# C\n\n## Testing\n- Unit Tests: Minimum 80% code coverage\n- P50 latency: < 100ms\n- P95 latency: < 500ms\n"
      "- Critical vulnerabilities MUST be patched within 7 days\n- High vulnerabilities MUST be patched within 30 days\n\n"
      "## Quality\n- Code coverage MUST be at least 70%\n- Critical vulnerabilities MUST be patched within 1 week\n\n{}",
      kFooter);
  const auto result = must_lint(text);
  ASSERT_EQ(summary(result), (std::vector<std::string>{"constitution/conflicting-parameters@11"}));
  EXPECT_EQ(result.findings[0].message,
            "\"Code coverage MUST be at least 70%\" says 70% where line 4 says 80% (\"Unit Tests: Minimum 80% code "
            "coverage\"): which one holds?");
}

TEST(ConstitutionLint, RepeatedListLabelsAreNotRepeatedClauses) {
  const std::string text = fmt::format(
      "# C\n\n## A\n- Rules:\n  - A MUST a.\n\n## B\n- Rules:\n  - B MUST b.\n\n{}", kFooter);
  EXPECT_TRUE(summary(must_lint(text)).empty());
}

TEST(ConstitutionLint, ARepeatedClauseIsAWarningAtTheRepeat) {
  const std::string text = fmt::format(
      "# C\n\n## A\n- Code MUST be tested.\n\n## B\n- code MUST be tested\n\n{}", kFooter);
  const auto result = must_lint(text);
  ASSERT_EQ(summary(result), (std::vector<std::string>{"constitution/duplicate-clause@7"}));
  EXPECT_EQ(result.findings[0].message, "repeats the clause on line 4 (in 'C > A'): \"code MUST be tested\"");
}

TEST(ConstitutionLint, PermissionsAndClausesAboutPeopleAreNotes) {
  const std::string text = fmt::format(
      "# C\n\n## A\n- Non-critical paths MAY use adaptive sampling\n- Team members MUST complete security training\n"
      "- Only public configuration MAY enter the bundle\n- Tests MAY use a PRNG; never production\n"
      "- Model training MUST run as a Celery task\n- SLO compliance MUST be reviewed monthly\n"
      "- Chaos testing MUST be performed quarterly\n- Quarterly review of the constitution (add to ROADMAP.md)\n\n"
      "## Remediation Timelines\n- Low: Next sprint or quarterly cleanup\n\n{}",
      kFooter);
  const auto result = must_lint(text);
  ASSERT_EQ(summary(result), (std::vector<std::string>{"constitution/unenforceable@4", "constitution/attestation-only@5",
                                                       "constitution/attestation-only@9"}));
  for (const auto& f : result.findings) EXPECT_EQ(f.rule->level, LintLevel::note);
  EXPECT_EQ(result.findings[2].message,
            "only an attestation can show \"SLO compliance MUST be reviewed monthly\": it asks for a monthly review "
            "or meeting, which leaves no file behind");
  // A clause a check enforces is not attestation-only, whatever its words.
  std::set<std::string, std::less<>> enforced{result.findings[1].clause_id};
  EXPECT_EQ(summary(must_lint(text, &enforced)),
            (std::vector<std::string>{"constitution/unenforceable@4", "constitution/attestation-only@9"}));
}

TEST(ConstitutionLint, TheReferenceConstitutionsRealProblems) {
  const auto path = testing::shared_file("reference-constitution.md");
  if (!path) GTEST_SKIP() << "../shared/reference-constitution.md is absent";
  std::ifstream in(*path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  const auto result = must_lint(buffer.str());
  std::vector<std::string> problems;
  for (const auto& f : result.findings)
    if (f.rule->level != LintLevel::note) problems.push_back(fmt::format("{}@{}", f.rule->id, f.line));
  EXPECT_EQ(problems, (std::vector<std::string>{"constitution/pending-follow-up@1", "constitution/no-modal-verb@22",
                                                "constitution/no-modal-verb@34"}));
  EXPECT_NE(first_of(result, "constitution/unenforceable"), nullptr);
  EXPECT_NE(first_of(result, "constitution/attestation-only"), nullptr);
}

}  // namespace
}  // namespace constable::constitution
