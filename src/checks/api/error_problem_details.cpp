// api/error-problem-details: every error response is RFC 7807 Problem
// Details: application/problem+json with type, title, status, detail and
// instance in its schema.

#include <fmt/format.h>

#include <set>

#include "checks/api/api_checks.hpp"
#include "checks/api/api_support.hpp"
#include "core/text.hpp"

namespace constable::checks::api {

namespace {
namespace error_problem_details_check {

constexpr engine::CheckInfo kInfo{
    .id = "api/error-problem-details",
    .domain = "api",
    .nature = Nature::reliability,
    .summary = "Describe every 4xx/5xx response as application/problem+json with the RFC 7807 fields",
    .rationale =
        "RFC 7807 gives every error one machine-readable shape, so clients handle errors generically. Each 4xx, "
        "5xx, 4XX/5XX and default response must offer the media type application/problem+json, and its schema "
        "(followed through $ref, into other files, and through allOf) must define the members type, title, "
        "status, detail and instance.",
    .remediation = "Reference a shared Problem schema: content: {application/problem+json: {schema: {$ref: "
                   "'#/components/schemas/Problem'}}} with properties type, title, status, detail, instance.",
    .bad_example = "responses:\n  '404':\n    description: Not found\n    content:\n      application/json:\n        "
                   "schema: {type: object}\n",
    .good_example = "responses:\n  '404':\n    description: Not found\n    content:\n      application/problem+json:\n"
                    "        schema: {$ref: '#/components/schemas/Problem'}\n",
    .parameters = "",
    .clause = {.section = "error handling", .text = "7807|problem details"},
    .file_kind = FileKind::other,
    .stack = "",
    .scope = engine::Scope::every_text_file,
    .one_finding_per_file = true,
};

constexpr std::string_view kMembers[] = {"type", "title", "status", "detail", "instance"};

bool is_error_code(std::string_view code) {
  return code == "default" || code.starts_with('4') || code.starts_with('5');
}

// Property names of a schema, through $ref and allOf (bounded by the resolver and a visited set).
void collect_properties(const ApiDocument& doc, const yaml::Node* schema, std::string document,
                        std::set<std::string>& names, std::set<const yaml::Node*>& seen) {
  auto resolved = doc.resolver->resolve({schema, document});
  if (!resolved || resolved->node == nullptr || !resolved->node->is_mapping()) return;
  if (!seen.insert(resolved->node).second) return;
  if (const yaml::Node* props = resolved->node->get("properties"); props != nullptr && props->is_mapping())
    for (const auto& e : props->entries) names.emplace(e.key->value);
  if (const yaml::Node* all = resolved->node->get("allOf"); all != nullptr && all->is_sequence())
    for (const yaml::Node* part : all->items) collect_properties(doc, part, resolved->document, names, seen);
}

class ErrorProblemDetailsCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check(const engine::FileContext& file, engine::Emitter& out) const override {
    auto doc = load(file);
    if (!doc) return;
    for (const auto& op : doc->operations) {
      if (!in_this_file(*doc, op)) continue;
      for (const Response& r : responses(*doc, op)) {
        const std::string code(r.entry->key->value);
        if (!is_error_code(code)) continue;
        const std::string where = fmt::format("{} {} response {}", text::to_upper(op.method), op.path, code);
        if (r.response == nullptr || !r.response->is_mapping()) continue;  // a broken $ref: spec checks report it
        const yaml::Node* content = r.response->get("content");
        const yaml::Node* problem = content != nullptr && content->is_mapping()
                                        ? content->get("application/problem+json")
                                        : nullptr;
        if (problem == nullptr) {
          out.report(key_range(r.entry->key), fmt::format("{} is not application/problem+json (RFC 7807)", where));
          continue;
        }
        std::set<std::string> names;
        std::set<const yaml::Node*> seen;
        const yaml::Node* schema = problem->is_mapping() ? problem->get("schema") : nullptr;
        if (schema != nullptr) collect_properties(*doc, schema, r.document, names, seen);
        std::string lacking;
        for (auto member : kMembers)
          if (!names.contains(std::string(member)))
            lacking += fmt::format("{}{}", lacking.empty() ? "" : ", ", member);
        if (!lacking.empty())
          out.report(key_range(r.entry->key),
                     fmt::format("{}: the problem+json schema lacks the RFC 7807 members {}", where, lacking));
      }
    }
  }

};

}  // namespace error_problem_details_check
}  // namespace

std::unique_ptr<engine::Check> make_error_problem_details_check() {
  return engine::make_check<error_problem_details_check::ErrorProblemDetailsCheck>();
}

}  // namespace constable::checks::api
