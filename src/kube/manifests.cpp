#include "kube/manifests.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <cmath>
#include <filesystem>
#include <functional>
#include <set>
#include <tuple>

#include "core/text.hpp"

namespace constable::kube {

bool is_kustomization_name(std::string_view path) {
  const auto name = text::basename(path);
  return name == "kustomization.yaml" || name == "kustomization.yml" || name == "Kustomization";
}

bool has_manifest_documents(const yaml::Stream& stream, std::string_view path) {
  const bool kustomization = is_kustomization_name(path);
  for (const auto& doc : stream.documents)
    if (doc.root != nullptr && doc.root->is_mapping() && (kustomization || doc.root->get("kind") != nullptr)) return true;
  return false;
}

namespace {

// "base/../overlays/./x" -> "overlays/x"; nullopt when it leaves the root or is remote.
std::optional<std::string> join_relative(std::string_view dir, std::string_view relative) {
  if (relative.find("://") != std::string_view::npos || relative.starts_with("github.com/") ||
      relative.starts_with("/"))
    return std::nullopt;
  std::vector<std::string_view> parts;
  auto push = [&](std::string_view path) {
    for (std::string_view part : text::split(path, '/')) {
      if (part.empty() || part == ".") continue;
      if (part == "..") {
        if (parts.empty()) return false;
        parts.pop_back();
        continue;
      }
      parts.push_back(part);
    }
    return true;
  };
  if (!push(dir) || !push(relative)) return std::nullopt;
  std::string out;
  for (auto part : parts) {
    if (!out.empty()) out += '/';
    out += part;
  }
  return out;
}

std::vector<const yaml::Node*> string_items(const yaml::Node* list) {
  std::vector<const yaml::Node*> out;
  if (list == nullptr || !list->is_sequence()) return out;
  for (const yaml::Node* item : list->items)
    if (item->is_scalar() && !item->is_null()) out.push_back(item);
  return out;
}

// A namespace whoever deploys decides: rendered from the Helm release
// namespace, or a placeholder for envsubst / kustomize vars / a template.
bool is_left_open(const Source& source, const yaml::Node* ns) {
  if (ns == nullptr || !ns->is_scalar()) return false;
  const std::string_view value = ns->value;
  if (value.find("${") != std::string_view::npos || value.find("$(") != std::string_view::npos ||
      value.find("{{") != std::string_view::npos)
    return true;
  if (source.origins == nullptr) return false;
  const int line = range_of(ns).line;
  return line >= 1 && static_cast<std::size_t>(line) <= source.origins->size() &&
         (*source.origins)[static_cast<std::size_t>(line - 1)].release_namespace;
}

}  // namespace

std::string_view Object::declared_namespace() const {
  if (metadata == nullptr || namespace_left_open) return {};
  const yaml::Node* ns = metadata->get("namespace");
  return ns != nullptr ? ns->str() : std::string_view{};
}


const yaml::Node* Object::annotations() const { return metadata != nullptr ? metadata->get("annotations") : nullptr; }

std::optional<std::string> Object::production() const {
  for (const auto& p : placements)
    if (p.production) return p.production;
  return std::nullopt;
}

std::string effective_image(std::string_view image, const std::vector<ImageOverride>& images) {
  if (images.empty()) return std::string(image);
  // "registry:5000/app:v1@sha256:..." -> name "registry:5000/app", tag "v1"
  std::string_view name = image;
  std::string_view digest;
  if (const auto at = name.find('@'); at != std::string_view::npos) {
    digest = name.substr(at + 1);
    name = name.substr(0, at);
  }
  std::string_view tag;
  if (const auto colon = name.rfind(':'); colon != std::string_view::npos && name.find('/', colon) == std::string_view::npos) {
    tag = name.substr(colon + 1);
    name = name.substr(0, colon);
  }
  for (const auto& o : images) {
    if (o.name != name) continue;
    std::string out = o.new_name.empty() ? std::string(name) : o.new_name;
    if (!o.digest.empty()) return out + "@" + o.digest;
    const std::string_view new_tag = o.new_tag.empty() ? tag : std::string_view(o.new_tag);
    if (!new_tag.empty()) out += fmt::format(":{}", new_tag);
    if (!digest.empty()) out += fmt::format("@{}", digest);
    return out;
  }
  return std::string(image);
}

std::optional<std::string> Object::non_production() const {
  for (const auto& p : placements)
    if (!p.non_production) return std::nullopt;
  if (placements.empty()) return std::nullopt;
  return placements.front().non_production;
}

std::string Object::display_name() const {
  const auto ns = declared_namespace();
  if (ns.empty()) return fmt::format("{}/{}", kind, name);
  return fmt::format("{}/{}/{}", kind, ns, name);
}

bool is_builtin_api(std::string_view api_version) {
  const auto slash = api_version.find('/');
  if (slash == std::string_view::npos) return api_version == "v1";  // the core group ("builtin" is kustomize's)
  // Kubernetes' groups are the few legacy single words and *.k8s.io; other
  // single words are tools' own formats (skaffold/v4beta6).
  const std::string_view group = api_version.substr(0, slash);
  // Configuration files of Kubernetes' own programs (the API server's
  // EncryptionConfiguration, kubelet and kubeadm configuration, audit
  // policies) are read from disk, never created in the API.
  if (group.ends_with(".config.k8s.io") || group == "audit.k8s.io" || group == "kubeadm.k8s.io") return false;
  return group == "apps" || group == "batch" || group == "autoscaling" || group == "policy" ||
         group == "extensions" || group.ends_with(".k8s.io");
}

bool is_cluster_scoped(std::string_view kind) {
  static constexpr std::string_view kClusterScoped[] = {
      "APIService", "CertificateSigningRequest", "ClusterRole", "ClusterRoleBinding", "ComponentStatus",
      "CSIDriver", "CSINode", "CustomResourceDefinition", "FlowSchema", "IngressClass",
      "MutatingWebhookConfiguration", "Namespace", "Node", "PersistentVolume", "PodSecurityPolicy",
      "PriorityClass", "PriorityLevelConfiguration", "RuntimeClass", "StorageClass",
      "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding", "ValidatingWebhookConfiguration",
      "VolumeAttachment"};
  return std::find(std::begin(kClusterScoped), std::end(kClusterScoped), kind) != std::end(kClusterScoped);
}

bool is_workload(std::string_view kind) {
  return kind == "Deployment" || kind == "StatefulSet" || kind == "DaemonSet" || kind == "ReplicaSet" ||
         kind == "ReplicationController" || kind == "Job" || kind == "CronJob" || kind == "Pod" ||
         kind == "PodTemplate";
}

bool is_long_running(std::string_view kind) {
  return kind == "Deployment" || kind == "StatefulSet" || kind == "DaemonSet" || kind == "ReplicaSet" ||
         kind == "ReplicationController";
}

std::optional<PodTemplate> pod_template(const Object& object) {
  const yaml::Node* root = object.root;
  const std::string_view kind = object.kind;
  const yaml::Node* tmpl = nullptr;
  if (kind == "Pod") {
    const yaml::Node* spec = root->get("spec");
    if (spec == nullptr || !spec->is_mapping()) return std::nullopt;
    return PodTemplate{object.metadata, spec};
  }
  if (kind == "CronJob")
    tmpl = root->at("spec", "jobTemplate", "spec", "template");
  else if (kind == "PodTemplate")
    tmpl = root->get("template");
  else if (is_workload(kind))
    tmpl = root->at("spec", "template");
  if (tmpl == nullptr || !tmpl->is_mapping()) return std::nullopt;
  const yaml::Node* spec = tmpl->get("spec");
  if (spec == nullptr || !spec->is_mapping()) return std::nullopt;
  return PodTemplate{tmpl->get("metadata"), spec};
}

std::vector<Container> containers(const yaml::Node* pod_spec) {
  std::vector<Container> out;
  if (pod_spec == nullptr) return out;
  for (auto [key, init] : {std::pair{"containers", false}, std::pair{"initContainers", true}}) {
    const yaml::Node* list = pod_spec->get(key);
    if (list == nullptr || !list->is_sequence()) continue;
    for (const yaml::Node* c : list->items) {
      if (!c->is_mapping()) continue;
      const yaml::Node* name = c->get("name");
      out.push_back({c, std::string(name != nullptr ? name->str() : std::string_view{}), init});
    }
  }
  return out;
}

bool selector_matches(const yaml::Node* selector, const yaml::Node* labels) {
  if (selector == nullptr || !selector->is_mapping()) return false;
  auto label = [&](std::string_view key) -> std::optional<std::string_view> {
    if (labels == nullptr || !labels->is_mapping()) return std::nullopt;
    const yaml::Node* v = labels->get(key);
    if (v == nullptr || !v->is_scalar()) return std::nullopt;
    return std::string_view(v->value);
  };
  if (const yaml::Node* match = selector->get("matchLabels")) {
    if (!match->is_mapping() && !match->is_null()) return false;
    if (match->is_mapping())
      for (const auto& e : match->entries) {
        if (!e.key->is_scalar() || !e.value->is_scalar()) return false;
        if (label(e.key->value) != std::optional<std::string_view>(e.value->value)) return false;
      }
  }
  if (const yaml::Node* expressions = selector->get("matchExpressions")) {
    if (!expressions->is_sequence() && !expressions->is_null()) return false;
    if (expressions->is_sequence())
      for (const yaml::Node* e : expressions->items) {
        if (!e->is_mapping()) return false;
        const std::string_view key = e->get("key") != nullptr ? e->get("key")->str() : std::string_view{};
        const std::string_view op = e->get("operator") != nullptr ? e->get("operator")->str() : std::string_view{};
        std::vector<std::string_view> values;
        for (const yaml::Node* v : string_items(e->get("values"))) values.push_back(v->value);
        const auto value = label(key);
        const bool in = value && std::find(values.begin(), values.end(), *value) != values.end();
        if (op == "In") {
          if (!in) return false;
        } else if (op == "NotIn") {
          if (in) return false;
        } else if (op == "Exists") {
          if (!value) return false;
        } else if (op == "DoesNotExist") {
          if (value) return false;
        } else {
          return false;  // an unknown operator selects nothing, as the API server would reject it
        }
      }
  }
  return true;
}

std::optional<IntOrPercent> parse_int_or_percent(const yaml::Node* node) {
  if (node == nullptr || !node->is_scalar() || node->is_null()) return std::nullopt;
  if (auto i = node->as_int()) return IntOrPercent{false, static_cast<double>(*i)};
  std::string_view text = text::trim(node->value);
  if (!text.ends_with('%')) return std::nullopt;
  text.remove_suffix(1);
  if (text.empty() || text.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
  // Digits only, but maybe more than fit in 64 bits ("99999999999999999999%"):
  // from_chars says so instead of throwing.
  std::uint64_t percent = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), percent);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return IntOrPercent{true, static_cast<double>(percent)};
}

