#include "helm/objects.hpp"

#include <algorithm>
#include <mutex>

#include <fmt/format.h>

#include "helm/template/digest.hpp"
#include "helm/template/serialize.hpp"

namespace constable::helm {

namespace {

class ChartObject : public Object {
 public:
  explicit ChartObject(Value metadata) : metadata_(std::move(metadata)) {}
  std::string type_name() const override { return "*chart.Metadata"; }
  std::optional<Value> field(std::string_view name) const override {
    static const std::pair<std::string_view, std::string_view> kFields[] = {
        {"Name", "name"},           {"Home", "home"},           {"Sources", "sources"},
        {"Version", "version"},     {"Description", "description"}, {"Keywords", "keywords"},
        {"Maintainers", "maintainers"}, {"Icon", "icon"},       {"APIVersion", "apiVersion"},
        {"Condition", "condition"}, {"Tags", "tags"},           {"AppVersion", "appVersion"},
        {"Deprecated", "deprecated"}, {"Annotations", "annotations"}, {"KubeVersion", "kubeVersion"},
        {"Dependencies", "dependencies"}, {"Type", "type"}};
    for (const auto& [go, yaml] : kFields) {
      if (go != name) continue;
      const auto it = metadata_.dict->find(yaml);
      if (it != metadata_.dict->end()) {
        if (go == "Deprecated") return Value::of(it->second.string == "true");
        return it->second;
      }
      if (go == "Deprecated") return Value::of(false);
      if (go == "Sources" || go == "Keywords" || go == "Maintainers" || go == "Dependencies" || go == "Annotations")
        return Value{};
      return Value::of("");
    }
    return std::nullopt;
  }
  std::string to_string() const override { return "&{" + format_v(metadata_) + "}"; }

