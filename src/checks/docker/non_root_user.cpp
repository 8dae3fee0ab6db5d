// docker/non-root-user: the final image runs as a non-root user.

#include <fmt/format.h>

#include "checks/docker/docker_checks.hpp"
#include "checks/docker/docker_support.hpp"
#include "core/text.hpp"
#include "formats/dockerfile/dockerfile.hpp"

namespace constable::checks::docker {

namespace {
namespace non_root_user_check {

constexpr engine::CheckInfo kInfo{
    .id = "docker/non-root-user",
    .domain = "docker",
    .nature = Nature::security,
    .summary = "Run the final image as a non-root USER",
    .rationale = "A process running as root inside a container is root on the host's kernel: a container "
                 "escape or a writable host mount becomes a full compromise. Images default to root unless a "
                 "USER instruction says otherwise.",
    .remediation = "Create an unprivileged user and switch to it in the final stage, after the steps that need "
                   "root: RUN adduser -D -u 10001 app, then USER 10001 (or use a :nonroot distroless image).",
    .bad_example = "FROM alpine:3.20\n"
                   "USER root\n",
    .good_example = kGoodExample,
    .parameters = "",
    .clause = {.section = "docker", .text = "non-root"},
    .file_kind = FileKind::dockerfile,
    .stack = "docker",
};

// USER takes "user[:group]"; only the user decides.
bool is_root(std::string_view user_spec) {
  const std::string_view spec = text::trim(user_spec);
  const std::string_view user = text::trim(spec.substr(0, spec.find(':')));
  return user == "root" || (!user.empty() && user.find_first_not_of('0') == std::string_view::npos);
}

// Images that switch to a non-root user themselves.
bool defaults_to_non_root(const dockerfile::Stage& root) {
  if (root.unresolved) return false;
  if (text::icontains(root.resolved_image, "nonroot")) return true;
  const auto ref = formats::parse_image_ref(root.resolved_image);
  return ref && text::to_lower(ref->canonical_name()).starts_with("cgr.dev/chainguard/");
}

class NonRootUserCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  // A development Dockerfile is not an image the project ships.
  bool judges_path(std::string_view path) const override { return !is_development_dockerfile(path); }

  void check(const engine::FileContext& file, engine::Emitter& out) const override {
    // A dev container or a test image runs on a developer's machine or a CI
    // runner, as its tools expect; the images the project ships run as non-root.
    if (!judges_path(file.file().path)) return;
    const dockerfile::Dockerfile& df = file.dockerfile();
    const dockerfile::Stage* final_stage = df.final_stage();
    if (final_stage == nullptr) return;
    const std::vector<const dockerfile::Stage*> chain = final_chain(df);
    VariableScope scope(df);
    const dockerfile::Instruction* last = nullptr;
    std::string last_user;
    bool last_unresolved = false;
    // Whether a USER before the last one (or the base image) left root.
    bool was_non_root = !chain.empty() && defaults_to_non_root(*chain.front());
    bool last_non_root = false;  // state before the last USER
    bool first = true;
    for (const dockerfile::Stage* stage : chain) {
      scope.enter_stage(!first);
      first = false;
      for (const dockerfile::Instruction* instruction : df.stage_instructions(*stage)) {
        scope.apply(*instruction);
        if (instruction->keyword != "USER") continue;
        if (last != nullptr && !last_unresolved && !is_root(last_user)) was_non_root = true;
        last_non_root = was_non_root;
        last = instruction;
        last_unresolved = false;
        last_user = scope.expand(text::trim(instruction->arguments), &last_unresolved);
      }
    }
    if (last == nullptr) {
      if (!chain.empty() && defaults_to_non_root(*chain.front())) return;
      out.report(from_image_range(df, *final_stage), "final stage runs as root: no USER instruction", "final stage");
      return;
    }
    if (last_unresolved || !is_root(last_user)) return;  // an unknown user is given the benefit of the doubt
    const std::string written(text::trim(last->arguments));
    const std::string shown =
        written == last_user ? fmt::format("'{}'", written) : fmt::format("'{}' (expands to '{}')", written, last_user);
    if (last_non_root) {
      out.report(arguments_range(df, *last),
                 fmt::format("final stage switches back to root with USER {}", shown));
    } else {
      out.report(arguments_range(df, *last), fmt::format("final stage runs as root: USER {}", shown));
    }
  }
};

}  // namespace non_root_user_check
}  // namespace

std::unique_ptr<engine::Check> make_non_root_user_check() {
  return engine::make_check<non_root_user_check::NonRootUserCheck>();
}

}  // namespace constable::checks::docker
