#pragma once
// Gherkin (.feature files), English keywords only: a `# language:` header
// naming another language is reported as an error rather than parsed with
// the wrong keywords. Feature, Rule, Background, Scenario/Example, Scenario
// Outline/Template with Examples/Scenarios tables, Given/When/Then/And/But/*
// steps, tags, doc strings (""" and ```, with an optional media type),
// data tables, comments and free-form descriptions.
//
// The parser never stops at the first problem: every error carries a line
// and column, and whatever parsed is kept.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace constable::gherkin {

struct Tag {
  std::string name;  // "@smoke"
  int line = 0;
  int column = 0;
};

struct TableRow {
  std::vector<std::string> cells;
  int line = 0;
};

struct DocString {
  std::string delimiter;   // """ or ```
  std::string media_type;  // "json" in ```json, "" if none
  std::string content;     // with the opening line's indentation removed
  int line = 0;
};

// And, But and * take the meaning of the step before them.
enum class StepKind : std::uint8_t { given, when, then, conjunction };

struct Step {
  std::string keyword;  // "Given", "And", "*", ...
  StepKind kind = StepKind::given;
  std::string text;
  int line = 0;
  int column = 0;
  std::optional<DocString> doc_string{};
  std::vector<TableRow> data_table{};
};

struct Examples {
  std::string keyword;  // "Examples" or "Scenarios"
  std::string name;
  std::vector<Tag> tags;
  std::vector<TableRow> table;  // header row first
  int line = 0;
};

struct Scenario {
  std::string keyword;  // "Scenario", "Example", "Scenario Outline", "Scenario Template"
  std::string name;
  bool outline = false;  // an outline keyword, or a scenario with Examples
  std::vector<Tag> tags;
  std::string description;
  std::vector<Step> steps;
  std::vector<Examples> examples;
  int line = 0;
  int column = 0;
};

struct Background {
  std::string name;
  std::vector<Step> steps;
  int line = 0;
};

struct Rule {
  std::string name;
  std::vector<Tag> tags;
  std::string description;
  std::optional<Background> background{};
  std::vector<Scenario> scenarios;
  int line = 0;
};

struct Feature {
  std::string name;
  std::vector<Tag> tags;
  std::string description;
  std::optional<Background> background{};
  std::vector<Scenario> scenarios;  // those outside any Rule
  std::vector<Rule> rules;
  int line = 0;
  int column = 0;
};

struct ParseError {
  std::string message;
  int line = 0;
  int column = 0;
};

struct Document {
  std::optional<Feature> feature{};
  std::vector<ParseError> errors;
  std::string language = "en";
  bool ok() const { return errors.empty(); }
};

Document parse(std::string_view text);

// The step kinds with conjunctions resolved to the kind before them (a
// leading conjunction stays a conjunction).
std::vector<StepKind> effective_kinds(const std::vector<Step>& steps);
// Whether a scenario states an expected outcome: a Then step, or an
// And/But/* that follows one.
bool has_outcome(const Scenario& scenario);
// Every scenario of the feature, those inside rules included, in file order.
std::vector<const Scenario*> all_scenarios(const Feature& feature);

}  // namespace constable::gherkin