 private:
  Value metadata_;
};

// gobwas/glob with '/' as separator: * and ? stay within a segment, ** crosses.
bool glob_match(std::string_view pattern, std::string_view name) {
  if (pattern.empty()) return name.empty();
  if (pattern.starts_with("**")) {
    for (std::size_t i = 0; i <= name.size(); ++i)
      if (glob_match(pattern.substr(2), name.substr(i))) return true;
    return false;
  }
  if (pattern[0] == '*') {
    for (std::size_t i = 0; i <= name.size(); ++i) {
      if (glob_match(pattern.substr(1), name.substr(i))) return true;
      if (i < name.size() && name[i] == '/') break;
    }
    return false;
  }
  if (pattern[0] == '{') {
    const std::size_t close = pattern.find('}');
    if (close != std::string_view::npos) {
      std::string_view options = pattern.substr(1, close - 1);
      const std::string_view rest = pattern.substr(close + 1);
      while (true) {
        const std::size_t comma = options.find(',');
        const std::string alt = std::string(options.substr(0, comma)) + std::string(rest);
        if (glob_match(alt, name)) return true;
        if (comma == std::string_view::npos) return false;
        options.remove_prefix(comma + 1);
      }
    }
  }
  if (name.empty()) return false;
  if (pattern[0] == '?') return name[0] != '/' && glob_match(pattern.substr(1), name.substr(1));
  if (pattern[0] == '[') {
    const std::size_t close = pattern.find(']');
    if (close != std::string_view::npos) {
      std::string_view set = pattern.substr(1, close - 1);
      const bool negate = !set.empty() && (set[0] == '!' || set[0] == '^');
      if (negate) set.remove_prefix(1);
      bool found = false;
      for (std::size_t i = 0; i < set.size(); ++i) {
        if (i + 2 < set.size() && set[i + 1] == '-') {
          found = found || (name[0] >= set[i] && name[0] <= set[i + 2]);
          i += 2;
        } else {
          found = found || name[0] == set[i];
        }
      }
      return found != negate && glob_match(pattern.substr(close + 1), name.substr(1));
    }
  }
  if (pattern[0] == '\\' && pattern.size() > 1)
    return name[0] == pattern[1] && glob_match(pattern.substr(2), name.substr(1));
  return pattern[0] == name[0] && glob_match(pattern.substr(1), name.substr(1));
}

std::string base_name(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// chartutil.Files: a map[string][]byte of path to content, with methods.
class FilesObject : public Object {
 public:
  // The files stay the chart's, which outlives every render of it.
  explicit FilesObject(std::vector<const ChartDataFile*> files) : files_(std::move(files)) {}
  std::string type_name() const override { return "chartutil.Files"; }
  // Ranged over (`range $path, $bytes := .Files.Glob "crds/*"`): path -> []byte, by path.
  const std::vector<std::pair<std::string, Value>>* map_entries() const override {
    std::call_once(entries_once_, [this] {
      entries_.reserve(files_.size());
      for (const ChartDataFile* f : files_) entries_.emplace_back(f->name(), make_bytes(content_of(*f)));
    });
    return &entries_;
  }
  std::optional<Value> field(std::string_view name) const override {
    if (name == "AsConfig") return Value::of(as_map(false));
    if (name == "AsSecrets") return Value::of(as_map(true));
    return std::nullopt;
  }
  bool has_method(std::string_view name) const override {
    return name == "Get" || name == "GetBytes" || name == "Glob" || name == "Lines";
  }
  Result<Value> call_method(std::string_view name, std::span<const Value> args) const override {
    if (args.size() != 1) return fail(fmt::format("wrong number of args for {}: want 1 got {}", name, args.size()));
    if (!args[0].is_string())
      return fail(fmt::format("wrong type for value; expected string; got {}", helm::type_name(args[0])));
    const std::string& arg = args[0].string;
    if (name == "Glob") {
      std::vector<const ChartDataFile*> matched;
      for (const ChartDataFile* f : files_)
        if (glob_match(arg, f->name())) matched.push_back(f);
      return Value::of(std::shared_ptr<const Object>(std::make_shared<FilesObject>(std::move(matched))));
    }
    const ChartDataFile* file = nullptr;
    for (const ChartDataFile* f : files_)
      if (f->name() == arg) file = f;
    // Helm read every file as it loaded the chart, and would not have loaded
    // one it could not read.
    if (file != nullptr && !file->content())
      return fail(fmt::format("cannot read {}: {}", file->name(), file->content().error().message));
    const std::string& content = file != nullptr ? *file->content() : kNoContent;
    if (name == "Lines") {
      std::vector<std::string> lines;
      if (!content.empty()) {
        std::string s = content;
        if (s.back() == '\n') s.pop_back();
        std::size_t pos = 0;
        while (true) {
          const auto nl = s.find('\n', pos);
          lines.push_back(s.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos));
          if (nl == std::string::npos) break;
          pos = nl + 1;
        }
      }
      List l;
      for (auto& line : lines) l.push_back(Value::of(std::move(line)));
      return Value::of(std::move(l), true);
    }
    if (name == "GetBytes") return make_bytes(content);
    return Value::of(content);
  }
  std::string to_string() const override {
    std::string out = "map[";
    for (std::size_t i = 0; i < files_.size(); ++i) out += (i ? " " : "") + files_[i]->name() + ":[...]";
    return out + "]";
  }

 private:
  std::string as_map(bool secrets) const {
    if (files_.empty()) return "";
    Dict d;
    for (const ChartDataFile* f : files_)
      d[base_name(f->name())] = Value::of(secrets ? tmpl::base64_encode(content_of(*f)) : content_of(*f));
    std::string yaml = tmpl::to_yaml_document(Value::of(std::move(d)));
    if (yaml.ends_with('\n')) yaml.pop_back();
    return yaml;
  }
  static inline const std::string kNoContent;
  // Where no error can be told (ranged over, AsConfig), a file that cannot be
  // read is empty; Get says why.
  static const std::string& content_of(const ChartDataFile& file) {
    return file.content() ? *file.content() : kNoContent;
  }
  std::vector<const ChartDataFile*> files_;
  // Built on first use: most templates never range over .Files.
  mutable std::once_flag entries_once_;
  mutable std::vector<std::pair<std::string, Value>> entries_;
};

class KubeVersionObject : public Object {
 public:
  KubeVersionObject(std::string version, std::string major, std::string minor)
      : version_(std::move(version)), major_(std::move(major)), minor_(std::move(minor)) {}
  std::string type_name() const override { return "chartutil.KubeVersion"; }
  std::optional<Value> field(std::string_view name) const override {
    if (name == "Version" || name == "GitVersion" || name == "String") return Value::of(version_);
    if (name == "Major") return Value::of(major_);
    if (name == "Minor") return Value::of(minor_);
    return std::nullopt;
  }
  std::string to_string() const override { return version_; }

