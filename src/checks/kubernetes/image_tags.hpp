#pragma once
// Image references of production workloads, shared by the two tagging checks.

#include <functional>
#include <string>

#include "formats/image_ref.hpp"
#include "kube/manifests.hpp"

namespace constable::checks::kubernetes {

struct ProductionImage {
  const kube::Object& object;
  const kube::Container& container;
  const yaml::Node& node;
  const formats::ImageRef& image;
  const std::string& production;  // why the object is production
};

// Every parseable image of every production workload (template variables
// such as "${TAG}" or "{{ .Values.tag }}" left unresolved are skipped).
void for_each_production_image(const kube::ManifestSet& set, const std::function<void(const ProductionImage&)>& visit);

// "latest" or no tag and no digest: the tag that moves.
bool uses_latest(const formats::ImageRef& image);

}  // namespace constable::checks::kubernetes
