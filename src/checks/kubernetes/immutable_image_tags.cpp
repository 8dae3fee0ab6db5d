// kubernetes/immutable-image-tags: "Immutable tags MUST be used for
// production deployments". Immutable means a digest or a tag in the
// constitution's own tagging scheme, read from the examples of its sibling
// clauses ("Semantic versioning for releases: v1.2.3", "Git commit SHA for
// development: sha-abc1234"): amend an example and the accepted tags follow.
// The scheme is the project's: it applies to images the repository builds.
// A third-party image is immutable enough with its own fixed release tag
// (postgres:15.4) or a digest, and moves with `15` or `stable`.

#include <fmt/format.h>
#include <re2/re2.h>

#include "checks/kubernetes/image_tags.hpp"
#include "checks/kubernetes/kubernetes_checks.hpp"
#include "checks/kubernetes/kubernetes_support.hpp"
#include "core/text.hpp"

namespace constable::checks::kubernetes {

namespace {
namespace immutable_image_tags_check {

constexpr engine::CheckInfo kInfo{
    .id = "kubernetes/immutable-image-tags",
    .domain = "kubernetes",
    .nature = Nature::reliability,
    .summary = "Deploy production images by an immutable tag from the tagging scheme, or by digest",
    .rationale =
        "A tag like `stable` or `main` can be re-pushed: what runs in production then depends on when "
        "each node pulled. Release and commit tags name one build for good.",
    .remediation =
        "Tag the project's production images with the tagging scheme (e.g. v1.2.3 or sha-abc1234) or pin a digest; "
        "run third-party images by a full release version (postgres:15.4) or a digest.",
    .bad_example = "image: registry.example.com/web:stable\n",
    .good_example = "image: registry.example.com/web:v1.2.3\n",
    .parameters =
        "the tag patterns derived from the examples of the Image Tagging clauses (v1.2.3, sha-abc1234), for the "
        "project's own images (named after a directory with a Dockerfile, the repository, or one of its few charts)",
    .clause = {.section = "tagging", .text = "immutable tags"},
    .file_kind = FileKind::yaml,
    .stack = "",  // applies wherever a Kubernetes object is found, whatever the paths say
    .scope = engine::Scope::manifests,
};

// "v1.2.3" -> v?[0-9]+\.[0-9]+\.[0-9]+ (with SemVer pre-release and build
// suffixes); "sha-abc1234" -> sha-[0-9a-f]{7,40}. A run of digits stands for
// any number; a run of hex of 7+ characters for an abbreviated or full SHA.
std::string pattern_from_example(std::string_view example) {
  std::string out;
  std::size_t i = 0;
  bool semver = false;
  // "v1.2.3" and "1.2.3" are the same release: SemVer writes no 'v', tags often do.
  if (example.size() > 1 && example[0] == 'v' && std::isdigit(static_cast<unsigned char>(example[1])) != 0) {
    out += "v?";
    i = 1;
  }
  while (i < example.size()) {
    std::size_t j = i;
    while (j < example.size() && std::isxdigit(static_cast<unsigned char>(example[j]))) ++j;
    const std::string_view run = example.substr(i, j - i);
    const bool has_letter = run.find_first_not_of("0123456789") != std::string_view::npos;
    if (run.size() >= 7 && has_letter) {
      out += "[0-9a-f]{7,40}";
      i = j;
      continue;
    }
    if (std::isdigit(static_cast<unsigned char>(example[i]))) {
      while (i < example.size() && std::isdigit(static_cast<unsigned char>(example[i]))) ++i;
      out += "[0-9]+";
      semver = semver || (i < example.size() && example[i] == '.');
      continue;
    }
    out += RE2::QuoteMeta(example.substr(i, 1));
    ++i;
  }
  if (semver) out += R"((-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?)";
  return out;
}

class ImmutableImageTagsCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  Result<void> bind_section(const std::vector<const constitution::Clause*>& section) override {
    examples_.clear();
    patterns_.clear();
    example_clauses_.clear();
    // "Semantic versioning for releases: v1.2.3": the example follows the colon.
    static const RE2 example(R"(:\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*$)");
    for (const auto* clause : section) {
      std::string value;
      if (RE2::PartialMatch(clause->text, example, &value) && value.find_first_of("0123456789") != std::string::npos) {
        examples_.push_back(value);
        example_clauses_.push_back(clause);
      }
    }
    for (const auto& e : examples_) {
      patterns_.push_back(std::make_unique<RE2>("^" + pattern_from_example(e) + "$"));
      if (!patterns_.back()->ok()) return fail(fmt::format("cannot derive a tag pattern from '{}'", e));
    }
    return {};
  }
  std::vector<const constitution::Clause*> also_enforced() const override { return example_clauses_; }

  std::string bound_parameters() const override {
    if (examples_.empty()) return "tags: a digest (the section gives no example tags)";
    return fmt::format("tags like {}, or a digest", join_and(examples_));
  }

  void check_manifests(const engine::ManifestContext& context, engine::Emitter& out) const override {
    const ProjectImages project(context.workspace());
    for_each_workload_image(context.manifests(), [&](const WorkloadImage& use) {
      if (!use.production) return;
      if (uses_latest(use.image) || !use.image.digest.empty()) return;  // no-latest-tag's, or pinned
      if (!project.builds(use.image)) {
        if (is_version_tag(use.image.tag)) return;
        report(out, use.object, &use.node,
               fmt::format("container '{}' of {} runs third-party image {}, whose tag '{}' is not a fixed release "
                           "and can be re-pushed; pin a full release version or a digest{}",
                           use.container.name, use.object.display_name(), shown_image(use), use.image.tag,
                           environment_note(use)));
        return;
      }
      for (const auto& pattern : patterns_)
        if (RE2::FullMatch(use.image.tag, *pattern)) return;
      report(out, use.object, &use.node,
             fmt::format("container '{}' of {} runs tag '{}', which is not an immutable tag of the tagging scheme "
                         "({}) for the project's own images{}",
                         use.container.name, use.object.display_name(), use.image.tag,
                         examples_.empty() ? "a digest" : join_and(examples_), environment_note(use)));
    });
  }

 private:
  std::vector<std::string> examples_;
  std::vector<const constitution::Clause*> example_clauses_;
  std::vector<std::unique_ptr<RE2>> patterns_;
};

}  // namespace immutable_image_tags_check
}  // namespace

std::unique_ptr<engine::Check> make_immutable_image_tags_check() {
  return engine::make_check<immutable_image_tags_check::ImmutableImageTagsCheck>();
}

}  // namespace constable::checks::kubernetes
