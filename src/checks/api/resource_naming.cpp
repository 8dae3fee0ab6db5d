// api/resource-naming: path segments are kebab-case, and collections are
// named with plural nouns ("Endpoint naming: plural nouns, kebab-case").

#include <fmt/format.h>
#include <re2/re2.h>

#include "checks/api/api_checks.hpp"
#include "checks/api/api_support.hpp"
#include "checks/api/english_nouns.hpp"
#include "core/text.hpp"

namespace constable::checks::api {

namespace {
namespace resource_naming_check {

constexpr engine::CheckInfo kInfo{
    .id = "api/resource-naming",
    .domain = "api",
    .nature = Nature::maintainability,
    .summary = "Name endpoints with plural nouns in kebab-case (/api/v1/order-items/{id})",
    .rationale =
        "Consistent resource names make an API guessable. Every literal path segment must be kebab-case "
        "(lower-case words joined by '-'). A segment must be a plural noun where it names a collection: when a "
        "path parameter follows it (/orders/{id}) and when it is the first resource after the version prefix "
        "and ends the path (/api/v1/orders); followed by another literal segment it is a namespace "
        "(/api/v1/billing/invoices). Irregular plurals (people, children, data, media, criteria, ...) are plurals; "
        "uncountable and conventional singleton words (health, status, auth, login, metadata, search, me, ...) "
        "are accepted; singular sub-resources after a parameter (/users/{id}/profile) are not judged. Path "
        "parameters ({id}), the version segment (v1) and the 'api' prefix are skipped.",
    .remediation = "Rename the segment: /api/v1/order/{id} -> /api/v1/orders/{id}, /api/v1/orderItems -> "
                   "/api/v1/order-items.",
    .bad_example = "paths:\n  /api/v1/orderItem/{id}:\n    get: ...\n",
    .good_example = "paths:\n  /api/v1/order-items/{id}:\n    get: ...\n",
    .parameters = "",
    .clause = {.section = "api design|fastapi|backend", .text = "naming.*plural|plural.*kebab|kebab"},
    .file_kind = FileKind::other,
    .stack = "",
    .scope = engine::Scope::every_text_file,
    .one_finding_per_file = true,
};

bool is_parameter(std::string_view segment) { return segment.starts_with('{') && segment.ends_with('}'); }

class ResourceNamingCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check(const engine::FileContext& file, engine::Emitter& out) const override {
    auto doc = load(file);
    if (!doc) return;
    const yaml::Node* paths = doc->root->get("paths");
    if (paths == nullptr || !paths->is_mapping()) return;
    static const RE2 kebab(R"([a-z0-9]+(?:-[a-z0-9]+)*)");
    static const RE2 version(R"(v\d+(?:\.\d+)*)");
    for (const yaml::Entry& e : paths->entries) {
      if (!e.key->is_scalar() || is_infrastructure_path(e.key->value)) continue;
      std::vector<std::string_view> segments;
      for (std::string_view s : text::split(e.key->value, '/'))
        if (!s.empty()) segments.push_back(s);
      bool first_resource = true;
      for (std::size_t i = 0; i < segments.size(); ++i) {
        std::string_view s = segments[i];
        if (is_parameter(s)) { first_resource = false; continue; }
        if (i == 0 && s == "api") continue;
        if (RE2::FullMatch(s, version)) continue;
        if (s.starts_with('.')) continue;  // /.well-known
        if (const auto colon = s.find(':'); colon != std::string_view::npos) s = s.substr(0, colon);  // custom verbs
        if (!RE2::FullMatch(s, kebab)) {
          out.report(key_range(e.key), fmt::format("segment '{}' of '{}' is not kebab-case", s, e.key->value));
          first_resource = false;
          continue;
        }
        // A first resource followed by another literal segment is a namespace
        // (/plateau/alerts), not a collection.
        const bool last = i + 1 == segments.size();
        const bool collection = (first_resource && last) || (!last && is_parameter(segments[i + 1]));
        first_resource = false;
        if (!collection) continue;
        const auto dash = s.rfind('-');
        const std::string_view last_word = dash == std::string_view::npos ? s : s.substr(dash + 1);
        if (is_collection_word(last_word)) continue;
        const std::string suggestion =
            std::string(s.substr(0, dash == std::string_view::npos ? 0 : dash + 1)) + plural_of(last_word);
        out.report(key_range(e.key), fmt::format("collection '{}' of '{}' is not a plural noun (e.g. '{}')", s,
                                                 e.key->value, suggestion));
      }
    }
  }
};

}  // namespace resource_naming_check
}  // namespace

std::unique_ptr<engine::Check> make_resource_naming_check() {
  return engine::make_check<resource_naming_check::ResourceNamingCheck>();
}

}  // namespace constable::checks::api
