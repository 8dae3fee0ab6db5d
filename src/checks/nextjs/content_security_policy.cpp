// nextjs/content-security-policy: a Next.js project sends a
// Content-Security-Policy header, from next.config's headers(), middleware,
// the hosting configuration or a security-headers package.

#include <fmt/format.h>
#include <re2/re2.h>

#include "checks/nextjs/nextjs_checks.hpp"
#include "checks/nextjs/nextjs_support.hpp"
#include "core/text.hpp"

namespace constable::checks::nextjs {

namespace {
namespace content_security_policy_check {

constexpr engine::CheckInfo kInfo{
    .id = "nextjs/content-security-policy",
    .domain = "nextjs",
    .nature = Nature::security,
    .summary = "Configure a Content-Security-Policy header for the Next.js app",
    .rationale = "Next.js sends no Content-Security-Policy by default, so one injected script runs with the "
                 "page's full authority. The header counts as configured when any file of the repository names "
                 "it (next.config headers(), middleware, vercel.json, netlify.toml, _headers, an nginx or "
                 "ingress config, a helper module) or the project depends on a package that sets it "
                 "(next-secure-headers, @next-safe/middleware, nosecone, helmet).",
    .remediation = "Return a Content-Security-Policy header from next.config's async headers() for every route "
                   "(source: \"/(.*)\"), or set it with a per-request nonce in middleware.ts.",
    .bad_example = "next.config.js:\nmodule.exports = { reactStrictMode: true }\n",
    .good_example = "next.config.js:\nmodule.exports = {\n  async headers() {\n    return [{ source: \"/(.*)\", headers: "
                    "[{ key: \"Content-Security-Policy\", value: \"default-src 'self'\" }] }]\n  },\n}\n",
    .parameters = "",
    .clause = {.section = "next\\.?js", .text = "content security policy"},
    .file_kind = FileKind::other,
    .stack = "nextjs",
    .scope = engine::Scope::repository,
};

constexpr std::uintmax_t kLargestScanned = 512 * 1024;

class ContentSecurityPolicyCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_repository(const engine::RepositoryContext& repository, engine::Emitter& out) const override {
    const auto projects = next_projects(repository);
    if (projects.empty()) return;
    for (const workspace::File& file : repository.workspace().files) {
      if (file.size > kLargestScanned || file.kind == FileKind::markdown) continue;
      static const RE2 kHeader(R"((?i)content-security-policy)");
      if (is_script(file.path)) {
        if (code_mentions(repository, file, kHeader)) return;
        continue;
      }
      const std::string* content = repository.text(file);
      if (content != nullptr && text::icontains(*content, "content-security-policy")) return;
    }
    for (const Project& project : projects) {
      bool packaged = false;
      for (const std::string_view package : {"next-secure-headers", "@next-safe/middleware", "next-safe",
                                             "@nosecone/next", "nosecone", "helmet"})
        packaged = packaged || project.dependency(package).has_value();
      if (packaged) continue;
      // The finding sits where the headers belong: next.config, else package.json.
      const workspace::File* config = nullptr;
      for (const workspace::File* file : project.files)
        if (project.relative(file->path).starts_with("next.config.")) config = file;
      const workspace::File* anchor = config != nullptr ? config : project.package_json;
      int line = 1;
      if (config != nullptr)
        if (const std::string* content = repository.text(*config))
          line = std::max(1, line_matching(*content, R"(module\.exports\s*=|export\s+default)"));
      out.emit({.range = SourceRange::at_line(line),
                .message = fmt::format("no Content-Security-Policy header is configured for the Next.js app {}",
                                       project.root.empty() ? std::string(".") : project.root),
                .path_override = anchor->path});
    }
  }
};

}  // namespace content_security_policy_check
}  // namespace

std::unique_ptr<engine::Check> make_content_security_policy_check() {
  return engine::make_check<content_security_policy_check::ContentSecurityPolicyCheck>();
}

}  // namespace constable::checks::nextjs