SourceRange range_of(const yaml::Node* node) {
  if (node == nullptr) return SourceRange::whole_file();
  SourceRange r{node->start.line, node->start.column, node->start.line, 0};
  if (node->end.line == node->start.line) r.end_column = node->end.column;
  return r;
}

SourceRange key_range(const yaml::Node* mapping, std::string_view key) {
  if (mapping != nullptr)
    if (const yaml::Entry* e = mapping->find(key)) return range_of(e->key);
  return range_of(mapping);
}

std::vector<const Object*> ManifestSet::of_kind(std::string_view kind) const {
  std::vector<const Object*> out;
  for (const auto& o : objects_)
    if (o.kind == kind) out.push_back(&o);
  return out;
}

namespace {

Kustomization read_kustomization(const ParsedFile& file, const yaml::Node* root) {
  Kustomization k;
  k.path = file.path;
  k.dir = text::dirname(file.path);
  k.root = root;
  if (const yaml::Node* ns = root->get("namespace")) k.namespace_name = std::string(ns->str());
  for (const char* key : {"resources", "bases", "components"}) {
    for (const yaml::Node* item : string_items(root->get(key))) {
      if (auto resolved = join_relative(k.dir, item->value)) k.resources.push_back(*resolved);
    }
  }
  if (const yaml::Node* images = root->get("images"); images != nullptr && images->is_sequence()) {
    for (const yaml::Node* item : images->items) {
      if (!item->is_mapping() || item->get("name") == nullptr || !item->get("name")->is_scalar()) continue;
      ImageOverride image{.name = std::string(item->get("name")->str())};
      if (const yaml::Node* n = item->get("newName"); n != nullptr && n->is_scalar()) image.new_name = n->str();
      if (const yaml::Node* t = item->get("newTag"); t != nullptr && t->is_scalar()) image.new_tag = t->str();
      if (const yaml::Node* d = item->get("digest"); d != nullptr && d->is_scalar()) image.digest = d->str();
      k.images.push_back(std::move(image));
    }
  }
  bool hashed_by_default = true;
  if (const yaml::Node* options = root->get("generatorOptions"))
    if (const yaml::Node* disable = options->get("disableNameSuffixHash"))
      hashed_by_default = !disable->as_bool().value_or(false);
  for (auto [key, kind] : {std::pair{"configMapGenerator", "ConfigMap"}, std::pair{"secretGenerator", "Secret"}}) {
    const yaml::Node* list = root->get(key);
    if (list == nullptr || !list->is_sequence()) continue;
    for (const yaml::Node* g : list->items) {
      if (!g->is_mapping() || g->get("name") == nullptr) continue;
      bool hashed = hashed_by_default;
      if (const yaml::Node* options = g->get("options"))
        if (const yaml::Node* disable = options->get("disableNameSuffixHash"))
          hashed = !disable->as_bool().value_or(false);
      k.generators.push_back({kind, std::string(g->get("name")->str()), hashed});
    }
  }
  return k;
}

// Files a kustomization uses as patches: partial objects, not deployable on their own.
std::set<std::string> patch_files(const Kustomization& k) {
  std::set<std::string> out;
  for (const yaml::Node* item : string_items(k.root->get("patchesStrategicMerge")))
    if (auto p = join_relative(k.dir, item->value)) out.insert(*p);
  for (const char* key : {"patches", "patchesJson6902"}) {
    const yaml::Node* list = k.root->get(key);
    if (list == nullptr || !list->is_sequence()) continue;
    for (const yaml::Node* item : list->items) {
      const yaml::Node* path = item->is_mapping() ? item->get("path") : item;
      if (path != nullptr && path->is_scalar())
        if (auto p = join_relative(k.dir, path->value)) out.insert(*p);
    }
  }
  return out;
}

void add_object(std::vector<Object>& objects, const Source& source, const yaml::Node* root) {
  const yaml::Node* api = root->get("apiVersion");
  const yaml::Node* kind = root->get("kind");
  if (api == nullptr || kind == nullptr || !api->is_scalar() || !kind->is_scalar()) return;
  const yaml::Node* items = root->get("items");
  if (std::string_view(kind->value).ends_with("List") && items != nullptr && items->is_sequence()) {
    for (const yaml::Node* item : items->items)
      if (item->is_mapping()) add_object(objects, source, item);
    return;
  }
  Object o;
  o.source = &source;
  o.root = root;
  o.api_version = api->value;
  o.kind = kind->value;
  o.metadata = root->get("metadata");
  if (o.metadata != nullptr && !o.metadata->is_mapping()) o.metadata = nullptr;
  if (o.metadata != nullptr && o.metadata->get("name") != nullptr) o.name = std::string(o.metadata->get("name")->str());
  if (o.metadata != nullptr) o.namespace_left_open = is_left_open(source, o.metadata->get("namespace"));
  objects.push_back(std::move(o));
}

}  // namespace

