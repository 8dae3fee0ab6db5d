// api/rate-limit-responses: mutating operations declare the 429 response a
// rate limiter returns ("API routes MUST implement rate limiting").

#include <fmt/format.h>

#include "checks/api/api_checks.hpp"
#include "checks/api/api_support.hpp"
#include "core/text.hpp"

namespace constable::checks::api {

namespace {
namespace rate_limit_responses_check {

constexpr engine::CheckInfo kInfo{
    .id = "api/rate-limit-responses",
    .domain = "api",
    .nature = Nature::security,
    .summary = "Declare a 429 Too Many Requests response on every POST, PUT, PATCH and DELETE operation",
    .rationale = "Mutating endpoints are the ones abuse and retries hurt most. An operation that documents 429 "
                 "tells clients the limit exists and to back off (with Retry-After); an undocumented limit is either "
                 "missing or a surprise. The contract is what can be checked here: that the limiter is configured "
                 "is a matter for the gateway.",
    .remediation = "Add '429': {$ref: '#/components/responses/TooManyRequests'} to the operation's responses, and "
                   "enforce the limit in the gateway or middleware.",
    .bad_example = "post:\n  responses:\n    '201': {description: Created}\n",
    .good_example = "post:\n  responses:\n    '201': {description: Created}\n    '429': {description: Too many "
                    "requests}\n",
    .parameters = "",
    .clause = {.section = "security", .text = "rate limit"},
    .file_kind = FileKind::other,
    .stack = "",
    .scope = engine::Scope::every_text_file,
    .one_finding_per_file = true,
};

class RateLimitResponsesCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check(const engine::FileContext& file, engine::Emitter& out) const override {
    auto doc = load(file);
    if (!doc) return;
    for (const auto& op : doc->operations) {
      if (!in_this_file(*doc, op) || is_infrastructure_path(op.path)) continue;
      if (op.method != "post" && op.method != "put" && op.method != "patch" && op.method != "delete") continue;
      bool declared = false;
      for (const Response& r : responses(*doc, op)) declared = declared || r.entry->key->value == "429";
      if (declared) continue;
      out.report(key_range(op.operation_entry->key),
                 fmt::format("{} {} declares no 429 response for rate limiting", text::to_upper(op.method), op.path));
    }
  }
};

}  // namespace rate_limit_responses_check
}  // namespace

std::unique_ptr<engine::Check> make_rate_limit_responses_check() {
  return engine::make_check<rate_limit_responses_check::RateLimitResponsesCheck>();
}

}  // namespace constable::checks::api
