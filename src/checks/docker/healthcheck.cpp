// docker/healthcheck: the final image declares a HEALTHCHECK.

#include <fmt/format.h>

#include "checks/docker/docker_checks.hpp"
#include "checks/docker/docker_support.hpp"
#include "core/text.hpp"
#include "formats/dockerfile/dockerfile.hpp"

namespace constable::checks::docker {

namespace {
namespace healthcheck_check {

constexpr engine::CheckInfo kInfo{
    .id = "docker/healthcheck",
    .domain = "docker",
    .nature = Nature::reliability,
    .summary = "Declare a HEALTHCHECK in the final image",
    .rationale = "Without a health check the runtime only knows whether the process is alive, not whether it "
                 "serves: a hung or half-started container keeps receiving traffic and is never restarted.",
    .remediation = "Add a HEALTHCHECK CMD that probes the service (an HTTP endpoint, a CLI subcommand) to the "
                   "final stage or a stage it is built FROM; do not disable it with HEALTHCHECK NONE.",
    .bad_example = "FROM golang:1.22-alpine AS build\n"
                   "RUN go build -o /out/app .\n"
                   "FROM alpine:3.20\n"
                   "COPY --from=build /out/app /app\n"
                   "USER 10001\n",
    .good_example = kGoodExample,
    .parameters = "",
    .clause = {.section = "docker", .text = "health ?checks?"},
    .file_kind = FileKind::dockerfile,
    .stack = "docker",
};

class HealthcheckCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  // A development Dockerfile is not an image the project ships.
  bool judges_path(std::string_view path) const override { return !is_development_dockerfile(path); }

  void check(const engine::FileContext& file, engine::Emitter& out) const override {
    if (!judges_path(file.file().path)) return;
    const dockerfile::Dockerfile& df = file.dockerfile();
    const dockerfile::Stage* final_stage = df.final_stage();
    if (final_stage == nullptr) return;
    const dockerfile::Instruction* last = nullptr;
    for (const dockerfile::Instruction* instruction : chain_instructions(df, final_chain(df))) {
      if (instruction->keyword == "HEALTHCHECK") last = instruction;
    }
    if (last == nullptr) {
      out.report(from_image_range(df, *final_stage), "final stage has no HEALTHCHECK instruction", "final stage");
      return;
    }
    const std::string_view args = text::trim(last->arguments);
    const std::string_view first = args.substr(0, args.find_first_of(" \t"));
    if (text::iequals(first, "NONE")) {
      out.report(arguments_range(df, *last), "this HEALTHCHECK NONE disables the health check of the final image");
    } else if (!text::iequals(first, "CMD") || text::trim(args.substr(first.size())).empty()) {
      out.report(keyword_range(*last), "health check has no CMD to run");
    }
  }
};

}  // namespace healthcheck_check
}  // namespace

std::unique_ptr<engine::Check> make_healthcheck_check() {
  return engine::make_check<healthcheck_check::HealthcheckCheck>();
}

}  // namespace constable::checks::docker
