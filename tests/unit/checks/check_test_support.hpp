#pragma once
// Runs checks on one file without the engine's runner: a FileContext over
// in-memory text, the engine's own binding, and an emitter that collects
// what the checks report before the engine would turn it into findings.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "code/model.hpp"
#include "constitution/model.hpp"
#include "engine/check.hpp"
#include "engine/config.hpp"
#include "engine/run.hpp"
#include "support/test_support.hpp"
#include "formats/dockerfile/dockerfile.hpp"
#include "formats/yaml/yaml.hpp"
#include "workspace/workspace.hpp"

namespace constable::testing {

class TestFileContext final : public engine::FileContext {
 public:
  TestFileContext(std::string path, std::string text, engine::Config config = {},
                  FileKind kind = FileKind::dockerfile);
  TestFileContext(const TestFileContext&) = delete;
  TestFileContext& operator=(const TestFileContext&) = delete;

  const workspace::File& file() const override { return file_; }
  std::string_view text() const override { return text_; }
  const std::vector<std::string_view>& lines() const override { return lines_; }
  const engine::Config& config() const override { return config_; }
  const dockerfile::Dockerfile& dockerfile() const override;
  const yaml::Stream& yaml() const override;
  const code::Module* code() const override;
  const engine::DerivedValues& derived_values() const override { return derived_; }
  // Whether a check asked for the file's YAML.
  bool yaml_parsed() const { return yaml_.has_value(); }

 private:
  workspace::File file_;
  std::string text_;
  std::vector<std::string_view> lines_;
  engine::Config config_;
  mutable std::optional<dockerfile::Dockerfile> dockerfile_;
  mutable std::optional<yaml::Stream> yaml_;
  mutable std::optional<std::optional<code::Module>> code_;
  engine::DerivedValues derived_;
};

// The constitution check tests bind against: the reference constitution
// (../shared/reference-constitution.md) when present, else the excerpt of its
// Docker and secrets sections in tests/fixtures/constitution/.
const constitution::Constitution& reference_constitution();

// Parses a constitution written in a test; fails the test on a parse error.
constitution::Constitution constitution_from(const std::string& markdown);

struct Emitted {
  std::string check_id;
  engine::Emission emission;
};

struct CheckRun {
  std::vector<Emitted> emitted;
  std::vector<std::string> errors;  // a check that bound to no clause or failed to bind
};

// The whole engine on `repo` with the reference constitution's excerpt
// (tests/fixtures/constitution/reference-excerpt.md) written as its
// CONSTITUTION.md, run on 2026-11-22: what `constable check` finds there. A
// session that cannot open fails the test and finds nothing.
engine::RunResult run_on_reference_excerpt(const TempDir& repo);

// Binds the checks to `constitution` (default: reference_constitution())
// with engine::bind, as a run would, and runs the active ones on the file.
CheckRun run_checks(const std::vector<engine::CheckFactory>& factories, const engine::FileContext& file,
                    const constitution::Constitution* constitution = nullptr);

}  // namespace constable::testing
