#include "checks/fastapi/fastapi_support.hpp"

#include <array>

#include <re2/re2.h>

#include "engine/check.hpp"

#include "workspace/provenance.hpp"

namespace constable::checks::fastapi {

namespace {

constexpr std::array kVerbs = {std::string_view{"get"}, std::string_view{"post"},    std::string_view{"put"},
                               std::string_view{"patch"}, std::string_view{"delete"}, std::string_view{"head"},
                               std::string_view{"options"}, std::string_view{"api_route"}};

bool is_verb(std::string_view method) {
  for (std::string_view verb : kVerbs)
    if (method == verb) return true;
  return false;
}

bool conventional_router_name(std::string_view name) {
  return name == "app" || name == "router" || name == "api_router" || name.ends_with("_router");
}

bool is_route_receiver(const code::Module& module, std::string_view receiver) {
  const std::string from = assigned_from(module, receiver);
  if (from == "fastapi.FastAPI" || from == "fastapi.APIRouter" || from == "fastapi.routing.APIRouter") return true;
  // A project's own subclass keeps the name (`from app.routing import APIRouter`).
  const std::string_view name = last_component(from);
  if ((name == "APIRouter" || name == "FastAPI") && module.imports_module("fastapi")) return true;
  if (!from.empty()) return false;  // assigned from something else: not a FastAPI router
  return conventional_router_name(receiver) && module.imports_module("fastapi");
}

}  // namespace

std::string_view last_component(std::string_view dotted) {
  const auto dot = dotted.rfind('.');
  return dot == std::string_view::npos ? dotted : dotted.substr(dot + 1);
}

const code::Assignment* module_assignment(const code::Module& module, std::string_view name) {
  const code::Assignment* found = nullptr;
  for (const auto& assignment : module.assignments)
    if (assignment.target == name) found = &assignment;
  return found;
}

std::string assigned_from(const code::Module& module, std::string_view name) {
  const code::Assignment* assignment = module_assignment(module, name);
  if (assignment == nullptr || assignment->call < 0) return {};
  return module.qualified(module.calls[static_cast<std::size_t>(assignment->call)].callee);
}

std::vector<Route> routes(const code::Module& module) {
  std::vector<Route> out;
  for (std::size_t i = 0; i < module.functions.size(); ++i) {
    const code::Function& function = module.functions[i];
    for (const code::Decorator& decorator : function.decorators) {
      if (!decorator.is_call) continue;
      const auto dot = decorator.callee.rfind('.');
      if (dot == std::string::npos) continue;
      const std::string_view receiver = std::string_view(decorator.callee).substr(0, dot);
      const std::string_view method = std::string_view(decorator.callee).substr(dot + 1);
      if (!is_verb(method) || receiver.find('.') != std::string_view::npos) continue;
      if (!is_route_receiver(module, receiver)) continue;
      Route route{static_cast<int>(i), &decorator, std::string(method), {}};
      const code::Argument* path = decorator.arguments.empty() ? nullptr : &decorator.arguments[0];
      if (const code::Argument* keyword = nullptr; path == nullptr || !path->keyword.empty()) {
        for (const auto& argument : decorator.arguments)
          if (argument.keyword == "path") keyword = &argument;
        path = keyword;
      }
      if (path != nullptr && path->value) route.path = *path->value;
      out.push_back(std::move(route));
      break;
    }
  }
  return out;
}

bool judges_application_path(std::string_view path) {
  return (path.ends_with(".py")) && !workspace::is_test_source(path);
}

bool contains(const code::Node& node, const code::Node& child) {
  return node && child && node.start_byte() <= child.start_byte() && child.end_byte() <= node.end_byte();
}

bool deferred(const code::Node& node, const code::Node& function_node) {
  for (code::Node current = node.parent(); current && !(current == function_node); current = current.parent())
    if (current.is("lambda") || current.is("function_definition")) return true;
  return false;
}

code::Node enclosing_except(const code::Node& node, const code::Node& function_node) {
  for (code::Node current = node.parent(); current && !(current == function_node); current = current.parent()) {
    if (current.is("except_clause")) return current;
    if (current.is("lambda") || current.is("function_definition")) return {};
  }
  return {};
}

namespace {

bool is_fastapi_class(const code::Module& module, std::string_view callee) {
  return module.qualified(callee) == "fastapi.FastAPI" ||
         (last_component(callee) == "FastAPI" && module.imports_module("fastapi"));
}

// How little an app looks like the project's JSON API: an app with its own
// exception_handlers or no OpenAPI document ranks after one with neither.
int app_rank(const code::Call& call) {
  int rank = 0;
  if (call.keyword("exception_handlers") != nullptr) rank += 1;
  if (const code::Argument* openapi = call.keyword("openapi_url");
      openapi != nullptr && (openapi->text == "None" || (openapi->value && openapi->value->empty())))
    rank += 2;
  return rank;
}

}  // namespace

bool serves_pages(const code::Call& call) {
  const code::Argument* response = call.keyword("default_response_class");
  if (response == nullptr) response = call.keyword("response_class");
  return response != nullptr && response->text.find("JSON") == std::string::npos;
}

namespace {

// The application's Python modules, parsed on all threads: the FastAPI
// checks of the whole repository read them all.
void prefetch_application_code(const engine::RepositoryContext& repository) {
  std::vector<const workspace::File*> files;
  for (const workspace::File& file : repository.workspace().files)
    if (file.kind == FileKind::source && judges_application_path(file.path)) files.push_back(&file);
  repository.prefetch_code(files);
}

}  // namespace

std::vector<std::string> page_app_directories(const engine::RepositoryContext& repository) {
  prefetch_application_code(repository);
  std::vector<std::string> out;
  for (const workspace::File& file : repository.workspace().files) {
    if (file.kind != FileKind::source || !judges_application_path(file.path)) continue;
    const code::Module* module = repository.code(file);
    if (module == nullptr || !module->imports_module("fastapi")) continue;
    for (const code::Call& call : module->calls) {
      if (!is_fastapi_class(*module, call.callee) || !serves_pages(call)) continue;
      const auto slash = file.path.rfind('/');
      out.push_back(slash == std::string::npos ? std::string{} : file.path.substr(0, slash + 1));
      break;
    }
  }
  return out;
}

std::optional<AppSite> primary_fastapi_app(const engine::RepositoryContext& repository) {
  prefetch_application_code(repository);
  std::optional<AppSite> best;
  int best_rank = 0;
  for (const workspace::File& file : repository.workspace().files) {
    if (file.kind != FileKind::source || !judges_application_path(file.path)) continue;
    const code::Module* module = repository.code(file);
    if (module == nullptr || !module->imports_module("fastapi")) continue;
    for (const code::Call& call : module->calls) {
      if (!is_fastapi_class(*module, call.callee) || serves_pages(call)) continue;
      const int rank = app_rank(call);
      if (!best || rank < best_rank) {
        best = AppSite{&file, call.range};
        best_rank = rank;
      }
    }
  }
  return best;
}

namespace {

// Whether a name or string the code holds matches: comments are not code.
bool code_matches(const code::Module& module, const re2::RE2& pattern) {
  auto matches = [&](std::string_view text) { return !text.empty() && RE2::PartialMatch(text, pattern); };
  for (const auto& entry : module.imports)
    if (matches(entry.module) || matches(entry.name)) return true;
  for (const auto& literal : module.strings)
    if (matches(literal.value)) return true;
  for (const auto& call : module.calls)
    if (matches(call.callee)) return true;
  for (const auto& read : module.attribute_reads)
    if (matches(read.path)) return true;
  for (const auto& assignment : module.assignments)
    if (matches(assignment.target)) return true;
  for (const auto& function : module.functions) {
    if (matches(function.name)) return true;
    for (const auto& parameter : function.parameters)
      if (matches(parameter.name)) return true;
  }
  for (const auto& klass : module.classes) {
    if (matches(klass.name)) return true;
    for (const auto& field : klass.fields)
      if (matches(field.name)) return true;
  }
  return false;
}

}  // namespace

bool any_application_code_matches(const engine::RepositoryContext& repository, const re2::RE2& pattern) {
  prefetch_application_code(repository);
  for (const workspace::File& file : repository.workspace().files) {
    if (file.kind != FileKind::source || !judges_application_path(file.path)) continue;
    const code::Module* module = repository.code(file);
    if (module != nullptr && code_matches(*module, pattern)) return true;
  }
  return false;
}

}  // namespace constable::checks::fastapi