 private:
  std::string version_, major_, minor_;
};

class ApiVersionsObject : public Object {
 public:
  explicit ApiVersionsObject(std::vector<std::string> versions) : versions_(std::move(versions)) {}
  std::string type_name() const override { return "chartutil.VersionSet"; }
  std::optional<Value> field(std::string_view) const override { return std::nullopt; }
  bool has_method(std::string_view name) const override { return name == "Has"; }
  Result<Value> call_method(std::string_view, std::span<const Value> args) const override {
    if (args.size() != 1 || !args[0].is_string()) return fail("wrong number of args for Has: want 1 got " + std::to_string(args.size()));
    return Value::of(std::find(versions_.begin(), versions_.end(), args[0].string) != versions_.end());
  }
  std::string to_string() const override {
    std::string out = "[";
    for (std::size_t i = 0; i < versions_.size(); ++i) out += (i ? " " : "") + versions_[i];
    return out + "]";
  }

 private:
  std::vector<std::string> versions_;
};

class HelmVersionObject : public Object {
 public:
  std::string type_name() const override { return "chartutil.BuildInfo"; }
  std::optional<Value> field(std::string_view name) const override {
    if (name == "Version") return Value::of("v3.14.0");
    if (name == "GitCommit" || name == "GitTreeState") return Value::of("");
    if (name == "GoVersion") return Value::of("go1.21.0");
    return std::nullopt;
  }
  std::string to_string() const override { return "{v3.14.0   go1.21.0}"; }
};

class CapabilitiesObject : public Object {
 public:
  CapabilitiesObject(Value kube, Value apis) : kube_(std::move(kube)), apis_(std::move(apis)) {}
  std::string type_name() const override { return "*chartutil.Capabilities"; }
  std::optional<Value> field(std::string_view name) const override {
    if (name == "KubeVersion") return kube_;
    if (name == "APIVersions") return apis_;
    if (name == "HelmVersion") return Value::of(std::shared_ptr<const Object>(std::make_shared<HelmVersionObject>()));
    return std::nullopt;
  }
  std::string to_string() const override { return "&{" + kube_.object->to_string() + "}"; }

 private:
  Value kube_, apis_;
};

class TimestampObject : public Object {
 public:
  explicit TimestampObject(std::int64_t seconds) : seconds_(seconds) {}
  std::string type_name() const override { return "*timestamp.Timestamp"; }
  std::optional<Value> field(std::string_view name) const override {
    if (name == "Seconds") return Value::of_int(seconds_, IntType::go_int64);
    if (name == "Nanos") return Value::of_int(0);
    return std::nullopt;
  }
  // The protobuf text form Helm 2 printed.
  std::string to_string() const override { return fmt::format("seconds:{} ", seconds_); }

