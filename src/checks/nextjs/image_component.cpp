// nextjs/image-component: images render through next/image, not a bare <img>.

#include <algorithm>
#include <tuple>

#include <fmt/format.h>

#include "checks/nextjs/nextjs_checks.hpp"
#include "checks/nextjs/nextjs_support.hpp"
#include "code/model.hpp"
#include "core/text.hpp"

namespace constable::checks::nextjs {

namespace {
namespace image_component_check {

constexpr engine::CheckInfo kInfo{
    .id = "nextjs/image-component",
    .domain = "nextjs",
    .nature = Nature::reliability,
    .summary = "Render images with next/image's <Image>, not <img>",
    .rationale = "A bare <img> ships the original file at its original size, has no width and height to "
                 "reserve its box (layout shift, CLS) and loads eagerly; next/image resizes, serves modern "
                 "formats, lazy-loads and reserves the space. Not judged: markup that is not a page's "
                 "(next/og and @vercel/og image responses, opengraph-image and icon files, react-email "
                 "templates), <img> inside <noscript>, images made in the browser (data: and blob: sources, "
                 "modules that call URL.createObjectURL, toDataURL or readAsDataURL), tests and stories.",
    .remediation = "import Image from \"next/image\" and render <Image src=... width=... height=... alt=... /> "
                   "(or `fill` inside a sized parent); add remote hosts to images.remotePatterns in next.config.",
    .bad_example = "export function Avatar() { return <img src=\"/me.png\" alt=\"me\" /> }\n",
    .good_example = "import Image from \"next/image\"\n"
                    "export function Avatar() { return <Image src=\"/me.png\" alt=\"me\" width={64} height={64} /> }\n",
    .parameters = "",
    .clause = {.section = "next\\.?js", .text = "image component"},
    .file_kind = FileKind::other,
    .stack = "nextjs",
    .scope = engine::Scope::repository,
};

// Files whose JSX is not a page's: images drawn by Satori or sent in e-mail,
// where next/image cannot work.
bool renders_elsewhere(std::string_view relative, const code::Module& module) {
  const std::string_view name = text::basename(relative);
  for (const std::string_view special : {"opengraph-image", "twitter-image", "icon", "apple-icon"})
    if (name.starts_with(special) && name.size() > special.size() && name[special.size()] == '.') return true;
  for (const code::Import& import : module.imports)
    if (import.module == "next/og" || import.module == "@vercel/og" || import.module == "satori" ||
        import.module.starts_with("@react-email/") || import.module == "react-email" ||
        import.module == "@react-pdf/renderer")
      return true;
  return false;
}

// Images the browser makes itself (an upload's preview, a canvas snapshot)
// have nothing for the image optimiser to fetch.
bool makes_images_in_browser(const code::Module& module) {
  for (const code::Call& call : module.calls) {
    const std::string_view method = call.method();
    if (method == "createObjectURL" || method == "toDataURL" || method == "readAsDataURL") return true;
  }
  return false;
}

bool generated_source(const code::JsxElement& element) {
  const code::JsxAttribute* source = element.attribute("src");
  return source != nullptr && (source->value.starts_with("data:") || source->value.starts_with("blob:"));
}

bool inside(const SourceRange& inner, const SourceRange& outer) {
  return std::tie(outer.line, outer.column) <= std::tie(inner.line, inner.column) &&
         std::tie(inner.end_line, inner.end_column) <= std::tie(outer.end_line, outer.end_column);
}

class ImageComponentCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_repository(const engine::RepositoryContext& repository, engine::Emitter& out) const override {
    for (const Project& project : next_projects(repository)) {
      for (const workspace::File* file : project.files) {
        const std::string_view relative = project.relative(file->path);
        if (!is_script(relative) || is_test_or_story(relative)) continue;
        const code::Module* module = repository.code(*file);
        if (module == nullptr || module->jsx_elements.empty() || renders_elsewhere(relative, *module)) continue;
        const bool in_browser = makes_images_in_browser(*module);
        // A <noscript> fallback (tracking pixels) is for browsers without
        // JavaScript, where next/image does not load.
        std::vector<SourceRange> noscript;
        if (module->tree)
          module->tree->root().walk([&](const code::Node& node) {
            if (node.is("jsx_element") && node.field("open_tag").field("name").text() == "noscript")
              noscript.push_back(node.range());
            return true;
          });
        for (const code::JsxElement& element : module->jsx_elements) {
          if (element.tag != "img" || generated_source(element) || in_browser) continue;
          if (std::any_of(noscript.begin(), noscript.end(), [&](const SourceRange& r) { return inside(element.range, r); }))
            continue;
          out.emit({.range = element.range,
                    .message = "<img> renders an unoptimised image; use <Image> from next/image",
                    .path_override = file->path});
        }
      }
    }
  }
};

}  // namespace image_component_check
}  // namespace

std::unique_ptr<engine::Check> make_image_component_check() {
  return engine::make_check<image_component_check::ImageComponentCheck>();
}

}  // namespace constable::checks::nextjs
