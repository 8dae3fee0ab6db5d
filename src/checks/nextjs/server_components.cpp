// nextjs/server-components-default: a module is a Client Component only when
// it needs to be; "use client" on a module with no state, effect, event
// handler, function prop or browser API sends its code to the browser for
// nothing.

#include <algorithm>
#include <set>
#include <string>
#include <utility>

#include <fmt/format.h>
#include <re2/re2.h>

#include "checks/nextjs/nextjs_checks.hpp"
#include "checks/nextjs/nextjs_support.hpp"
#include "code/model.hpp"

namespace constable::checks::nextjs {

namespace {
namespace server_components_check {

constexpr engine::CheckInfo kInfo{
    .id = "nextjs/server-components-default",
    .domain = "nextjs",
    .nature = Nature::maintainability,
    .summary = "Mark a module \"use client\" only when it needs the browser",
    .rationale = "A \"use client\" module and everything it imports ship to the browser and hydrate there; "
                 "Server Components render once on the server and send no JavaScript. A module needs the "
                 "client when it calls a hook (useState, useEffect, any use*), creates a context, declares a "
                 "class component, passes a function or event handler as a JSX attribute (onClick={props.x} "
                 "counts), spreads props onto JSX, renders styled-jsx (<style jsx>) or touches a browser API "
                 "(window, document, localStorage, ...), and so does a module of the project it imports that "
                 "has no \"use client\" of its own (the directive is what makes that one a client module). Not "
                 "judged, because the need cannot be seen: a module that imports from a package other than "
                 "react, next/link, next/image and class-name helpers (the package may need the client without "
                 "saying so), and one that re-exports.",
    .remediation = "Remove the \"use client\" directive so the module renders on the server; where a small part "
                   "needs interactivity, move that part into its own client component.",
    .bad_example = "\"use client\"\nexport function Title({ text }: { text: string }) { return <h1>{text}</h1> }\n",
    .good_example = "export function Title({ text }: { text: string }) { return <h1>{text}</h1> }\n",
    .parameters = "",
    .clause = {.section = "next\\.?js", .text = "server components"},
    .file_kind = FileKind::other,
    .stack = "nextjs",
    .scope = engine::Scope::repository,
};

bool server_safe_package(std::string_view module) {
  static const std::set<std::string_view> kSafe = {
      "react", "next/link", "next/image", "clsx", "classnames", "class-variance-authority", "tailwind-merge"};
  return kSafe.contains(module) || module.ends_with(".css") || module.ends_with(".scss");
}

bool looks_local(std::string_view module, const std::vector<PathAlias>& aliases) {
  if (module.starts_with(".") || module.starts_with("@/") || module.starts_with("~/")) return true;
  return std::any_of(aliases.begin(), aliases.end(), [&](const PathAlias& alias) { return module.starts_with(alias.prefix); });
}

// Whether the module, or a module of the project it imports without a
// "use client" of its own, needs the client. A module this one imports
// without the directive becomes a client module only through this one's
// directive, so its needs count as this one's.
class ClientNeeds {
 public:
  ClientNeeds(const engine::RepositoryContext& repository, std::vector<PathAlias> aliases)
      : repository_(repository), aliases_(std::move(aliases)) {}

  bool needs_client(const code::Module& module, const std::string& path, int depth) {
    if (depth > kMaxDepth) return true;  // too deep to tell: assume it does
    if (own_needs(module)) return true;
    for (const code::Import& import : module.imports) {
      if (import.type_only || server_safe_package(import.module)) continue;
      if (!looks_local(import.module, aliases_)) return true;  // a package may need the client without saying so
      const auto resolved = resolve_import(repository_, path, import.module, aliases_);
      if (!resolved) return true;
      if (!visited_.insert(*resolved).second) continue;
      const code::Module* imported = code_of(*resolved);
      if (imported == nullptr) return true;
      if (imported->has_directive("use client")) continue;  // a client boundary of its own
      if (needs_client(*imported, *resolved, depth + 1)) return true;
    }
    return false;
  }