 private:
  std::int64_t seconds_;
};

// The API groups/versions (and group/version/Kind) of a stock cluster.
const std::vector<std::string>& default_api_versions() {
  static const std::vector<std::string> versions = [] {
    const std::vector<std::pair<std::string, std::vector<std::string>>> groups = {
        {"v1", {"ConfigMap", "Endpoints", "Event", "LimitRange", "Namespace", "Node", "PersistentVolume",
                "PersistentVolumeClaim", "Pod", "PodTemplate", "ReplicationController", "ResourceQuota", "Secret",
                "Service", "ServiceAccount"}},
        {"apps/v1", {"ControllerRevision", "DaemonSet", "Deployment", "ReplicaSet", "StatefulSet"}},
        {"batch/v1", {"CronJob", "Job"}},
        {"autoscaling/v1", {"HorizontalPodAutoscaler"}},
        {"autoscaling/v2", {"HorizontalPodAutoscaler"}},
        {"networking.k8s.io/v1", {"Ingress", "IngressClass", "NetworkPolicy"}},
        {"policy/v1", {"PodDisruptionBudget"}},
        {"rbac.authorization.k8s.io/v1", {"ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"}},
        {"storage.k8s.io/v1", {"CSIDriver", "CSINode", "StorageClass", "VolumeAttachment"}},
        {"apiextensions.k8s.io/v1", {"CustomResourceDefinition"}},
        {"admissionregistration.k8s.io/v1", {"MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"}},
        {"apiregistration.k8s.io/v1", {"APIService"}},
        {"scheduling.k8s.io/v1", {"PriorityClass"}},
        {"coordination.k8s.io/v1", {"Lease"}},
        {"discovery.k8s.io/v1", {"EndpointSlice"}},
        {"events.k8s.io/v1", {"Event"}},
        {"node.k8s.io/v1", {"RuntimeClass"}},
        {"certificates.k8s.io/v1", {"CertificateSigningRequest"}},
        {"authentication.k8s.io/v1", {"TokenReview"}},
        {"authorization.k8s.io/v1", {"SubjectAccessReview"}},
        {"flowcontrol.apiserver.k8s.io/v1", {"FlowSchema", "PriorityLevelConfiguration"}},
    };
    std::vector<std::string> out;
    for (const auto& [gv, kinds] : groups) {
      out.push_back(gv);
      for (const auto& k : kinds) out.push_back(gv + "/" + k);
    }
    return out;
  }();
  return versions;
}

}  // namespace

Value make_chart_object(const Chart& chart) {
  return Value::of(std::shared_ptr<const Object>(std::make_shared<ChartObject>(chart.metadata)));
}

Value make_files_object(const std::vector<ChartDataFile>& files) {
  std::vector<const ChartDataFile*> kept;
  kept.reserve(files.size());
  for (const ChartDataFile& file : files) kept.push_back(&file);
  return Value::of(std::shared_ptr<const Object>(std::make_shared<FilesObject>(std::move(kept))));
}

Value make_capabilities_object(const std::string& kube_version, const std::vector<std::string>& extra_api_versions) {
  std::string v = kube_version.starts_with("v") ? kube_version : "v" + kube_version;
  std::string major, minor;
  const auto dot = v.find('.');
  major = v.substr(1, dot == std::string::npos ? std::string::npos : dot - 1);
  if (dot != std::string::npos) {
    const auto dot2 = v.find('.', dot + 1);
    minor = v.substr(dot + 1, dot2 == std::string::npos ? std::string::npos : dot2 - dot - 1);
  }
  auto versions = default_api_versions();
  versions.insert(versions.end(), extra_api_versions.begin(), extra_api_versions.end());
  return Value::of(std::shared_ptr<const Object>(std::make_shared<CapabilitiesObject>(
      Value::of(std::shared_ptr<const Object>(std::make_shared<KubeVersionObject>(v, major, minor))),
      Value::of(std::shared_ptr<const Object>(std::make_shared<ApiVersionsObject>(std::move(versions)))))));
}

Value make_release_time_object(std::int64_t unix_seconds) {
  return Value::of(std::shared_ptr<const Object>(std::make_shared<TimestampObject>(unix_seconds)));
}

}  // namespace constable::helm
