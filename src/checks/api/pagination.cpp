// api/pagination: GET operations that return a collection accept pagination
// parameters ("Response pagination MUST be implemented for collections").

#include <fmt/format.h>

#include "checks/api/api_checks.hpp"
#include "checks/api/api_support.hpp"
#include "core/text.hpp"

namespace constable::checks::api {

namespace {
namespace pagination_check {

constexpr engine::CheckInfo kInfo{
    .id = "api/pagination",
    .domain = "api",
    .nature = Nature::reliability,
    .summary = "Paginate collection GETs (limit/offset, page/page_size or cursor parameters)",
    .rationale =
        "An unpaginated collection grows until it times out or exhausts memory. A collection GET is a GET on a "
        "path that does not end in a parameter whose success response is an array, or an object with an items, "
        "data, results or content array. It must take a query parameter of one of the usual schemes: "
        "limit/offset, page/page_size (per_page, size), or a cursor (cursor, after, page_token, starting_after).",
    .remediation = "Add query parameters (limit and offset, or cursor) and return the page with a link to the next "
                   "one.",
    .bad_example = "/api/v1/orders:\n  get:\n    responses:\n      '200':\n        content:\n          "
                   "application/json:\n            schema: {type: array}\n",
    .good_example = "/api/v1/orders:\n  get:\n    parameters:\n      - {name: limit, in: query}\n      - {name: "
                    "cursor, in: query}\n",
    .parameters = "",
    .clause = {.section = "performance|fastapi|backend", .text = "pagination"},
    .file_kind = FileKind::other,
    .stack = "",
    .scope = engine::Scope::every_text_file,
    .one_finding_per_file = true,
};

constexpr std::string_view kPaginationParameters[] = {
    "limit", "offset", "page", "page_size", "pagesize", "per_page", "perpage", "size", "cursor", "after", "before",
    "page_token", "pagetoken", "next_token", "starting_after", "ending_before", "skip", "take", "first", "last",
    "page[size]", "page[number]", "page[cursor]"};

bool is_array_schema(const ApiDocument& doc, const yaml::Node* schema, const std::string& document) {
  const yaml::Node* s = doc.resolve(schema, document);
  return s != nullptr && s->is_mapping() && s->get("type") != nullptr && s->get("type")->str() == "array";
}

// An array, or an object wrapping one under a conventional name.
bool returns_collection(const ApiDocument& doc, const yaml::Node* media_type, std::string document) {
  const yaml::Node* schema = media_schema(doc, media_type, document);
  if (schema == nullptr || !schema->is_mapping()) return false;
  if (schema->get("type") != nullptr && schema->get("type")->str() == "array") return true;
  const yaml::Node* props = schema->get("properties");
  if (props == nullptr || !props->is_mapping()) return false;
  for (auto wrapper : {"items", "data", "results", "content", "records"})
    if (const yaml::Node* p = props->get(wrapper); p != nullptr && is_array_schema(doc, p, document)) return true;
  return false;
}

class PaginationCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check(const engine::FileContext& file, engine::Emitter& out) const override {
    auto doc = load(file);
    if (!doc) return;
    for (const auto& op : doc->operations) {
      if (!in_this_file(*doc, op) || op.method != "get" || op.path.ends_with('}') || is_infrastructure_path(op.path))
        continue;
      if (!collection(*doc, op) || paginated(*doc, op)) continue;
      out.report(key_range(op.operation_entry->key),
                 fmt::format("GET {} returns a collection but takes no pagination parameter (limit/offset, "
                             "page/page_size or cursor)",
                             op.path));
    }
  }

 private:
  static bool collection(const ApiDocument& doc, const openapi::Operation& op) {
    for (const Response& r : responses(doc, op)) {
      if (!r.entry->key->value.starts_with('2') || r.response == nullptr || !r.response->is_mapping()) continue;
      const yaml::Node* content = r.response->get("content");
      if (content == nullptr || !content->is_mapping()) continue;
      for (const auto& media : content->entries)
        if (returns_collection(doc, media.value, r.document)) return true;
    }
    return false;
  }

  static bool paginated(const ApiDocument& doc, const openapi::Operation& op) {
    const yaml::Node* operation = doc.resolve(op.operation, op.document);
    for (const yaml::Node* holder : {op.path_item, operation}) {
      const yaml::Node* params = holder != nullptr && holder->is_mapping() ? holder->get("parameters") : nullptr;
      if (params == nullptr || !params->is_sequence()) continue;
      for (const yaml::Node* p : params->items) {
        const yaml::Node* param = doc.resolve(p, op.document);
        if (param == nullptr || !param->is_mapping() || param->get("in") == nullptr ||
            param->get("in")->str() != "query")
          continue;
        const std::string name = text::to_lower(param->get("name") != nullptr ? param->get("name")->str() : "");
        for (auto known : kPaginationParameters)
          if (name == known) return true;
      }
    }
    return false;
  }
};

}  // namespace pagination_check
}  // namespace

std::unique_ptr<engine::Check> make_pagination_check() {
  return engine::make_check<pagination_check::PaginationCheck>();
}

}  // namespace constable::checks::api
