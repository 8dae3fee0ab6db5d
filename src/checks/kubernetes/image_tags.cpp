#include "checks/kubernetes/image_tags.hpp"

#include "checks/kubernetes/kubernetes_support.hpp"

namespace constable::checks::kubernetes {

void for_each_production_image(const kube::ManifestSet& set, const std::function<void(const ProductionImage&)>& visit) {
  for_each_pod_template(set, [&](const kube::Object& object, const kube::PodTemplate& tmpl) {
    const auto production = object.production();
    if (!production) return;
    for_each_image(tmpl.spec, [&](const kube::Container& container, const yaml::Node& node) {
      const std::string_view text = node.value;
      if (text.find("${") != std::string_view::npos || text.find("{{") != std::string_view::npos) return;
      const auto image = formats::parse_image_ref(text);
      if (!image) return;
      visit(ProductionImage{object, container, node, *image, *production});
    });
  });
}

bool uses_latest(const formats::ImageRef& image) {
  return image.digest.empty() && (image.tag.empty() || image.tag == "latest");
}

}  // namespace constable::checks::kubernetes