ManifestSet ManifestSet::build(const std::vector<ParsedFile>& files, const ProductionRules& production) {
  ManifestSet set;
  set.sources_.reserve(files.size());
  std::map<std::string, std::vector<std::size_t>> objects_by_file;  // path -> object indexes
  for (const auto& file : files) {
    if (file.stream == nullptr) continue;
    set.sources_.push_back(
        {file.path, file.stream, file.environment, file.production, file.origins, file.non_production});
    const Source& source = set.sources_.back();
    for (const auto& doc : file.stream->documents) {
      if (doc.root == nullptr || !doc.root->is_mapping()) continue;
      const yaml::Node* kind = doc.root->get("kind");
      const bool kustomization = (file.environment.empty() && is_kustomization_name(file.path)) ||
                                 (kind != nullptr && (kind->value == "Kustomization" || kind->value == "Component") &&
                                  doc.root->get("apiVersion") != nullptr &&
                                  doc.root->get("apiVersion")->str().starts_with("kustomize.config.k8s.io"));
      if (kustomization) {
        set.kustomizations_.push_back(read_kustomization(file, doc.root));
        continue;
      }
      const std::size_t before = set.objects_.size();
      add_object(set.objects_, source, doc.root);
      for (std::size_t i = before; i < set.objects_.size(); ++i) objects_by_file[file.path].push_back(i);
    }
  }

  std::set<std::string> patches;
  for (const auto& k : set.kustomizations_) {
    for (const auto& p : patch_files(k)) patches.insert(p);
    // A patch kept beside the kustomization but switched off (commented out
    // of patchesStrategicMerge, as kubebuilder scaffolds do) is still a
    // partial object: a file named for a patch that no list includes.
    const std::set<std::string> listed(k.resources.begin(), k.resources.end());
    for (const auto& [path, objects] : objects_by_file) {
      (void)objects;
      if (text::dirname(path) != k.dir || listed.contains(path)) continue;
      if (text::to_lower(text::basename(path)).find("patch") != std::string::npos) patches.insert(path);
    }
  }

  // Placements through kustomizations: walk each root kustomization (one no
  // other kustomization includes) down its resources; the outermost
  // namespace wins, as kustomize's namespace transformer applies last.
  std::map<std::string, const Kustomization*> by_dir;
  for (const auto& k : set.kustomizations_) by_dir.emplace(k.dir, &k);
  std::set<std::string> included_dirs;
  for (const auto& k : set.kustomizations_)
    for (const auto& r : k.resources)
      if (by_dir.contains(r)) included_dirs.insert(r);
  // The labels of the set's Namespace objects, by name: a namespace labelled
  // environment=production is production whatever its name.
  std::map<std::string, const yaml::Node*, std::less<>> namespace_labels;
  for (const Object& o : set.objects_)
    if (o.kind == "Namespace" && !o.name.empty() && o.metadata != nullptr)
      namespace_labels.emplace(o.name, o.metadata->get("labels"));
  const auto labels_of = [&](std::string_view name) -> const yaml::Node* {
    const auto found = namespace_labels.find(name);
    return found == namespace_labels.end() ? nullptr : found->second;
  };
  std::vector<std::vector<Placement>> placements(set.objects_.size());
  std::vector<bool> reached(set.objects_.size(), false);
  // A kustomization on the current path is a cycle (kustomize rejects it);
  // one already walked from this root with the same namespace and production
  // reason places nothing new. Without both, a few kustomizations naming
  // each other twice make the walk exponential.
  std::set<std::string> on_path;
  std::set<std::tuple<const Kustomization*, std::string, std::optional<std::string>>> walked;
  std::function<void(const Kustomization&, const std::string&, const std::optional<std::string>&, const std::string&,
                     const std::vector<ImageOverride>&, int)>
      walk = [&](const Kustomization& k, const std::string& outer_namespace,
                 const std::optional<std::string>& outer_production, const std::string& via,
                 const std::vector<ImageOverride>& outer_images, int depth) {
        if (depth > 32) return;  // bounds the recursion: no real overlay is nested this deep
        const std::string ns = outer_namespace.empty() ? k.namespace_name : outer_namespace;
        std::optional<std::string> prod = outer_production;
        if (!prod)
          if (auto reason = production.for_path(k.path))
            prod = fmt::format("kustomize overlay {}: {}", k.dir.empty() ? "." : k.dir, *reason);
        if (on_path.contains(k.dir) || !walked.emplace(&k, ns, prod).second) return;
        on_path.insert(k.dir);
        std::vector<ImageOverride> images = outer_images;
        images.insert(images.end(), k.images.begin(), k.images.end());
        for (const auto& resource : k.resources) {
          if (const auto sub = by_dir.find(resource); sub != by_dir.end()) {
            walk(*sub->second, ns, prod, via, images, depth + 1);
            continue;
          }
          const auto objects = objects_by_file.find(resource);
          if (objects == objects_by_file.end()) continue;
          for (std::size_t i : objects->second) {
            reached[i] = true;
            const Object& o = set.objects_[i];
            Placement p;
            p.namespace_name = ns.empty() ? std::string(o.declared_namespace()) : ns;
            p.production = prod;
            if (!p.production && !p.namespace_name.empty())
              p.production = production.for_namespace(p.namespace_name, labels_of(p.namespace_name));
            if (!p.production) {
              if (!p.namespace_name.empty())
                p.non_production =
                    production.non_production_for_namespace(p.namespace_name, labels_of(p.namespace_name));
              if (!p.non_production) p.non_production = production.non_production_for_path(via);
              if (p.non_production) p.non_production = fmt::format("kustomize overlay {}: {}", via, *p.non_production);
            }
            p.via = via;
            p.images = images;
            placements[i].push_back(std::move(p));
          }
        }
        on_path.erase(k.dir);
      };
  for (const auto& k : set.kustomizations_) {
    if (included_dirs.contains(k.dir)) continue;
    walked.clear();
    walk(k, "", std::nullopt, k.path, {}, 0);
  }

  std::vector<Object> kept;
  for (std::size_t i = 0; i < set.objects_.size(); ++i) {
    Object& o = set.objects_[i];
    if (patches.contains(o.source->path)) continue;
    if (!reached[i]) {
      Placement p;
      p.namespace_name = std::string(o.declared_namespace());
      if (!p.namespace_name.empty()) p.production = production.for_namespace(p.namespace_name, labels_of(p.namespace_name));
      if (!p.production) p.production = production.for_path(o.source->path);
      if (!p.production) p.production = o.source->production;
      if (!p.production) {
        if (!p.namespace_name.empty())
          p.non_production = production.non_production_for_namespace(p.namespace_name, labels_of(p.namespace_name));
        if (!p.non_production) p.non_production = production.non_production_for_path(o.source->path);
        if (!p.non_production) p.non_production = o.source->non_production;
      }
      placements[i].push_back(std::move(p));
    }
    o.placements = std::move(placements[i]);
    kept.push_back(std::move(o));
  }
  set.objects_ = std::move(kept);
  return set;
}

}  // namespace constable::kube
