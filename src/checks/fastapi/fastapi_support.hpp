#pragma once
// What the FastAPI checks share: which functions of a Python file are routes
// (decorated by a FastAPI app or APIRouter), where an expression sits (inside
// a lambda, inside an `except` block), which files are the project's
// application code rather than its tests, and, across the repository, the
// app that stands for the API and the apps that serve HTML pages.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "code/model.hpp"

namespace constable::engine { class RepositoryContext; }
namespace constable::workspace { struct File; }
namespace re2 { class RE2; }

namespace constable::checks::fastapi {

struct Route {
  int function = -1;  // index into Module::functions
  const code::Decorator* decorator = nullptr;
  std::string verb;  // "get", "post", ..., "api_route"
  std::string path;  // the decorator's path argument, "" when not a literal
};

// The routes of a file: functions decorated `@<x>.get/post/put/patch/delete/
// head/options/api_route(...)` where `<x>` is assigned from FastAPI() or
// APIRouter() in the file, or is named app/router/api_router (or *_router)
// and the file imports fastapi.
std::vector<Route> routes(const code::Module& module);

// Whether the file is application code the FastAPI checks judge: Python,
// not a test's source.
bool judges_application_path(std::string_view path);

// Whether `node` lies inside a lambda, or a nested function, before reaching
// `function_node`: code deferred to a thread or run later, not where it sits.
bool deferred(const code::Node& node, const code::Node& function_node);

// The innermost `except` clause around `node` within `function_node`, or a
// null node.
code::Node enclosing_except(const code::Node& node, const code::Node& function_node);

// Whether `child` is `node` or inside it.
bool contains(const code::Node& node, const code::Node& child);

// The last component of a dotted name: "fastapi.HTTPException" -> "HTTPException".
std::string_view last_component(std::string_view dotted);

// The module-level assignment to `name`, or null.
const code::Assignment* module_assignment(const code::Module& module, std::string_view name);

// The callee (qualified through the imports) of the call a module-level
// assignment to `name` makes, "" when it is not a call.
std::string assigned_from(const code::Module& module, std::string_view name);

// A FastAPI app the application creates, for rules about the API as a whole.
struct AppSite {
  const workspace::File* file = nullptr;
  SourceRange range;  // the FastAPI(...) call
};

// The app that stands for the project's API, for rules about the API as a
// whole: the first FastAPI() the application code creates (at any level),
// preferring one without exception_handlers of its own and with an OpenAPI
// document; apps that serve HTML by default are not APIs. nullopt when none.
std::optional<AppSite> primary_fastapi_app(const engine::RepositoryContext& repository);

// The directories ("polar/backoffice/") of the files that create a FastAPI
// app serving pages (a non-JSON default_response_class): the routes below
// them render HTML, they are not operations of an API.
std::vector<std::string> page_app_directories(const engine::RepositoryContext& repository);

// Whether a call's keywords make it serve pages: a default_response_class or
// response_class that is not JSON.
bool serves_pages(const code::Call& call);

// Whether a name or string in any application source file (imports, string
// literals, callees, attribute reads, assignment targets, function,
// parameter, class and field names; not comments) matches `pattern`.
bool any_application_code_matches(const engine::RepositoryContext& repository, const re2::RE2& pattern);

}  // namespace constable::checks::fastapi
