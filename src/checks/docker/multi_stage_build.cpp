// docker/multi-stage-build: build in one stage, ship another that takes only
// the artifacts.

#include <fmt/format.h>

#include "checks/docker/docker_checks.hpp"
#include "checks/docker/docker_support.hpp"
#include "formats/dockerfile/dockerfile.hpp"

namespace constable::checks::docker {

namespace {
namespace multi_stage_build_check {

constexpr engine::CheckInfo kInfo{
    .id = "docker/multi-stage-build",
    .domain = "docker",
    .nature = Nature::maintainability,
    .summary = "Use a multi-stage build whose final stage takes artifacts from the build stages",
    .rationale = "Compilers, package caches and sources left in the shipped image make it large and widen its "
                 "attack surface. A multi-stage build keeps the toolchain in a build stage and copies only the "
                 "artifacts into the final one.",
    .remediation = "Split the Dockerfile into a build stage (FROM ... AS build) and a final stage that copies the "
                   "artifacts with COPY --from=build, or builds FROM a stage that does.",
    .bad_example = "FROM alpine:3.20\n"
                   "RUN apk add --no-cache build-base && make\n",
    .good_example = kGoodExample,
    .parameters = "",
    .clause = {.section = "", .text = "multi-stage"},
    .file_kind = FileKind::dockerfile,
    .stack = "docker",
};

class MultiStageBuildCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  // A development Dockerfile is not an image the project ships.
  bool judges_path(std::string_view path) const override { return !is_development_dockerfile(path); }

  void check(const engine::FileContext& file, engine::Emitter& out) const override {
    if (!judges_path(file.file().path)) return;
    const dockerfile::Dockerfile& df = file.dockerfile();
    const dockerfile::Stage* final_stage = df.final_stage();
    if (final_stage == nullptr) return;
    if (df.stages.size() < 2) {
      out.report(from_image_range(df, *final_stage),
                 "single-stage build: build in a separate stage and copy only the artifacts into the final one",
                 "final stage");
      return;
    }
    const std::vector<const dockerfile::Stage*> chain = final_chain(df);
    if (chain.size() > 1) return;  // the final stage builds FROM an earlier stage
    const StageLookup stages(df);
    for (const dockerfile::Stage* stage : chain) {
      VariableScope scope(df);
      scope.enter_stage(false);
      for (const dockerfile::Instruction* instruction : df.stage_instructions(*stage)) {
        scope.apply(*instruction);
        for (const dockerfile::Flag& flag : instruction->flags) {
          std::optional<std::string> from;
          if (instruction->keyword == "COPY" && flag.name == "from") from = flag.value;
          if (instruction->keyword == "RUN" && flag.name == "mount") from = mount_option(flag.value, "from");
          if (from && stages.find(scope.expand(*from), stage) != nullptr) return;
        }
      }
    }
    std::string names;
    for (const dockerfile::Stage& stage : df.stages) {
      if (&stage == final_stage) continue;
      if (!names.empty()) names += ", ";
      names += stage.name.empty() ? fmt::format("#{}", stage.index) : fmt::format("'{}'", stage.name);
    }
    out.report(from_image_range(df, *final_stage),
               fmt::format("final stage copies nothing from the build stages ({})", names), "final stage");
  }
};

}  // namespace multi_stage_build_check
}  // namespace

std::unique_ptr<engine::Check> make_multi_stage_build_check() {
  return engine::make_check<multi_stage_build_check::MultiStageBuildCheck>();
}

}  // namespace constable::checks::docker
