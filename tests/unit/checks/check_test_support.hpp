#pragma once
// Runs checks on one file without the engine: a FileContext over in-memory
// text, clauses taken from the reference constitution, and an emitter that
// collects what the checks report.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "constitution/model.hpp"
#include "engine/check.hpp"
#include "engine/config.hpp"
#include "formats/dockerfile/dockerfile.hpp"
#include "workspace/workspace.hpp"

namespace constable::testing {

class TestFileContext final : public engine::FileContext {
 public:
  TestFileContext(std::string path, std::string text, engine::Config config = {});
  TestFileContext(const TestFileContext&) = delete;
  TestFileContext& operator=(const TestFileContext&) = delete;

  const workspace::File& file() const override { return file_; }
  std::string_view text() const override { return text_; }
  const std::vector<std::string_view>& lines() const override { return lines_; }
  const engine::Config& config() const override { return config_; }
  const dockerfile::Dockerfile& dockerfile() const override;

 private:
  workspace::File file_;
  std::string text_;
  std::vector<std::string_view> lines_;
  engine::Config config_;
  mutable std::optional<dockerfile::Dockerfile> dockerfile_;
};

// The clauses of the reference constitution (../shared/reference-constitution.md,
// list items with their heading path), or a built-in copy of the clauses the
// checks enforce when the file is absent. In document order.
const std::vector<constitution::Clause>& reference_clauses();

// The first clause both of the matcher's patterns match (case-insensitive,
// anywhere), as the engine binds them; nullptr if none.
const constitution::Clause* find_clause(const engine::ClauseMatcher& matcher,
                                        const std::vector<constitution::Clause>& clauses);

struct Emitted {
  std::string check_id;
  engine::Emission emission;
};

struct CheckRun {
  std::vector<Emitted> emitted;
  std::vector<std::string> errors;  // a check that bound to no clause or failed to bind
};

// Binds every check to its clause (from `clauses`, or the reference ones)
// and runs it on the file.
CheckRun run_checks(const std::vector<engine::CheckFactory>& factories, const engine::FileContext& file,
                    const std::vector<constitution::Clause>* clauses = nullptr);

}  // namespace constable::testing
