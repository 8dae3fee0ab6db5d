#pragma once
// Kubernetes objects as constable sees them: every object of every manifest
// (multi-document YAML, JSON, `List` items, rendered streams), where it comes
// from, and where it is deployed — its namespace and whether that placement
// is production — through the kustomizations that include it.
//
// Objects point into parsed YAML trees owned by the caller; a ManifestSet is
// built once per run and read by every Kubernetes check.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/types.hpp"
#include "formats/yaml/yaml.hpp"
#include "kube/production.hpp"

namespace constable::kube {

// Where a line of a rendered manifest came from: the template line that
// wrote it and, when a value was interpolated there, the values file line.
// Its paths view storage the stream's owner keeps (a render's origin paths).
struct Origin {
  std::string_view path;  // workspace-relative template
  int line = 0;
  int column = 0;
  std::string_view value_path{};
  int value_line = 0;
  bool release_namespace = false;  // the line interpolates the Helm release namespace
};

// Where a manifest stream comes from.
struct Source {
  std::string path;  // workspace-relative file, "<stdin>", or the template that produced it
  const yaml::Stream* stream = nullptr;
  // Rendered streams (a Helm chart): the environment ("default", "prod") it
  // was rendered for, "" for files in the repository.
  std::string environment{};
  std::optional<std::string> production{};  // why a rendered stream is production
  const std::vector<Origin>* origins = nullptr;  // rendered streams: one per line of the stream
  std::optional<std::string> non_production{};   // why a rendered stream is explicitly not production
};

// A kustomization's `images:` entry: the image transformer that rewrites
// `name` (matched without tag or digest) in the objects it includes.
struct ImageOverride {
  std::string name;
  std::string new_name{};  // "" keeps the name
  std::string new_tag{};   // "" keeps the tag
  std::string digest{};    // "sha256:...", replaces tag and digest
};

// One way an object is deployed.
struct Placement {
  std::string namespace_name;               // "" when nothing sets one
  std::optional<std::string> production{};  // why this placement is production
  std::optional<std::string> non_production{};  // why it is explicitly not (dev overlay, test namespace)
  std::string via{};                        // "k8s/overlays/prod/kustomization.yaml", "" when applied directly
  // The image transformers of the kustomizations on the way, the outermost
  // (applied last, so it wins) first.
  std::vector<ImageOverride> images{};
};

// An image reference as a placement deploys it: `image` rewritten by the
// first of `images` whose name matches (kustomize's `images:`), else as is.
std::string effective_image(std::string_view image, const std::vector<ImageOverride>& images);

struct Object {
  const Source* source = nullptr;
  const yaml::Node* root = nullptr;
  std::string api_version;
  std::string kind;
  std::string name;  // metadata.name ("" for generateName-only objects)
  const yaml::Node* metadata = nullptr;
  std::vector<Placement> placements;  // at least one
  // metadata.namespace is left to whoever deploys: the Helm release namespace
  // or a substitution placeholder (`${NAMESPACE}`); constable does not know it.
  bool namespace_left_open = false;

