// fastapi/internal-error-details: an error response does not carry the text
// of an unexpected exception (detail=str(exc)) or a traceback to the client.

#include <array>
#include <optional>

#include <fmt/format.h>

#include "checks/fastapi/fastapi_checks.hpp"
#include "checks/fastapi/fastapi_support.hpp"

namespace constable::checks::fastapi {

namespace {
namespace internal_error_details_check {

constexpr engine::CheckInfo kInfo{
    .id = "fastapi/internal-error-details",
    .domain = "fastapi",
    .nature = Nature::security,
    .summary = "Keep exception messages and tracebacks out of error responses",
    .rationale = "The message of an unexpected exception (a database driver's, an HTTP client's, a KeyError's) "
                 "and a traceback describe the server's internals: table and column names, hostnames, file "
                 "paths, library versions. Sent to the client they help an attacker and tell users nothing they "
                 "can act on. Log them with the request's correlation ID; answer with a generic message.",
    .remediation = "Log the exception (logger.exception(...)) and raise or return a fixed, user-facing message: "
                   "raise HTTPException(status_code=500, detail=\"internal error\").",
    .bad_example = "except Exception as exc:\n    raise HTTPException(status_code=500, detail=str(exc))\n",
    .good_example = "except Exception:\n    logger.exception(\"charging failed\")\n"
                    "    raise HTTPException(status_code=500, detail=\"payment could not be processed\")\n",
    .parameters = "",
    .clause = {.section = "fastapi|backend|error", .text = "(user|client).*(error|message).*(internal|expos)"},
    .file_kind = FileKind::source,
    .stack = "fastapi",
    .scope = engine::Scope::files_of_kind,
};

// Exceptions whose message is the server's own business: the catch-alls,
// Python's errors of programming and the OS, and those of drivers and clients.
// ValueError and a project's own exceptions often carry messages written for
// the user, so they are not judged.
constexpr std::array kInternalBuiltins = {
    std::string_view{"Exception"},      std::string_view{"BaseException"},   std::string_view{"RuntimeError"},
    std::string_view{"OSError"},        std::string_view{"IOError"},         std::string_view{"KeyError"},
    std::string_view{"TypeError"},      std::string_view{"AttributeError"},  std::string_view{"IndexError"},
    std::string_view{"LookupError"},    std::string_view{"ConnectionError"}, std::string_view{"FileNotFoundError"},
    std::string_view{"PermissionError"}, std::string_view{"AssertionError"}, std::string_view{"NotImplementedError"},
    std::string_view{"ZeroDivisionError"}};

constexpr std::array kInternalLibraries = {
    std::string_view{"sqlalchemy"}, std::string_view{"sqlmodel"}, std::string_view{"psycopg2"},
    std::string_view{"psycopg"},    std::string_view{"asyncpg"},  std::string_view{"pymysql"},
    std::string_view{"sqlite3"},    std::string_view{"pymongo"},  std::string_view{"motor"},
    std::string_view{"redis"},      std::string_view{"httpx"},    std::string_view{"requests"},
    std::string_view{"aiohttp"},    std::string_view{"botocore"}, std::string_view{"boto3"},
    std::string_view{"openai"},     std::string_view{"anthropic"}};

bool internal_exception_type(const code::Module& module, std::string_view type) {
  const std::string qualified = module.qualified(type);
  if (qualified.find('.') == std::string::npos) {
    for (std::string_view builtin : kInternalBuiltins)
      if (qualified == builtin) return true;
    return false;
  }
  const std::string_view root = std::string_view(qualified).substr(0, qualified.find('.'));
  for (std::string_view library : kInternalLibraries)
    if (root == library) return true;
  return false;
}

// Whether every type an `except` clause catches is internal (a tuple counts
// when all its members do).
bool catches_internal(const code::Module& module, const code::Node& types) {
  if (!types) return false;
  if (types.is("tuple") || types.is("parenthesized_expression")) {
    if (types.named_child_count() == 0) return false;
    for (std::uint32_t i = 0; i < types.named_child_count(); ++i)
      if (!catches_internal(module, types.named_child(i))) return false;
    return true;
  }
  return internal_exception_type(module, types.text());
}

bool is_response_callee(std::string_view qualified) {
  const std::string_view name = last_component(qualified);
  return name == "HTTPException" || name == "JSONResponse" || name == "ORJSONResponse" ||
         name == "PlainTextResponse" || name == "HTMLResponse" || name == "UJSONResponse" ||
         (name == "Response" && (qualified.starts_with("fastapi") || qualified.starts_with("starlette")));
}

// How `value` puts exception `name` (or a traceback) into a response, if it does.
std::optional<std::string> exposure(const code::Node& value, std::string_view name) {
  std::optional<std::string> found;
  value.walk([&](const code::Node& node) {
    if (found) return false;
    if (node.is("lambda") || node.is("function_definition")) return false;
    if (node.is("call")) {
      const std::string_view callee = node.field("function").text();
      if (callee.starts_with("traceback.format_") || callee == "format_exc" || callee == "format_exception") {
        found = std::string(node.text());
        return false;
      }
      const code::Node arguments = node.field("arguments");
      if (!name.empty() && (callee == "str" || callee == "repr") && arguments.named_child_count() == 1 &&
          arguments.named_child(0).is("identifier") && arguments.named_child(0).text() == name) {
        found = std::string(node.text());
        return false;
      }
    }
    if (!name.empty() && node.is("interpolation")) {
      const code::Node expression = node.field("expression");
      if (expression.is("identifier") && expression.text() == name) {
        found = std::string(node.text());
        return false;
      }
    }
    if (!name.empty() && node.is("attribute") && node.field("object").is("identifier") &&
        node.field("object").text() == name && node.field("attribute").text() == "args") {
      found = std::string(node.text());
      return false;
    }
    return true;
  });
  return found;
}

class InternalErrorDetailsCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  bool judges_path(std::string_view path) const override { return judges_application_path(path); }

