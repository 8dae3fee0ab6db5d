// docker/minimal-final-image: the final image is built on a minimal base,
// preferring the families the constitution names.

#include <fmt/format.h>

#include <array>
#include <string>
#include <vector>

#include "checks/docker/docker_checks.hpp"
#include "checks/docker/docker_support.hpp"
#include "constitution/parameters.hpp"
#include "core/text.hpp"
#include "formats/dockerfile/dockerfile.hpp"

namespace constable::checks::docker {

namespace {
namespace minimal_final_image_check {

constexpr engine::CheckInfo kInfo{
    .id = "docker/minimal-final-image",
    .domain = "docker",
    .nature = Nature::maintainability,
    .summary = "Build the final image on a minimal base (the constitution's preferred family, distroless or slim)",
    .rationale = "Every package in the final image is attack surface, download time and a future CVE to patch. "
                 "Minimal bases (Alpine, distroless, -slim variants, scratch) ship only what the application "
                 "needs at run time.",
    .remediation = "Build in a full image and copy the artifacts into a minimal final stage: alpine, "
                   "gcr.io/distroless/*, cgr.dev/chainguard/*, a -slim variant or scratch.",
    .bad_example = "FROM python:3.12 AS build\n",
    .good_example = kGoodExample,
    .parameters = "the families named in the clause's parenthetical, e.g. \"(Alpine Linux preferred for "
                  "production)\" -> alpine",
    .clause = {.section = "docker", .text = "image size|minimi[sz]"},
    .file_kind = FileKind::dockerfile,
    .stack = "docker",
};

bool is_filler(std::string_view word) {
  static constexpr std::array<std::string_view, 24> kFiller = {
      "preferred", "prefer", "prefered", "linux", "for",   "in",  "production", "prod", "is",   "are",  "the",  "a",
      "an",        "images", "image",    "base",  "based", "variants", "variant", "recommended", "only", "e.g.",
      "such",      "as"};
  for (std::string_view filler : kFiller) {
    if (word == filler) return true;
  }
  return false;
}

// "Alpine Linux preferred for production" -> {"alpine"}; "Alpine/distroless
// preferred" -> {"alpine", "distroless"}; "Debian slim preferred" -> {"debian slim"}.
std::vector<std::string> families(std::string_view remark) {
  std::vector<std::string> out;
  for (const std::string& item : constitution::capture_list(remark)) {
    std::string family;
    const std::string lowered = text::to_lower(item);
    for (std::string_view word : text::split(lowered, ' ')) {
      word = text::trim(word);
      if (word.empty() || is_filler(word) || !(word.front() >= 'a' && word.front() <= 'z')) continue;
      if (word.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789.-") != std::string_view::npos) continue;
      if (!family.empty()) family += ' ';
      family += word;
    }
    if (!family.empty()) out.push_back(std::move(family));
  }
  return out;
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

// "a", "a or b", "a, b or c".
std::string join_alternatives(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i != 0) out += i + 1 == items.size() ? " or " : ", ";
    out += items[i];
  }
  return out;
}

class MinimalFinalImageCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  Result<void> bind(const constitution::Clause& clause, const engine::Config& config) override {
    (void)config;
    families_.clear();
    for (const std::string& remark : constitution::capture_parentheticals(clause.text)) {
      if (!text::icontains(remark, "prefer") && !text::icontains(remark, "recommend")) continue;
      for (std::string& family : families(remark)) families_.push_back(std::move(family));
    }
    return {};
  }

  std::string bound_parameters() const override {
    return families_.empty() ? std::string{} : "preferred: " + join(families_, ", ");
  }

  // A development Dockerfile is not an image the project ships.
  bool judges_path(std::string_view path) const override { return !is_development_dockerfile(path); }

  void check(const engine::FileContext& file, engine::Emitter& out) const override {
    if (!judges_path(file.file().path)) return;
    const dockerfile::Dockerfile& df = file.dockerfile();
    const dockerfile::Stage* final_stage = df.final_stage();
    if (final_stage == nullptr) return;
    const dockerfile::Stage* root = root_stage(df, *final_stage);
    if (root->unresolved || is_scratch(root->resolved_image)) return;
    const auto ref = formats::parse_image_ref(root->resolved_image);
    if (!ref || is_minimal(*ref)) return;
    // The constitution's families first, then the built-in minimal kinds it did not name.
    std::vector<std::string> advice = families_;
    for (const char* fallback : {"alpine", "distroless", "a -slim variant"}) {
      bool named = false;
      for (const std::string& family : families_) named = named || text::icontains(fallback, family);
      if (!named) advice.emplace_back(fallback);
    }
    out.report(from_image_range(df, *final_stage),
               fmt::format("final image '{}' is not minimal; prefer {}{}", root->resolved_image, join_alternatives(advice),
                           families_.empty() ? "" : " (the constitution prefers " + join(families_, " or ") + ")"));
  }

 private:
  bool is_minimal(const formats::ImageRef& ref) const {
    const std::string canonical = text::to_lower(ref.canonical_name());
    if (canonical.starts_with("gcr.io/distroless/") || canonical.starts_with("cgr.dev/chainguard/")) return true;
    // Name and tag only: the registry host says nothing about the image's size.
    const std::string name = text::to_lower(ref.repository + ":" + ref.tag);
    // "chiseled": Ubuntu's distroless-style images (mcr.microsoft.com/dotnet/runtime-deps:8.0-jammy-chiseled).
    static constexpr std::array<std::string_view, 10> kMarkers = {
        "alpine", "slim", "minimal", "micro", "distroless", "busybox", "wolfi", "chainguard", "scratch", "chiseled"};
    for (std::string_view marker : kMarkers) {
      if (name.find(marker) != std::string::npos) return true;
    }
    for (const std::string& family : families_) {
      bool all = true;
      for (std::string_view word : text::split(family, ' ')) {
        if (name.find(word) == std::string::npos) all = false;
      }
      if (all) return true;
    }
    return false;
  }

  std::vector<std::string> families_;
};

}  // namespace minimal_final_image_check
}  // namespace

std::unique_ptr<engine::Check> make_minimal_final_image_check() {
  return engine::make_check<minimal_final_image_check::MinimalFinalImageCheck>();
}

}  // namespace constable::checks::docker
