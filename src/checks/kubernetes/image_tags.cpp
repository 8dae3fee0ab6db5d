#include "checks/kubernetes/image_tags.hpp"

#include <cctype>
#include <functional>
#include <set>
#include <vector>

#include <fmt/format.h>

#include "checks/kubernetes/kubernetes_support.hpp"
#include "core/text.hpp"

namespace constable::checks::kubernetes {

namespace {

// The images skaffold builds (`build.artifacts[].image` of a skaffold
// Config): skaffold replaces them in the manifests with the tag and digest
// it built, so the manifest's own reference names an artifact, not a tag.
std::set<std::string, std::less<>> skaffold_artifacts(const kube::ManifestSet& set) {
  std::set<std::string, std::less<>> out;
  for (const auto& object : set.objects()) {
    if (!object.api_version.starts_with("skaffold/")) continue;
    const auto collect = [&](const yaml::Node* build) {
      const yaml::Node* artifacts = build != nullptr && build->is_mapping() ? build->get("artifacts") : nullptr;
      if (artifacts == nullptr || !artifacts->is_sequence()) return;
      for (const yaml::Node* artifact : artifacts->items)
        if (artifact->is_mapping())
          if (const yaml::Node* image = artifact->get("image"); image != nullptr && image->is_scalar())
            out.emplace(image->str());
    };
    collect(object.root->get("build"));
    // Profiles build too: `profiles[].build.artifacts`.
    if (const yaml::Node* profiles = object.root->get("profiles"); profiles != nullptr && profiles->is_sequence())
      for (const yaml::Node* profile : profiles->items)
        if (profile->is_mapping()) collect(profile->get("build"));
  }
  return out;
}

// The image as deployed: rewritten by a kustomization's `images:` on the
// way to a production placement, else to any placement.
std::string deployed_image(const kube::Object& object, std::string_view image) {
  const kube::Placement* chosen = nullptr;
  for (const auto& placement : object.placements)
    if (kube::effective_image(image, placement.images) != image && (chosen == nullptr || placement.production)) chosen = &placement;
  return chosen == nullptr ? std::string(image) : kube::effective_image(image, chosen->images);
}

}  // namespace

void for_each_workload_image(const kube::ManifestSet& set, const std::function<void(const WorkloadImage&)>& visit) {
  const auto built_by_skaffold = skaffold_artifacts(set);
  for_each_pod_template(set, [&](const kube::Object& object, const kube::PodTemplate& tmpl) {
    const auto production = object.production();
    const auto non_production = production ? std::nullopt : object.non_production();
    for_each_image(tmpl.spec, [&](const kube::Container& container, const yaml::Node& node) {
      const std::string text = deployed_image(object, node.value);
      if (text.find("${") != std::string::npos || text.find("{{") != std::string::npos) return;
      if (built_by_skaffold.contains(text)) return;
      const auto image = formats::parse_image_ref(text);
      if (!image) return;
      visit(WorkloadImage{object, container, node, *image, production, non_production});
    });
  });
}

std::string shown_image(const WorkloadImage& use) {
  const std::string deployed = deployed_image(use.object, use.node.value);
  if (deployed == use.node.value) return deployed;
  return fmt::format("{} (as kustomize's images: makes it)", deployed);
}

std::string environment_note(const WorkloadImage& use) {
  if (use.production) return production_note(*use.production);
  if (use.non_production) return {};
  return " (environment unknown: nothing marks this manifest as development, test or staging, so it can reach "
         "production)";
}

bool uses_latest(const formats::ImageRef& image) {
  return image.digest.empty() && (image.tag.empty() || image.tag == "latest");
}

namespace {

bool is_image_name_char(char c) {
  return std::islower(static_cast<unsigned char>(c)) != 0 || std::isdigit(static_cast<unsigned char>(c)) != 0 ||
         c == '-' || c == '_' || c == '.';
}

// A directory or Dockerfile-suffix name as an image name would spell it
// ("Web_App" -> "web_app"), "" when it cannot be one.
std::string image_name_of(std::string_view name) {
  std::string lowered = text::to_lower(name);
  for (char c : lowered)
    if (!is_image_name_char(c)) return {};
  return lowered;
}

// More charts than this make a chart collection (bitnami/charts, a platform's
// catalogue of third-party charts), not one project's deployment.
constexpr std::size_t kMaxOwnCharts = 5;

// Names that say where a Dockerfile lives, not what it builds.
bool is_generic_directory(std::string_view name) {
  return name == "docker" || name == "build" || name == "deploy" || name == "images" || name == "image" ||
         name == "container" || name == "containers" || name == "src" || name == "app";
}

}  // namespace

ProjectImages::ProjectImages(const workspace::Workspace& workspace) {
  bool has_dockerfile = false;
  std::vector<std::string> charts;
  for (const auto& file : workspace.files) {
    if (text::basename(file.path) == "Chart.yaml") {
      const std::string dir = file.path.size() > 11 ? file.path.substr(0, file.path.size() - 11)
                                                     : workspace.root.filename().string();
      const std::string name = image_name_of(text::basename(dir));
      if (!name.empty()) charts.push_back(name);
      continue;
    }
    if (file.kind != FileKind::dockerfile) continue;
    has_dockerfile = true;
    const std::string_view path = file.path;
    const std::string_view base = text::basename(path);
    // Dockerfile.worker, worker.Dockerfile
    if (const auto dot = base.find('.'); dot != std::string_view::npos) {
      const std::string_view stem = base.substr(0, dot);
      const std::string_view suffix = base.substr(dot + 1);
      const std::string lowered_stem = text::to_lower(stem);
      const std::string name = image_name_of(lowered_stem == "dockerfile" || lowered_stem == "containerfile" ? suffix : stem);
      if (!name.empty()) names_.insert(name);
    }
    // api/Dockerfile, services/api/docker/Dockerfile
    std::string_view dir = path.substr(0, path.size() - base.size());
    while (!dir.empty()) {
      dir.remove_suffix(1);  // the '/'
      const std::string_view segment = text::basename(dir);
      const std::string name = image_name_of(segment);
      if (!name.empty() && !is_generic_directory(name)) {
        names_.insert(name);
        break;
      }
      dir.remove_suffix(segment.size());
    }
  }
  if (has_dockerfile) {
    const std::string root_name = image_name_of(workspace.root.filename().string());
    if (!root_name.empty()) names_.insert(root_name);
  }
  // A project's own chart deploys its own image (charts/storefront runs
  // shop/storefront, built in another repository); a collection of charts
  // packages other people's software under their names.
  if (charts.size() <= kMaxOwnCharts) names_.insert(charts.begin(), charts.end());
}

bool ProjectImages::builds(const formats::ImageRef& image) const {
  const std::string name = text::to_lower(image.short_name());
  for (const auto& built : names_) {
    if (name == built) return true;
    // "shop-api" for api/, "api-server" for api/
    if (name.size() > built.size() + 1 &&
        ((name.ends_with(built) && name[name.size() - built.size() - 1] == '-') ||
         (name.starts_with(built) && name[built.size()] == '-')))
      return true;
  }
  return false;
}

bool is_version_tag(std::string_view tag) {
  std::size_t i = 0;
  while (i < tag.size()) {
    if (std::isdigit(static_cast<unsigned char>(tag[i])) == 0) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < tag.size() && std::isdigit(static_cast<unsigned char>(tag[j])) != 0) ++j;
    if (j + 1 < tag.size() && tag[j] == '.' && std::isdigit(static_cast<unsigned char>(tag[j + 1])) != 0) return true;
    if (j - i >= 8) return true;  // a date: 20240102
    // a date: 2024-01-02 (RELEASE.2024-01-02T03-04-05Z)
    if (j - i == 4 && j + 5 < tag.size() && tag[j] == '-' && tag[j + 3] == '-' &&
        std::isdigit(static_cast<unsigned char>(tag[j + 1])) != 0 && std::isdigit(static_cast<unsigned char>(tag[j + 2])) != 0)
      return true;
    i = j;
  }
  // A commit: 7+ hex digits with at least one digit and one letter.
  std::size_t run = 0;
  bool digit = false, letter = false;
  for (char c : tag) {
    if (std::isxdigit(static_cast<unsigned char>(c)) != 0) {
      ++run;
      (std::isdigit(static_cast<unsigned char>(c)) != 0 ? digit : letter) = true;
      if (run >= 7 && digit && letter) return true;
    } else {
      run = 0;
      digit = letter = false;
    }
  }
  return false;
}

}  // namespace constable::checks::kubernetes
