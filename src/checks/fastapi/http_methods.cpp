// fastapi/http-methods: routes say what they do with the HTTP method, not
// with a verb in the path (POST /orders/delete/{id}, GET /getOrders):
// Richardson Maturity Model level 2.

#include <array>
#include <cctype>

#include <fmt/format.h>

#include "checks/fastapi/fastapi_checks.hpp"
#include "checks/fastapi/fastapi_support.hpp"
#include "core/text.hpp"
#include "workspace/workspace.hpp"

namespace constable::checks::fastapi {

namespace {
namespace http_methods_check {

constexpr engine::CheckInfo kInfo{
    .id = "fastapi/http-methods",
    .domain = "fastapi",
    .nature = Nature::maintainability,
    .summary = "Name operations with HTTP methods, not with verbs in the path",
    .rationale = "At level 2 of the Richardson Maturity Model a path names a resource and the HTTP method says "
                 "what to do with it: GET reads, POST creates, PUT and PATCH update, DELETE removes. A path "
                 "segment that is itself a create, read, update or delete verb (/orders/delete/{id}, "
                 "/getOrders, /{id}/update_status) is a remote procedure call over HTTP: caches, retries and "
                 "clients cannot tell a safe read from a write by the method.",
    .remediation = "Drop the verb and use the method: POST /orders/delete/{id} -> DELETE /orders/{id}, "
                   "GET /getOrders -> GET /orders, POST /{id}/update_status -> PATCH /{id} with the status.",
    .bad_example = "@router.post(\"/orders/delete/{order_id}\")\n",
    .good_example = "@router.delete(\"/orders/{order_id}\")\n",
    .parameters = "",
    .clause = {.section = "api design|fastapi|backend", .text = "richardson|maturity"},
    .file_kind = FileKind::other,
    .stack = "fastapi",
    .scope = engine::Scope::repository,
};

// Verbs of the operations HTTP methods already name.
constexpr std::array kCrudVerbs = {std::string_view{"get"},    std::string_view{"fetch"},  std::string_view{"list"},
                                   std::string_view{"create"}, std::string_view{"add"},    std::string_view{"update"},
                                   std::string_view{"edit"},   std::string_view{"delete"}, std::string_view{"remove"},
                                   std::string_view{"destroy"}, std::string_view{"save"}};

// The first word of a segment: "update" of "update_status", "update-status"
// and "updateStatus"; "get" of "getOrders".
std::string first_word(std::string_view segment) {
  std::string word;
  for (std::size_t i = 0; i < segment.size(); ++i) {
    const char c = segment[i];
    if (c == '-' || c == '_' || c == '.') break;
    if (i > 0 && std::isupper(static_cast<unsigned char>(c))) break;
    word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return word;
}

bool is_crud_verb(std::string_view word) {
  for (std::string_view verb : kCrudVerbs)
    if (word == verb) return true;
  return false;
}

// Whether a segment starting with a CRUD verb names an operation: the verb
// alone (/delete/{id}), a camelCase call (getOrders), or verb_object on a
// method that writes (POST /update_status). A read of `edit-history` or a
// POST to `add-ons` names a resource that starts with a verb's letters.
bool names_operation(std::string_view segment, std::string_view verb, std::string_view method) {
  if (segment.size() == verb.size()) return true;
  const char next = segment[verb.size()];
  if (std::isupper(static_cast<unsigned char>(next))) return true;
  if (segment == "add-ons" || segment == "add_ons") return false;
  return method != "get" && method != "head" && method != "options";
}

class HttpMethodsCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_repository(const engine::RepositoryContext& repository, engine::Emitter& out) const override {
    // HTML pages have GET and POST only (forms): the rule is for APIs.
    const auto page_directories = page_app_directories(repository);
    for (const workspace::File& file : repository.workspace().files) {
      if (file.kind != FileKind::source || !judges_application_path(file.path)) continue;
      bool pages = false;
      for (const std::string& directory : page_directories) pages = pages || file.path.starts_with(directory);
      const code::Module* module = repository.code(file);
      if (pages || module == nullptr || !module->imports_module("fastapi")) continue;
      for (const Route& route : routes(*module)) judge(route, file.path, out);
    }
  }

 private:
  static void judge(const Route& route, const std::string& file, engine::Emitter& out) {
    const code::Argument* path = nullptr;
    for (const auto& argument : route.decorator->arguments) {
      if (argument.keyword == "path" || (argument.keyword.empty() && &argument == &route.decorator->arguments[0]))
        path = &argument;
      // `methods=["GET", "POST"]`: a form's page and its submission.
      if (argument.keyword == "methods" && argument.text.find("GET") != std::string::npos &&
          argument.text.find("POST") != std::string::npos)
        return;
    }
    if (path == nullptr || !path->value) return;
    for (std::string_view segment : text::split(*path->value, '/')) {
      if (segment.empty() || segment.starts_with('{')) continue;
      const std::string verb = first_word(segment);
      if (!is_crud_verb(verb) || !names_operation(segment, verb, route.verb)) continue;
      const std::string method = route.verb == "api_route" ? std::string("api_route") : text::to_upper(route.verb);
      out.emit({.range = path->range,
                .message = fmt::format("route {} '{}' names its operation in the path ('{}'); let the HTTP method "
                                       "say it (GET, POST, PUT, PATCH, DELETE on the resource)",
                                       method, *path->value, segment),
                .path_override = file});
      return;
    }
  }
};

}  // namespace http_methods_check
}  // namespace

std::unique_ptr<engine::Check> make_http_methods_check() {
  return engine::make_check<http_methods_check::HttpMethodsCheck>();
}

}  // namespace constable::checks::fastapi
