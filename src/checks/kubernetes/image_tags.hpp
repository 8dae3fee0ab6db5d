#pragma once
// Image references of workloads, shared by the two tagging checks, and which
// of them the project builds itself.

#include <functional>
#include <optional>
#include <set>
#include <string>

#include "formats/image_ref.hpp"
#include "kube/manifests.hpp"
#include "workspace/workspace.hpp"

namespace constable::checks::kubernetes {

struct WorkloadImage {
  const kube::Object& object;
  const kube::Container& container;
  const yaml::Node& node;
  const formats::ImageRef& image;
  std::optional<std::string> production;      // why the object is production
  std::optional<std::string> non_production;  // why it explicitly is not (a dev overlay, values-test.yaml)
};

// Every parseable image of every workload as it is deployed: rewritten by
// the `images:` of the kustomizations that include it. Template variables
// ("${TAG}", "{{ .Values.tag }}") and images skaffold builds and tags at
// deploy time are skipped.
void for_each_workload_image(const kube::ManifestSet& set, const std::function<void(const WorkloadImage&)>& visit);

// The image as deployed, saying so when a kustomization rewrote it.
std::string shown_image(const WorkloadImage& use);

// " (production: ...)", or for an object whose environment nothing states,
// why it still counts: "" for an explicitly non-production one.
std::string environment_note(const WorkloadImage& use);

// "latest" or no tag and no digest: the tag that moves.
bool uses_latest(const formats::ImageRef& image);

// The images the repository builds: named after a directory holding a
// Dockerfile (`api/Dockerfile` builds `*/api` or `*/shop-api`), after a
// Dockerfile's suffix (`Dockerfile.worker`), after the repository itself
// when it has a Dockerfile, or after one of its own charts (a repository
// with a handful of charts, not a collection of them). The constitution's
// tagging scheme is for these;
// third-party images are judged by whether their tag is a fixed version.
class ProjectImages {
 public:
  explicit ProjectImages(const workspace::Workspace& workspace);
  bool builds(const formats::ImageRef& image) const;

 private:
  std::set<std::string> names_;
};

// A third-party tag that names one release: at least major.minor
// ("1.25.3", "v0.9", "15.4-alpine"), a date ("RELEASE.2024-01-02T03-04-05Z",
// "20240102"), or a commit hash of 7 or more hex digits. "15", "stable" and
// "alpine" move.
bool is_version_tag(std::string_view tag);

}  // namespace constable::checks::kubernetes