 private:
  static constexpr int kMaxDepth = 4;

  const code::Module* code_of(const std::string& path) const {
    const auto& files = repository_.workspace().files;
    const auto it = std::lower_bound(files.begin(), files.end(), path,
                                     [](const workspace::File& file, const std::string& p) { return file.path < p; });
    return it != files.end() && it->path == path ? repository_.code(*it) : nullptr;
  }

  // What the module's own code shows.
  static bool own_needs(const code::Module& module) {
    static const RE2 kHook(R"((^|\.)use([A-Z0-9]\w*)?$)");
    static const std::set<std::string_view> kBrowser = {
        "window", "document", "localStorage", "sessionStorage", "navigator", "location", "history",
        "matchMedia", "IntersectionObserver", "ResizeObserver", "MutationObserver", "requestAnimationFrame",
        "alert", "confirm", "prompt", "globalThis", "self", "indexedDB", "Notification", "Audio", "FileReader"};
    for (const code::Call& call : module.calls)
      if (RE2::PartialMatch(call.callee, kHook) || call.method() == "createContext" || call.callee == "dynamic" ||
          call.callee == "require")
        return true;
    for (const code::Class& klass : module.classes)
      if (!klass.bases.empty()) return true;
    for (const code::JsxElement& element : module.jsx_elements)
      for (const code::JsxAttribute& attribute : element.attributes) {
        // styled-jsx (<style jsx>) works in client components only.
        if (element.tag == "style" && attribute.name == "jsx") return true;
        const std::string_view name = attribute.name;
        if (name.size() > 2 && name.starts_with("on") && name[2] >= 'A' && name[2] <= 'Z') return true;
        if (name == "ref" || attribute.value.find("=>") != std::string::npos || attribute.value.starts_with("function"))
          return true;
      }
    if (!module.tree) return true;
    bool needed = false;
    module.tree->root().walk([&](const code::Node& node) {
      if (needed) return false;
      if (node.is("identifier") && kBrowser.contains(node.text())) needed = true;
      // Spread props may carry handlers a client parent passes; re-exports
      // are the way to mark a library's components as client ones.
      if (node.is("jsx_expression") && node.named_child(0).is("spread_element")) needed = true;
      if (node.is("export_statement") && node.field("source")) needed = true;
      return !needed;
    });
    return needed;
  }

  const engine::RepositoryContext& repository_;
  std::vector<PathAlias> aliases_;
  std::set<std::string> visited_;
};

class ServerComponentsCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_repository(const engine::RepositoryContext& repository, engine::Emitter& out) const override {
    for (const Project& project : next_projects(repository)) {
      const auto config = load_tsconfig(repository, project);
      const std::vector<PathAlias> aliases = config ? path_aliases(*config) : std::vector<PathAlias>{};
      for (const workspace::File* file : project.files) {
        const std::string_view relative = project.relative(file->path);
        if (!is_script(relative) || is_test_or_story(relative)) continue;
        const code::Module* module = repository.code(*file);
        if (module == nullptr || !module->has_directive("use client") || !module->errors.empty()) continue;
        // A module with nothing to render or call is not a component.
        if (module->jsx_elements.empty()) continue;
        ClientNeeds needs(repository, aliases);
        if (needs.needs_client(*module, file->path, 0)) continue;
        const std::string* content = repository.text(*file);
        const int line = use_client_line(*module, content ? std::string_view(*content) : std::string_view());
        out.emit({.range = SourceRange::at_line(line),
                  .message = "\"use client\" module uses no state, effect, event handler or browser API; it "
                             "can stay a Server Component",
                  .path_override = file->path});
      }
    }
  }
};

}  // namespace server_components_check
}  // namespace

std::unique_ptr<engine::Check> make_server_components_default_check() {
  return engine::make_check<server_components_check::ServerComponentsCheck>();
}

}  // namespace constable::checks::nextjs
