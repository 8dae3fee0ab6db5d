// docker/base-image-tag: production images never build from `latest` (or from
// an untagged reference, which means latest).

#include <fmt/format.h>

#include "checks/docker/docker_checks.hpp"
#include "checks/docker/docker_support.hpp"
#include "core/text.hpp"
#include "formats/dockerfile/dockerfile.hpp"

namespace constable::checks::docker {

namespace {
namespace base_image_tag_check {

constexpr engine::CheckInfo kInfo{
    .id = "docker/base-image-tag",
    .domain = "docker",
    .nature = Nature::reliability,
    .summary = "Pin base images to a version tag or digest, never latest",
    .rationale = "The latest tag (or no tag at all, which means latest) moves whenever the publisher pushes, so "
                 "the same Dockerfile builds a different image from one day to the next. Production builds must "
                 "be reproducible and changes to the base image deliberate.",
    .remediation = "Pin a specific version tag (python:3.12.4-slim) or, stronger, a digest "
                   "(python:3.12.4-slim@sha256:...). Development Dockerfiles (Dockerfile.dev, "
                   "Dockerfile.local, Dockerfile-test) are exempt.",
    .bad_example = "FROM node:latest AS build\n",
    .good_example = kGoodExample,
    .parameters = "",
    .clause = {.section = "tag|docker", .text = "latest.*prohibited|prohibited.*latest"},
    .file_kind = FileKind::dockerfile,
    .stack = "docker",
};

class BaseImageTagCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  // A development Dockerfile is not an image the project ships.
  bool judges_path(std::string_view path) const override { return !is_development_dockerfile(path); }

  void check(const engine::FileContext& file, engine::Emitter& out) const override {
    if (!judges_path(file.file().path)) return;
    for (const ImageSource& source : external_images(file.dockerfile())) {
      if (source.unresolved || !source.ref || !source.ref->digest.empty()) continue;
      const char* what = source.copy_from ? "image" : "base image";
      const char* where = source.copy_from ? " in COPY --from" : "";
      if (source.ref->tag.empty()) {
        out.report(source.range, fmt::format("{} '{}'{} has no tag, so it builds from latest; pin a version or a digest",
                                             what, display_image(source), where));
      } else if (text::iequals(source.ref->tag, "latest")) {
        out.report(source.range,
                   fmt::format("{} '{}'{} uses the latest tag, which is prohibited in production", what,
                               display_image(source), where));
      }
    }
  }
};

}  // namespace base_image_tag_check
}  // namespace

std::unique_ptr<engine::Check> make_base_image_tag_check() {
  return engine::make_check<base_image_tag_check::BaseImageTagCheck>();
}

}  // namespace constable::checks::docker