  // metadata.namespace, "" when absent or left open.
  std::string_view declared_namespace() const;
  const yaml::Node* annotations() const;  // metadata.annotations or null
  // The first production placement's reason, or nullopt.
  std::optional<std::string> production() const;
  // Why no placement can reach production (the first one's reason), or
  // nullopt when one is production or of unknown environment.
  std::optional<std::string> non_production() const;
  // "Deployment/web" (with the namespace when declared: "Deployment/shop/web").
  std::string display_name() const;
};

// A `configMapGenerator` / `secretGenerator` entry.
struct Generator {
  std::string kind;  // "ConfigMap" or "Secret"
  std::string name;
  bool hashed = true;  // false when generatorOptions/options disable the name suffix hash
};

struct Kustomization {
  std::string path;  // of kustomization.yaml
  std::string dir;   // "" for the root
  const yaml::Node* root = nullptr;
  std::string namespace_name;
  std::vector<std::string> resources;  // workspace-relative files or directories, as resolved
  std::vector<Generator> generators;
  std::vector<ImageOverride> images{};
};

// Pod template of a workload: metadata and spec (the PodSpec).
struct PodTemplate {
  const yaml::Node* metadata = nullptr;  // may be null (a Pod's own metadata is the object's)
  const yaml::Node* spec = nullptr;
};

// Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController,
// Job, CronJob (its jobTemplate's pod template), Pod, PodTemplate.
std::optional<PodTemplate> pod_template(const Object& object);
bool is_workload(std::string_view kind);
// Whether an apiVersion belongs to Kubernetes itself (v1, apps/v1,
// networking.k8s.io/v1) rather than to a custom resource another
// installation defines (argoproj.io/v1alpha1, monitoring.coreos.com/v1).
bool is_builtin_api(std::string_view api_version);
// Kubernetes' own kinds that live outside namespaces (ClusterRole, StorageClass, ...).
bool is_cluster_scoped(std::string_view kind);
// Workloads whose pods are expected to keep running (not Job/CronJob/Pod-run-once).
bool is_long_running(std::string_view kind);

struct Container {
  const yaml::Node* node = nullptr;
  std::string name;
  bool init = false;
};
// Regular and init containers of a pod spec, in that order.
std::vector<Container> containers(const yaml::Node* pod_spec);

// Kubernetes label-selector semantics: matchLabels and matchExpressions (In,
// NotIn, Exists, DoesNotExist), ANDed. An empty selector matches every label
// set; a null or malformed one matches nothing.
bool selector_matches(const yaml::Node* selector, const yaml::Node* labels);

// An IntOrString such as maxUnavailable: "25%" -> 25% of `replicas`
// (rounded as Kubernetes rounds: `round_up` for maxSurge, down for
// maxUnavailable); 2 -> 2. nullopt when malformed.
struct IntOrPercent {
  bool percent = false;
  double value = 0;
};
std::optional<IntOrPercent> parse_int_or_percent(const yaml::Node* node);

// kustomization.yaml, kustomization.yml or Kustomization: read as a
// kustomization whatever its documents say.
bool is_kustomization_name(std::string_view path);

// Whether the stream of the file at `path` holds anything the manifest set
// reads: an object (a mapping with `kind`) or, in a kustomization file, the
// kustomization. A values.yaml with a `resources:` block is neither.
bool has_manifest_documents(const yaml::Stream& stream, std::string_view path);

struct ParsedFile {
  std::string path;
  const yaml::Stream* stream = nullptr;
  std::string environment{};                     // rendered streams only
  std::optional<std::string> production{};       // rendered streams only: why they are production
  const std::vector<Origin>* origins = nullptr;  // rendered streams only
  std::optional<std::string> non_production{};   // rendered streams only: why they are explicitly not production
};

class ManifestSet {
 public:
  // Move-only: objects point into sources_, whose buffer a move keeps and a
  // copy would not.
  ManifestSet() = default;
  ManifestSet(ManifestSet&&) noexcept = default;
  ManifestSet& operator=(ManifestSet&&) noexcept = default;
  ManifestSet(const ManifestSet&) = delete;
  ManifestSet& operator=(const ManifestSet&) = delete;

  // `files`: every parsed YAML/JSON stream; kustomization files are
  // recognised by name (kustomization.yaml|yml, Kustomization) or kind.
  static ManifestSet build(const std::vector<ParsedFile>& files, const ProductionRules& production);

  const std::vector<Object>& objects() const { return objects_; }
  const std::vector<Kustomization>& kustomizations() const { return kustomizations_; }
  // Objects of one kind.
  std::vector<const Object*> of_kind(std::string_view kind) const;

 private:
  std::vector<Source> sources_;  // stable: reserved before objects point into it
  std::vector<Object> objects_;
  std::vector<Kustomization> kustomizations_;
};

// The range a finding about `node` reports: its start, to its end when on
// the same line.
SourceRange range_of(const yaml::Node* node);
// The key of `entry` in `mapping`, for findings about a field; falls back to the mapping.
SourceRange key_range(const yaml::Node* mapping, std::string_view key);

}  // namespace constable::kube
