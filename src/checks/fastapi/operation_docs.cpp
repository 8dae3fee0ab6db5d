// fastapi/operation-docs: every route gives its OpenAPI operation a
// description (a docstring or description=) and a schema for its response
// (response_model=, a return annotation or responses=).

#include <fmt/format.h>

#include "checks/api/api_support.hpp"

#include "checks/fastapi/fastapi_checks.hpp"
#include "checks/fastapi/fastapi_support.hpp"
#include "workspace/workspace.hpp"

namespace constable::checks::fastapi {

namespace {
namespace operation_docs_check {

constexpr engine::CheckInfo kInfo{
    .id = "fastapi/operation-docs",
    .domain = "fastapi",
    .nature = Nature::documentation,
    .summary = "Document every FastAPI route: a description and a response schema",
    .rationale = "FastAPI writes the OpenAPI document from the code: the operation's description is the route's "
                 "docstring (or description=), its response schema the response_model or the return "
                 "annotation. A route with neither is published with a title made from its function name and an "
                 "empty response, which is neither comprehensive nor accurate.",
    .remediation = "Add a docstring saying what the route does, and declare what it returns: response_model=Order "
                   "or -> Order.",
    .bad_example = "@router.get(\"/orders/{order_id}\")\ndef read_order(order_id: int):\n    return repo.get(order_id)\n",
    .good_example = "@router.get(\"/orders/{order_id}\")\ndef read_order(order_id: int) -> Order:\n"
                    "    \"\"\"Return one order by its id.\"\"\"\n    return repo.get(order_id)\n",
    .parameters = "",
    .clause = {.section = "api design|fastapi|backend", .text = "openapi documentation"},
    .file_kind = FileKind::other,
    .stack = "fastapi",
    .scope = engine::Scope::repository,
};

bool has_docstring(const code::Function& function) {
  const code::Node first = function.body.named_child(0);
  return first.is("expression_statement") && first.named_child(0).is("string");
}

const code::Argument* keyword(const code::Decorator& decorator, std::string_view name) {
  for (const auto& argument : decorator.arguments)
    if (argument.keyword == name && argument.text != "None") return &argument;
  return nullptr;
}

// Whether the route returns a body a schema would describe: a `return` of
// a value that is not None nor a Response object (redirects, files, streams).
bool returns_data(const code::Function& function) {
  bool found = false;
  function.body.walk([&](const code::Node& node) {
    if (found || node.is("function_definition") || node.is("lambda") || node.is("class_definition")) return false;
    if (!node.is("return_statement")) return true;
    const code::Node value = node.named_child(0);
    if (!value || value.is("none")) return false;
    if (value.is("call") && value.field("function").text().ends_with("Response")) return false;
    found = true;
    return false;
  });
  return found;
}

// What the route's operation lacks, "" when nothing.
std::string missing_docs(const code::Function& function, const code::Decorator& decorator) {
  const bool described = has_docstring(function) || keyword(decorator, "description") != nullptr;
  // `response_model=None` says on purpose that the body has no model.
  bool model_declared = false;
  for (const auto& argument : decorator.arguments) model_declared = model_declared || argument.keyword == "response_model";
  const bool typed = !returns_data(function) || model_declared || keyword(decorator, "responses") != nullptr ||
                     static_cast<bool>(function.node.field("return_type"));
  if (!described && !typed) return "description (docstring) nor response schema";
  if (!described) return "description (docstring or description=)";
  if (!typed) return "response schema (response_model= or a return annotation)";
  return {};
}

class OperationDocsCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_repository(const engine::RepositoryContext& repository, engine::Emitter& out) const override {
    const auto page_directories = page_app_directories(repository);
    for (const workspace::File& file : repository.workspace().files) {
      if (file.kind != FileKind::source || !judges_application_path(file.path)) continue;
      bool pages = false;
      for (const std::string& directory : page_directories) pages = pages || file.path.starts_with(directory);
      if (pages) continue;
      const code::Module* module = repository.code(file);
      if (module == nullptr || !module->imports_module("fastapi")) continue;
      for (const Route& route : routes(*module)) {
        if (hidden(*module, route) || api::is_infrastructure_path(route.path)) continue;
        const code::Function& function = module->functions[static_cast<std::size_t>(route.function)];
        const std::string missing = missing_docs(function, *route.decorator);
        if (missing.empty()) continue;
        out.emit({.range = function.name_range,
                  .message = fmt::format("route '{}'{} has no {} in its OpenAPI operation", function.name,
                                         route.path.empty() ? "" : fmt::format(" ({})", route.path), missing),
                  .path_override = file.path});
      }
    }
  }

 private:
  // Left out of the OpenAPI document, or a page: include_in_schema=False or
  // a non-JSON response class on the route or on the router it hangs on.
  static bool hidden(const code::Module& module, const Route& route) {
    auto hides = [](const std::vector<code::Argument>& arguments) {
      for (const auto& argument : arguments) {
        if (argument.keyword == "include_in_schema" && argument.text == "False") return true;
        if ((argument.keyword == "response_class" || argument.keyword == "default_response_class") &&
            argument.text.find("JSON") == std::string::npos)
          return true;
      }
      return false;
    };
    if (hides(route.decorator->arguments)) return true;
    const std::string_view callee = route.decorator->callee;
    const code::Assignment* router = module_assignment(module, callee.substr(0, callee.rfind('.')));
    return router != nullptr && router->call >= 0 &&
           hides(module.calls[static_cast<std::size_t>(router->call)].arguments);
  }
};

}  // namespace operation_docs_check
}  // namespace

std::unique_ptr<engine::Check> make_operation_docs_check() {
  return engine::make_check<operation_docs_check::OperationDocsCheck>();
}

}  // namespace constable::checks::fastapi
