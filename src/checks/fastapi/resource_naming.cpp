// fastapi/resource-naming: the literal paths of routes and router prefixes
// are kebab-case, and a segment that names the collection an item route
// reads (/order/{order_id}) is a plural noun.

#include <fmt/format.h>
#include <re2/re2.h>

#include "checks/api/api_support.hpp"
#include "checks/api/english_nouns.hpp"
#include "checks/fastapi/fastapi_checks.hpp"
#include "checks/fastapi/fastapi_support.hpp"
#include "core/text.hpp"
#include "workspace/workspace.hpp"

namespace constable::checks::fastapi {

namespace {
namespace resource_naming_check {

constexpr engine::CheckInfo kInfo{
    .id = "fastapi/resource-naming",
    .domain = "fastapi",
    .nature = Nature::maintainability,
    .summary = "Name route paths with kebab-case, plural collections",
    .rationale = "Consistent resource names make an API guessable. Every literal segment of a route's path, a "
                 "router's prefix and include_router's prefix must be kebab-case (lower-case words joined by "
                 "'-'). Where a segment is followed by the key of one of its items (/order/{order_id}) it names a "
                 "collection and must be plural; other segments are not judged for number, as the prefix a router is mounted "
                 "under elsewhere may change what they name.",
    .remediation = "Rename the segment: /order_items -> /order-items, /order/{order_id} -> /orders/{order_id}.",
    .bad_example = "@router.get(\"/orderItems/{item_id}\")\n",
    .good_example = "@router.get(\"/order-items/{item_id}\")\n",
    .parameters = "",
    .clause = {.section = "api design|fastapi|backend", .text = "naming.*(plural|kebab)"},
    .file_kind = FileKind::other,
    .stack = "fastapi",
    .scope = engine::Scope::repository,
};

bool is_parameter(std::string_view segment) { return segment.starts_with('{') && segment.ends_with('}'); }

// Whether `parameter` is the key of an item of `segment`: `{order_id}`,
// `{order_uuid}`, `{orderId}` after `order`, `{order_item_id}` after
// `order-item`. A key of something else (`/password-recovery/{email}`,
// `/make-owner/{user_id}`) follows an action or a namespace, not a collection.
bool keys_an_item_of(std::string_view segment, std::string_view parameter) {
  if (!is_parameter(parameter)) return false;
  std::string_view name = parameter.substr(1, parameter.size() - 2);
  name = name.substr(0, name.find(':'));  // `{order_id:int}`
  std::string snake(segment);
  for (char& c : snake)
    if (c == '-') c = '_';
  for (std::string_view suffix : {"_id", "_uuid", "_key", "_slug", "Id"})
    if (name.size() == snake.size() + suffix.size() && name.starts_with(snake) && name.ends_with(suffix))
      return true;
  return false;
}

// Adjectives that qualify a key rather than name a collection
// (/customers/external/{external_id}).
bool qualifies_a_key(std::string_view word) {
  for (std::string_view adjective : {"external", "internal", "public", "private", "current", "latest", "active",
                                     "default", "me", "self"})
    if (word == adjective) return true;
  return false;
}

class ResourceNamingCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_repository(const engine::RepositoryContext& repository, engine::Emitter& out) const override {
    // The paths of HTML pages are not endpoints of the API.
    const auto page_directories = page_app_directories(repository);
    for (const workspace::File& file : repository.workspace().files) {
      if (file.kind != FileKind::source || !judges_application_path(file.path)) continue;
      bool pages = false;
      for (const std::string& directory : page_directories) pages = pages || file.path.starts_with(directory);
      const code::Module* module = repository.code(file);
      if (pages || module == nullptr || !module->imports_module("fastapi")) continue;
      check_module(*module, file.path, out);
    }
  }

 private:
  static void check_module(const code::Module& module, const std::string& file, engine::Emitter& out) {
    for (const Route& route : routes(module)) {
      for (const auto& argument : route.decorator->arguments)
        if ((argument.keyword.empty() && &argument == &route.decorator->arguments.front()) ||
            argument.keyword == "path")
          judge(argument, file, out);
    }
    for (const code::Call& call : module.calls) {
      const std::string qualified = module.qualified(call.callee);
      const std::string_view name = last_component(qualified);
      if (name != "APIRouter" && call.method() != "include_router") continue;
      if (const code::Argument* prefix = call.keyword("prefix")) judge(*prefix, file, out);
    }
  }

 private:
  static void judge(const code::Argument& argument, const std::string& file, engine::Emitter& out) {
    if (!argument.value || api::is_infrastructure_path(*argument.value)) return;
    static const RE2 kebab(R"([a-z0-9]+(?:-[a-z0-9]+)*)");
    static const RE2 version(R"(v\d+(?:\.\d+)*)");
    const std::string& path = *argument.value;
    std::vector<std::string_view> segments;
    for (std::string_view s : text::split(path, '/'))
      if (!s.empty()) segments.push_back(s);
    for (std::size_t i = 0; i < segments.size(); ++i) {
      std::string_view s = segments[i];
      if (is_parameter(s) || s.find('{') != std::string_view::npos) continue;
      // The api prefix, a version, /.well-known and file names (openapi.json) are not resources.
      if (s == "api" || RE2::FullMatch(s, version) || s.find('.') != std::string_view::npos) continue;
      if (!RE2::FullMatch(s, kebab)) {
        out.emit({.range = argument.range,
                  .message = fmt::format("segment '{}' of '{}' is not kebab-case", s, path),
                  .path_override = file});
        continue;
      }
      if (i + 1 == segments.size() || !keys_an_item_of(s, segments[i + 1]) || qualifies_a_key(s)) continue;
      const auto dash = s.rfind('-');
      const std::string_view last_word = dash == std::string_view::npos ? s : s.substr(dash + 1);
      if (api::is_collection_word(last_word)) continue;
      const std::string suggestion =
          std::string(s.substr(0, dash == std::string_view::npos ? 0 : dash + 1)) + api::plural_of(last_word);
      out.emit({.range = argument.range,
                .message = fmt::format("collection '{}' of '{}' is not a plural noun (e.g. '{}')", s, path, suggestion),
                .path_override = file});
    }
  }
};

}  // namespace resource_naming_check
}  // namespace

std::unique_ptr<engine::Check> make_resource_naming_check() {
  return engine::make_check<resource_naming_check::ResourceNamingCheck>();
}

}  // namespace constable::checks::fastapi
