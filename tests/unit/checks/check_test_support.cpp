#include "unit/checks/check_test_support.hpp"

#include <gtest/gtest.h>

#include "app/app.hpp"

#include <fmt/format.h>
#include <stdexcept>

#include "engine/plan.hpp"

#include "core/text.hpp"
#include "support/test_support.hpp"

namespace constable::testing {

TestFileContext::TestFileContext(std::string path, std::string text, engine::Config config, FileKind kind)
    : text_(std::move(text)), config_(std::move(config)) {
  file_.path = std::move(path);
  file_.absolute = file_.path;
  file_.size = text_.size();
  file_.kind = kind;
  lines_ = text::split_lines(text::strip_bom(text_));
}

const dockerfile::Dockerfile& TestFileContext::dockerfile() const {
  if (!dockerfile_) dockerfile_ = dockerfile::Dockerfile::parse(text_);
  return *dockerfile_;
}

const yaml::Stream& TestFileContext::yaml() const {
  if (!yaml_) yaml_ = yaml::parse(text_);
  return *yaml_;
}

const code::Module* TestFileContext::code() const {
  if (!code_) code_ = code::build_module_for(file_.path, text_);
  return *code_ ? &**code_ : nullptr;
}

namespace {

class CollectingEmitter final : public engine::Emitter {
 public:
  CollectingEmitter(std::string id, std::vector<Emitted>& out) : id_(std::move(id)), out_(out) {}
  void emit(engine::Emission emission) override { out_.push_back({id_, std::move(emission)}); }

 private:
  std::string id_;
  std::vector<Emitted>& out_;
};

}  // namespace

const constitution::Constitution& reference_constitution() {
  static const constitution::Constitution parsed = [] {
    const auto file = shared_file("reference-constitution.md")
                          .value_or(fixtures_dir() / "constitution" / "reference-excerpt.md");
    auto loaded = constitution::load(file);
    if (!loaded) throw std::runtime_error(loaded.error().to_string());
    return std::move(*loaded);
  }();
  return parsed;
}

constitution::Constitution constitution_from(const std::string& markdown) {
  auto parsed = constitution::parse(markdown, "test-constitution.md");
  if (!parsed) throw std::runtime_error(parsed.error().to_string());
  return std::move(*parsed);
}

CheckRun run_checks(const std::vector<engine::CheckFactory>& factories, const engine::FileContext& file,
                    const constitution::Constitution* constitution) {
  CheckRun run;
  const engine::Catalog catalog(factories);
  workspace::StackFacts stack;
  stack.facts = {"docker"};
  auto plan = engine::bind(catalog, constitution != nullptr ? *constitution : reference_constitution(),
                           file.config(), stack, {});
  if (!plan) {
    run.errors.push_back(plan.error().to_string());
    return run;
  }
  for (const engine::Binding& binding : plan->bindings) {
    const engine::CheckInfo& info = binding.check->info();
    if (binding.status != engine::BindingStatus::active) {
      run.errors.push_back(fmt::format("{}: {}", info.id, engine::to_string(binding.status)));
      continue;
    }
    CollectingEmitter emitter(std::string(info.id), run.emitted);
    binding.check->check(file, emitter);
  }
  return run;
}

engine::RunResult run_on_reference_excerpt(const TempDir& repo) {
  repo.write("CONSTITUTION.md", read_file(fixtures_dir() / "constitution" / "reference-excerpt.md"));
  app::CommonOptions options;
  options.path = repo.path();
  options.today = Date::parse("2026-11-22");
  auto session = app::open_session(options);
  EXPECT_TRUE(session) << session.error().to_string();
  if (!session) return {};
  return engine::run(session->plan, session->constitution, session->config, session->workspace, {});
}

}  // namespace constable::testing
