#pragma once
// Container image references ("registry/namespace/name:tag@sha256:..."), as
// written in Dockerfiles, Kubernetes manifests and Helm values.

#include <optional>
#include <string>
#include <string_view>

namespace constable::formats {

struct ImageRef {
  std::string registry;    // "" for Docker Hub (docker.io), else host[:port]
  std::string repository;  // "library/python", "myorg/app", "distroless/static"
  std::string tag;         // "" when absent
  std::string digest;      // "sha256:..." when pinned, else ""

  // Docker Hub without a namespace, or docker.io/library/...: an official image.
  bool is_docker_official() const;
  // "registry/repository" as one would write it, with docker.io made explicit
  // ("docker.io/library/python"), for prefix comparisons with allow-lists.
  std::string canonical_name() const;
  // The last path component of the repository: "python", "static".
  std::string short_name() const;
};

// Parses a reference. Fails (nullopt) on an empty string, whitespace, an
// empty component or an invalid digest. Unresolved variables ("${BASE}") are
// the caller's concern: this parses the text as written.
std::optional<ImageRef> parse_image_ref(std::string_view text);

}  // namespace constable::formats
