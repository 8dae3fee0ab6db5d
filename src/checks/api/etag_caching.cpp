// api/etag-caching: cacheable GETs declare an ETag response header and accept
// If-None-Match ("ETag support MUST be implemented for cacheable resources").

#include <fmt/format.h>

#include "checks/api/api_checks.hpp"
#include "checks/api/api_support.hpp"
#include "core/text.hpp"

namespace constable::checks::api {

namespace {
namespace etag_caching_check {

constexpr engine::CheckInfo kInfo{
    .id = "api/etag-caching",
    .domain = "api",
    .nature = Nature::reliability,
    .summary = "Give cacheable GETs an ETag response header and an If-None-Match parameter",
    .rationale = "With an ETag and If-None-Match, a client revalidates with a 304 instead of downloading the "
                 "resource again, and concurrent writers can use If-Match. A GET with a 200 response is cacheable "
                 "by HTTP's rules, so each must declare the ETag header on its 200 response and accept the "
                 "If-None-Match header parameter (on the operation or its path item).",
    .remediation = "Add headers: {ETag: {schema: {type: string}}} to the 200 response and a parameter {name: "
                   "If-None-Match, in: header}; answer 304 Not Modified when it matches.",
    .bad_example = "get:\n  responses:\n    '200': {description: The order}\n",
    .good_example = "get:\n  parameters:\n    - {name: If-None-Match, in: header, schema: {type: string}}\n  "
                    "responses:\n    '200':\n      description: The order\n      headers:\n        ETag: {schema: "
                    "{type: string}}\n",
    .parameters = "",
    .clause = {.section = "performance|fastapi|backend", .text = "etag"},
    .file_kind = FileKind::other,
    .stack = "",
    .scope = engine::Scope::every_text_file,
    .one_finding_per_file = true,
};

class EtagCachingCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check(const engine::FileContext& file, engine::Emitter& out) const override {
    auto doc = load(file);
    if (!doc) return;
    for (const auto& op : doc->operations) {
      if (!in_this_file(*doc, op) || op.method != "get" || is_infrastructure_path(op.path)) continue;
      const Response* ok = nullptr;
      const auto all = responses(*doc, op);
      for (const Response& r : all)
        if (r.entry->key->value == "200") ok = &r;
      if (ok == nullptr) continue;
      if (!has_etag(*doc, *ok))
        out.report(key_range(ok->entry->key),
                   fmt::format("GET {} response 200 declares no ETag header", op.path));
      if (!accepts_if_none_match(*doc, op))
        out.report(key_range(op.operation_entry->key),
                   fmt::format("GET {} accepts no If-None-Match header", op.path));
    }
  }

 private:
  static bool has_etag(const ApiDocument& doc, const Response& r) {
    (void)doc;
    if (r.response == nullptr || !r.response->is_mapping()) return true;  // unresolvable: not judged
    const yaml::Node* headers = r.response->get("headers");
    if (headers == nullptr || !headers->is_mapping()) return false;
    for (const auto& h : headers->entries)
      if (text::iequals(h.key->value, "etag")) return true;
    return false;
  }

  static bool accepts_if_none_match(const ApiDocument& doc, const openapi::Operation& op) {
    const yaml::Node* operation = doc.resolve(op.operation, op.document);
    for (const yaml::Node* holder : {op.path_item, operation}) {
      const yaml::Node* params = holder != nullptr && holder->is_mapping() ? holder->get("parameters") : nullptr;
      if (params == nullptr || !params->is_sequence()) continue;
      for (const yaml::Node* p : params->items) {
        const yaml::Node* param = doc.resolve(p, op.document);
        if (param == nullptr || !param->is_mapping()) continue;
        const yaml::Node* name = param->get("name");
        const yaml::Node* in = param->get("in");
        if (name != nullptr && in != nullptr && in->str() == "header" && text::iequals(name->str(), "if-none-match"))
          return true;
      }
    }
    return false;
  }
};

}  // namespace etag_caching_check
}  // namespace

std::unique_ptr<engine::Check> make_etag_caching_check() {
  return engine::make_check<etag_caching_check::EtagCachingCheck>();
}

}  // namespace constable::checks::api