  void check(const engine::FileContext& file, engine::Emitter& out) const override {
    const code::Module* module = file.code();
    if (module == nullptr || !judges_path(file.file().path)) return;
    if (!module->imports_module("fastapi") && !module->imports_module("starlette")) return;
    const auto route_list = routes(*module);
    for (const code::Call& call : module->calls) {
      if (call.function < 0) continue;
      const code::Function& function = module->functions[static_cast<std::size_t>(call.function)];
      if (is_response_callee(module->qualified(call.callee))) {
        judge(*module, function, call.node, call.node.field("arguments"), call.range, call.callee, out);
      }
    }
    // A route's own `return {"error": str(exc)}` in an except block.
    for (const Route& route : route_list) {
      const code::Function& function = module->functions[static_cast<std::size_t>(route.function)];
      function.body.walk([&](const code::Node& node) {
        if (node.is("function_definition") || node.is("lambda") || node.is("class_definition")) return false;
        if (!node.is("return_statement") || node.named_child_count() == 0) return true;
        const code::Node value = node.named_child(0);
        if (value.is("call")) return false;  // a response call, judged above
        judge(*module, function, node, value, node.range(), "the response body", out);
        return false;
      });
    }
  }

 private:
  void judge(const code::Module& module, const code::Function& function, const code::Node& at,
             const code::Node& value, const SourceRange& range, std::string_view carrier,
             engine::Emitter& out) const {
    std::string exception;
    const code::Node handler = enclosing_except(at, function.node);
    if (handler) {
      // `except E as e`: the grammar reads `E as e` as one as_pattern in the
      // `value` field, or as `value` and `alias` fields.
      code::Node types = handler.field("value");
      code::Node alias = handler.field("alias");
      if (types.is("as_pattern")) {
        alias = types.field("alias");
        if (alias.is("as_pattern_target")) alias = alias.named_child(0);
        types = types.named_child(0);
      }
      if (alias.is("identifier") && catches_internal(module, types)) exception = alias.text();
    } else if (const code::Node body = function.body; contains(body, at) && exception_handler_of_internal(module, function)) {
      exception = function.parameters.size() >= 2 ? function.parameters[1].name : std::string{};
    }
    const auto how = exposure(value, exception);
    if (!how) return;
    const bool traceback = how->find("format_") != std::string::npos;
    out.report(range, fmt::format("'{}' sends {} to the client in {} ({}); log it and answer with a fixed "
                                  "message",
                                  function.name, traceback ? "a traceback" : fmt::format("the message of '{}'", exception),
                                  carrier, how->substr(0, 60)));
  }

  // An `@app.exception_handler(Exception)` function: its second parameter is
  // an unexpected exception.
  static bool exception_handler_of_internal(const code::Module& module, const code::Function& function) {
    for (const auto& decorator : function.decorators) {
      if (!decorator.is_call || last_component(decorator.callee) != "exception_handler") continue;
      if (decorator.arguments.empty()) continue;
      if (internal_exception_type(module, decorator.arguments[0].text)) return true;
    }
    return false;
  }
};

}  // namespace internal_error_details_check
}  // namespace

std::unique_ptr<engine::Check> make_internal_error_details_check() {
  return engine::make_check<internal_error_details_check::InternalErrorDetailsCheck>();
}

}  // namespace constable::checks::fastapi
