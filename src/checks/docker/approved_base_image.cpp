// docker/approved-base-image: base images come from official repositories or
// an approved internal registry.

#include <fmt/format.h>

#include <string>
#include <vector>

#include "checks/docker/docker_checks.hpp"
#include "checks/docker/docker_support.hpp"
#include "core/text.hpp"
#include "formats/dockerfile/dockerfile.hpp"

namespace constable::checks::docker {

namespace {
namespace approved_base_image_check {

constexpr engine::CheckInfo kInfo{
    .id = "docker/approved-base-image",
    .domain = "docker",
    .nature = Nature::security,
    .summary = "Build only from official images or an approved internal registry",
    .rationale = "A base image is code that runs in production with the application's privileges. Official "
                 "images and the organisation's own registry are maintained, scanned and signed; an arbitrary "
                 "publisher's image is an unreviewed supply-chain dependency.",
    .remediation = "Use a Docker Hub official image (python, alpine, ...), an image from an official publisher "
                   "(gcr.io/distroless, cgr.dev/chainguard, ...) or mirror the image into an approved registry "
                   "listed under docker.approved_registries in .constable.yaml.",
    .bad_example = "FROM someuser/python-custom:3.12 AS build\n",
    .good_example = kGoodExample,
    .parameters = "",
    .clause = {.section = "docker", .text = "base images? .*(official|approved)"},
    .file_kind = FileKind::dockerfile,
    .stack = "docker",
};

// "ghcr.io/acme/" -> "ghcr.io/acme"; "acme" (a Docker Hub namespace) -> "docker.io/acme".
std::string normalize_prefix(std::string_view entry) {
  std::string prefix = text::to_lower(text::trim(entry));
  while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  const std::string_view first = std::string_view(prefix).substr(0, prefix.find('/'));
  if (!prefix.empty() && first.find_first_of(".:") == std::string_view::npos && first != "localhost") {
    prefix = "docker.io/" + prefix;
  }
  return prefix;
}

bool under_prefix(const std::string& canonical, const std::vector<std::string>& prefixes) {
  for (const std::string& entry : prefixes) {
    const std::string prefix = normalize_prefix(entry);
    if (prefix.empty()) continue;
    if (canonical == prefix || (canonical.starts_with(prefix) && canonical[prefix.size()] == '/')) return true;
  }
  return false;
}

class ApprovedBaseImageCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check(const engine::FileContext& file, engine::Emitter& out) const override {
    const dockerfile::Dockerfile& df = file.dockerfile();
    const engine::DockerOptions& options = file.config().docker;
    for (const ImageSource& source : external_images(df)) {
      const char* what = source.copy_from ? "image" : "base image";
      const char* where = source.copy_from ? " in COPY --from" : "";
      if (source.unresolved) {
        out.report(source.range, fmt::format("cannot verify {}{}: '{}' has no default", what, where, source.written));
        continue;
      }
      if (!source.ref) {
        out.report(source.range,
                   fmt::format("cannot verify {}{}: '{}' is not a valid image reference", what, where,
                               display_image(source)));
        continue;
      }
      if (source.ref->is_docker_official()) continue;
      const std::string canonical = text::to_lower(source.ref->canonical_name());
      if (under_prefix(canonical, options.official_registries) ||
          under_prefix(canonical, options.approved_registries)) {
        continue;
      }
      out.report(source.range, fmt::format("{} '{}'{} is not from an official repository or an approved registry "
                                           "(allowed: {})",
                                           what, display_image(source), where, allowed(options)));
    }
  }

 private:
  static std::string allowed(const engine::DockerOptions& options) {
    std::string list = "Docker Hub official images";
    for (const std::string& entry : options.official_registries) list += ", " + entry;
    for (const std::string& entry : options.approved_registries) list += ", " + entry;
    if (options.approved_registries.empty()) list += "; no internal registry is approved in .constable.yaml";
    return list;
  }
};

}  // namespace approved_base_image_check
}  // namespace

std::unique_ptr<engine::Check> make_approved_base_image_check() {
  return engine::make_check<approved_base_image_check::ApprovedBaseImageCheck>();
}

}  // namespace constable::checks::docker
