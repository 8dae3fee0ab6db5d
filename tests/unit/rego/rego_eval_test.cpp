// What the case files cannot say: limits that keep a runaway policy from
// hanging a run, and one policy evaluated from several threads at once.

#include <thread>

#include <gtest/gtest.h>

#include "rego/compiler.hpp"
#include "rego/eval.hpp"
#include "rego/parser.hpp"

namespace constable::rego {
namespace {

std::shared_ptr<const Policy> compiled(std::string_view text) {
  auto module = parse_module(text, "policy.rego");
  EXPECT_TRUE(module.has_value()) << module.error().to_string();
  std::vector<Module> modules;
  modules.push_back(std::move(*module));
  auto policy = compile(std::move(modules));
  EXPECT_TRUE(policy.has_value()) << policy.error().to_string();
  return *policy;
}

TEST(RegoEval, ARunawayPolicyStopsAtTheStepBudgetWithItsLocation) {
  const auto policy = compiled(
      "package test\n"
      "p := count([1 | some a in numbers.range(1, 900); some b in numbers.range(1, 900)])\n");
  EvalOptions options;
  options.max_steps = 10'000;
  Evaluator evaluator(*policy, Value::empty_object(), std::nullopt, options);
  auto document = evaluator.document({"test", "p"});
  ASSERT_FALSE(document.has_value());
  EXPECT_NE(document.error().message.find("evaluation stopped after 10000 steps"), std::string::npos)
      << document.error().to_string();
  EXPECT_EQ(document.error().path, "policy.rego");
  EXPECT_EQ(document.error().line, 2);

  // The same policy within a budget large enough for it.
  options.max_steps = 10'000'000;
  Evaluator enough(*policy, Value::empty_object(), std::nullopt, options);
  auto counted = enough.document({"test", "p"});
  ASSERT_TRUE(counted.has_value()) << counted.error().to_string();
  EXPECT_EQ(**counted, Value::integer(810'000));
}

TEST(RegoEval, OnePolicyEvaluatesOnSeveralThreadsAtOnce) {
  const auto policy = compiled(
      "package test\nimport rego.v1\n"
      "deny contains msg if { some c in input.containers; not c.limits; msg := sprintf(\"%s has no limits\", [c.name]) }\n");
  std::vector<std::thread> threads;
  std::vector<std::size_t> counts(4, 0);
  for (std::size_t t = 0; t < counts.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        auto input = parse_json(R"({"containers": [{"name": "a"}, {"name": "b", "limits": {}}, {"name": "c"}]})");
        Evaluator evaluator(*policy, Value::empty_object(), input);
        auto document = evaluator.document({"test", "deny"});
        if (document && *document) counts[t] += (**document).size();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (auto count : counts) EXPECT_EQ(count, 400U);
}

TEST(RegoParse, ErrorsNameLineAndColumn) {
  auto module = parse_module("package test\n\np := {\n  \"a\": 1,\n  \"b\" 2\n}\n", "x.rego");
  ASSERT_FALSE(module.has_value());
  EXPECT_EQ(module.error().to_string(), "x.rego:5:7: unexpected number 2, expected :");
}

TEST(RegoParse, MetadataBlocksAttachToTheRuleBelow) {
  auto module = parse_module(
      "# METADATA\n# title: Topics\n# custom:\n#   clause: x\npackage test\n\n# METADATA\n# title: rule\ndeny contains 1\n",
      "x.rego");
  ASSERT_TRUE(module.has_value()) << module.error().to_string();
  ASSERT_EQ(module->annotations.size(), 2U);
  EXPECT_EQ(module->annotations[0].scope, "package");
  EXPECT_EQ(module->annotations[0].yaml, "title: Topics\ncustom:\n  clause: x\n");
  EXPECT_EQ(module->annotations[1].scope, "rule");
  EXPECT_EQ(module->annotations[1].rule_path, (std::vector<std::string>{"test", "deny"}));
}

}  // namespace
}  // namespace constable::rego
