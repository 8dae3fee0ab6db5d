// api/operation-docs: the OpenAPI document is comprehensive: every operation
// has a summary, a description and schemas for what it returns.

#include <fmt/format.h>

#include "checks/api/api_checks.hpp"
#include "checks/api/api_support.hpp"
#include "core/text.hpp"

namespace constable::checks::api {

namespace {
namespace operation_docs_check {

constexpr engine::CheckInfo kInfo{
    .id = "api/operation-docs",
    .domain = "api",
    .nature = Nature::documentation,
    .summary = "Give every operation a summary, a description and a schema for each response body",
    .rationale =
        "\"Comprehensive and accurate\" checked mechanically: every operation has a non-empty summary and "
        "description, every response that has content gives each media type a schema, and every success response "
        "other than 204, 205 and 304 describes its content. Whether the words are true to the code is beyond a "
        "static check; an operation without them is certainly not documented.",
    .remediation = "Add summary: and description: to the operation, and a schema to each response media type.",
    .bad_example = "get:\n  responses:\n    '200':\n      description: OK\n",
    .good_example = "get:\n  summary: Get an order\n  description: Returns one order by id.\n  responses:\n    '200':\n"
                    "      description: The order\n      content:\n        application/json:\n          schema: {$ref: "
                    "'#/components/schemas/Order'}\n",
    .parameters = "",
    .clause = {.section = "api design|fastapi|backend", .text = "openapi documentation"},
    .file_kind = FileKind::other,
    .stack = "",
    .scope = engine::Scope::every_text_file,
    .one_finding_per_file = true,
};

bool has_text(const yaml::Node* node, std::string_view key) {
  const yaml::Node* v = node->get(key);
  return v != nullptr && v->is_scalar() && !text::trim(v->str()).empty();
}

class OperationDocsCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check(const engine::FileContext& file, engine::Emitter& out) const override {
    auto doc = load(file);
    if (!doc) return;
    for (const auto& op : doc->operations) {
      if (!in_this_file(*doc, op)) continue;
      const yaml::Node* operation = doc->resolve(op.operation, op.document);
      if (operation == nullptr || !operation->is_mapping()) continue;
      const std::string name = fmt::format("{} {}", text::to_upper(op.method), op.path);
      std::string lacking;
      for (auto key : {"summary", "description"})
        if (!has_text(operation, key)) lacking += fmt::format("{}{}", lacking.empty() ? "" : " and ", key);
      if (!lacking.empty()) out.report(key_range(op.operation_entry->key), fmt::format("{} has no {}", name, lacking));
      const yaml::Node* all = operation->get("responses");
      if (all == nullptr || !all->is_mapping() || all->entries.empty()) {
        out.report(key_range(op.operation_entry->key), fmt::format("{} declares no responses", name));
        continue;
      }
      for (const Response& r : responses(*doc, op)) {
        if (r.response == nullptr || !r.response->is_mapping()) continue;
        const std::string code(r.entry->key->value);
        const yaml::Node* content = r.response->get("content");
        // No body by design: 204/205/304, anything but a success, a 201 or
        // 202 that answers with headers (Location) alone, and HEAD/OPTIONS.
        const bool bodiless = code == "204" || code == "205" || code == "304" || code == "201" || code == "202" ||
                              !code.starts_with('2') || op.method == "head" || op.method == "options";
        if (content == nullptr || !content->is_mapping() || content->entries.empty()) {
          if (!bodiless)
            out.report(key_range(r.entry->key), fmt::format("{} response {} describes no content", name, code));
          continue;
        }
        for (const auto& media : content->entries) {
          if (media.value->is_mapping() && media.value->get("schema") != nullptr) continue;
          out.report(key_range(r.entry->key),
                     fmt::format("{} response {} has no schema for {}", name, code, media.key->value));
        }
      }
    }
  }
};

}  // namespace operation_docs_check
}  // namespace

std::unique_ptr<engine::Check> make_operation_docs_check() {
  return engine::make_check<operation_docs_check::OperationDocsCheck>();
}

}  // namespace constable::checks::api
