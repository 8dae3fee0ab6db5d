#include <gtest/gtest.h>

#include "formats/gherkin/gherkin.hpp"

namespace constable::gherkin {
namespace {

TEST(Gherkin, ParsesFeatureRulesBackgroundOutlinesAndTags) {
  const Document doc = parse(R"(# language: en
@api @orders
Feature: Orders
  Orders are made from carts.

  Background:
    Given a customer

  Rule: Paying
    @smoke
    Scenario: Pay
      Given a cart
      When I pay
      Then an order exists
      And a receipt is sent

    Scenario Outline: Totals
      * a cart worth <total>
      Then the total is <total>

      Examples: small
        | total |
        | 10    |
)");
  ASSERT_TRUE(doc.ok()) << doc.errors.front().message;
  ASSERT_TRUE(doc.feature);
  EXPECT_EQ(doc.feature->name, "Orders");
  ASSERT_EQ(doc.feature->tags.size(), 2u);
  EXPECT_EQ(doc.feature->tags[1].name, "@orders");
  EXPECT_EQ(doc.feature->tags[1].column, 6);
  EXPECT_EQ(doc.feature->description, "Orders are made from carts.");
  ASSERT_TRUE(doc.feature->background);
  EXPECT_EQ(doc.feature->background->steps.size(), 1u);
  ASSERT_EQ(doc.feature->rules.size(), 1u);
  const Rule& rule = doc.feature->rules.front();
  ASSERT_EQ(rule.scenarios.size(), 2u);
  EXPECT_EQ(rule.scenarios[0].tags.front().name, "@smoke");
  EXPECT_EQ(rule.scenarios[0].steps.size(), 4u);
  EXPECT_EQ(rule.scenarios[0].line, 11);
  EXPECT_TRUE(rule.scenarios[1].outline);
  ASSERT_EQ(rule.scenarios[1].examples.size(), 1u);
  EXPECT_EQ(rule.scenarios[1].examples[0].table.size(), 2u);
  EXPECT_EQ(rule.scenarios[1].examples[0].table[0].cells[0], "total");
  EXPECT_EQ(all_scenarios(*doc.feature).size(), 2u);
}

TEST(Gherkin, DocStringsAndDataTablesBelongToTheirStep) {
  const Document doc = parse("Feature: F\n  Scenario: S\n    Given a body:\n      ```json\n      {\"a\": 1}\n"
                             "        indented\n      ```\n    Then rows:\n      | a\\|b | c\\\\ |\n      | 1 | 2 |\n"
                             "    And text:\n      \"\"\"\n      say \\\"\\\"\\\"\n      \"\"\"\n");
  ASSERT_TRUE(doc.ok()) << doc.errors.front().message << " at " << doc.errors.front().line;
  const Scenario& s = doc.feature->scenarios.front();
  ASSERT_EQ(s.steps.size(), 3u);
  ASSERT_TRUE(s.steps[0].doc_string);
  EXPECT_EQ(s.steps[0].doc_string->delimiter, "```");
  EXPECT_EQ(s.steps[0].doc_string->media_type, "json");
  EXPECT_EQ(s.steps[0].doc_string->content, "{\"a\": 1}\n  indented");
  ASSERT_EQ(s.steps[1].data_table.size(), 2u);
  EXPECT_EQ(s.steps[1].data_table[0].cells[0], "a|b");
  EXPECT_EQ(s.steps[1].data_table[0].cells[1], "c\\");
  EXPECT_EQ(s.steps[2].doc_string->content, "say \"\"\"");
}

TEST(Gherkin, ReportsErrorsWithLocationsAndKeepsParsing) {
  const Document doc = parse(R"(Feature: F
  Scenario: S
    Given a
    stray text
    Then b
  Scenario: T
    Given rows:
      | a | b |
      | 1 |
      | 2 | 3
    Then c
  Scenario Outline: O
    Given <x>
    Then y
)");
  ASSERT_EQ(doc.errors.size(), 4u);
  EXPECT_EQ(doc.errors[0].line, 4);
  EXPECT_EQ(doc.errors[0].column, 5);
  EXPECT_NE(doc.errors[0].message.find("unexpected text"), std::string::npos);
  EXPECT_EQ(doc.errors[1].line, 9);   // ragged row
  EXPECT_EQ(doc.errors[2].line, 10);  // unclosed row
  EXPECT_EQ(doc.errors[3].line, 12);  // outline without Examples
  EXPECT_EQ(doc.feature->scenarios.size(), 3u);
  EXPECT_EQ(doc.feature->scenarios[0].steps.size(), 2u);
}

TEST(Gherkin, StructuralErrors) {
  EXPECT_EQ(parse("").errors.front().message, "the file has no 'Feature:'");
  EXPECT_EQ(parse("Given a\n").errors.front().line, 1);
  const Document two = parse("Feature: A\nFeature: B\n");
  ASSERT_EQ(two.errors.size(), 1u);
  EXPECT_EQ(two.errors.front().line, 2);
  const Document late = parse("Feature: A\n  Scenario: S\n    Given a\n  Background:\n    Given b\n");
  ASSERT_EQ(late.errors.size(), 1u);
  EXPECT_EQ(late.errors.front().line, 4);
  const Document unclosed = parse("Feature: A\n  Scenario: S\n    Given a\n      \"\"\"\n      text\n");
  ASSERT_EQ(unclosed.errors.size(), 1u);
  EXPECT_EQ(unclosed.errors.front().line, 4);
  const Document dangling = parse("Feature: A\n  Scenario: S\n    Given a\n  @orphan\n");
  ASSERT_EQ(dangling.errors.size(), 1u);
  EXPECT_EQ(dangling.errors.front().line, 4);
  const Document french = parse("# language: fr\nFonctionnalité: X\n");
  EXPECT_NE(french.errors.front().message.find("only English"), std::string::npos);
  const Document examples = parse("Feature: A\n  Examples:\n");
  EXPECT_EQ(examples.errors.front().message, "'Examples:' outside a Scenario Outline");
}

TEST(Gherkin, OutcomeNeedsThenAndConjunctionsFollowTheirStep) {
  auto scenario = [](std::string_view steps) {
    const Document doc = parse("Feature: F\n  Scenario: S\n" + std::string(steps));
    EXPECT_TRUE(doc.ok());
    return doc.feature->scenarios.front();
  };
  EXPECT_TRUE(has_outcome(scenario("    Given a\n    When b\n    Then c\n")));
  EXPECT_TRUE(has_outcome(scenario("    Then c\n    And d\n    But e\n")));
  EXPECT_FALSE(has_outcome(scenario("    Given a\n    When b\n    And c\n")));
  EXPECT_FALSE(has_outcome(scenario("    * a\n    * b\n")));
  EXPECT_FALSE(has_outcome(scenario("")));
  const auto kinds = effective_kinds(scenario("    * a\n    Given b\n    But c\n    Then d\n    * e\n").steps);
  const std::vector<StepKind> expected = {StepKind::conjunction, StepKind::given, StepKind::given, StepKind::then,
                                          StepKind::then};
  EXPECT_EQ(kinds, expected);
}

TEST(Gherkin, AFileThatIsMostlyWrongGivesAFewErrorsNotOnePerLine) {
  std::string steps = "Feature: F\n  Scenario Outline: O\n    Given <a>\n    Examples:\n      | a |\n      | 1 |\n";
  for (int i = 0; i < 1000; ++i) steps += "    Given a step\n";
  const Document repeated = parse(steps);
  ASSERT_EQ(repeated.errors.size(), 1u);
  EXPECT_EQ(repeated.errors.front().line, 7);
  EXPECT_NE(repeated.errors.front().message.find("(and 999 more like it)"), std::string::npos)
      << repeated.errors.front().message;

  std::string tags = "Feature: F\n";
  for (int i = 0; i < 200; ++i) tags += "  @ok bad" + std::to_string(i) + "\n  Scenario: S" + std::to_string(i) + "\n";
  const Document distinct = parse(tags);
  ASSERT_EQ(distinct.errors.size(), 50u);
  EXPECT_NE(distinct.errors.back().message.find("150 more errors in the file not reported"), std::string::npos)
      << distinct.errors.back().message;
}

TEST(Gherkin, BadInputNeverCrashes) {
  for (std::string_view text : {"\"\"\"", "|", "@", "Feature:\n|a|\n", "Feature: x\n  Scenario: y\n    Given z\n```",
                                "\xef\xbb\xbf" "Feature: BOM\n", "Feature: x\r\n  Scenario: y\r\n    Then z\r\n"}) {
    const Document doc = parse(text);
    (void)doc;
  }
  const Document crlf = parse("Feature: x\r\n  Scenario: y\r\n    Then z\r\n");
  EXPECT_TRUE(crlf.ok());
  EXPECT_TRUE(has_outcome(crlf.feature->scenarios.front()));
}

}  // namespace
}  // namespace constable::gherkin
