// fastapi/http-status-codes: an HTTPException carries an error status (4xx
// or 5xx) that HTTP defines, and a route declares a status code HTTP defines.

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>

#include <fmt/format.h>
#include <re2/re2.h>

#include "checks/fastapi/fastapi_checks.hpp"
#include "checks/fastapi/fastapi_support.hpp"

namespace constable::checks::fastapi {

namespace {
namespace http_status_codes_check {

constexpr engine::CheckInfo kInfo{
    .id = "fastapi/http-status-codes",
    .domain = "fastapi",
    .nature = Nature::reliability,
    .summary = "Raise HTTPException with error statuses HTTP defines",
    .rationale = "Clients, proxies and monitoring act on the status code alone: an HTTPException with 200 or 302 "
                 "reports an error as success or a redirect, and a code HTTP does not define (420, 499, 520) is "
                 "read by clients only as its class. Errors must use the 4xx and 5xx codes of the IANA registry.",
    .remediation = "Use the defined code that says what happened (status.HTTP_404_NOT_FOUND, HTTP_409_CONFLICT, "
                   "HTTP_422_UNPROCESSABLE_ENTITY, HTTP_503_SERVICE_UNAVAILABLE); answer success with a response, "
                   "not an exception.",
    .bad_example = "raise HTTPException(status_code=200, detail=\"already deleted\")\n",
    .good_example = "raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail=\"order not found\")\n",
    .parameters = "",
    .clause = {.section = "fastapi|backend|error", .text = "status code"},
    .file_kind = FileKind::source,
    .stack = "fastapi",
    .scope = engine::Scope::files_of_kind,
};

// The status codes of the IANA HTTP Status Code Registry.
constexpr std::array kDefined = {100, 101, 102, 103, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226,
                                 300, 301, 302, 303, 304, 305, 307, 308, 400, 401, 402, 403, 404, 405,
                                 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418, 421,
                                 422, 423, 424, 425, 426, 428, 429, 431, 451, 500, 501, 502, 503, 504,
                                 505, 506, 507, 508, 510, 511};

bool defined(int code) { return std::find(kDefined.begin(), kDefined.end(), code) != kDefined.end(); }

// The code of `200`, `status.HTTP_200_OK`, `HTTPStatus.OK` is not read (nor any other expression).
std::optional<int> status_of(std::string_view text) {
  static const RE2 constant(R"(^(?:[A-Za-z_][A-Za-z0-9_]*\.)*HTTP_(\d{3})(?:_[A-Z0-9_]+)?$)");
  std::string digits;
  if (RE2::FullMatch(text, constant, &digits)) text = digits;
  int code = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), code);
  if (error != std::errc{} || end != text.data() + text.size() || text.size() != 3) return std::nullopt;
  return code;
}

class HttpStatusCodesCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  bool judges_path(std::string_view path) const override { return judges_application_path(path); }

  void check(const engine::FileContext& file, engine::Emitter& out) const override {
    const code::Module* module = file.code();
    if (module == nullptr || !judges_path(file.file().path) || !module->imports_module("fastapi")) return;
    for (const code::Call& call : module->calls) {
      const std::string qualified = module->qualified(call.callee);
      if (qualified != "fastapi.HTTPException" && qualified != "starlette.exceptions.HTTPException" &&
          qualified != "fastapi.exceptions.HTTPException")
        continue;
      const code::Argument* argument = call.keyword("status_code");
      if (argument == nullptr) argument = call.positional(0);
      if (argument == nullptr) continue;
      const auto code = status_of(argument->text);
      if (!code) continue;
      if (*code < 400 || *code > 599)
        out.report(argument->range, fmt::format("HTTPException with status {} ({}): an exception answers an error; "
                                                "use a 4xx or 5xx code, or return a response",
                                                *code, argument->text));
      else if (!defined(*code))
        out.report(argument->range, fmt::format("HTTPException with status {}, which HTTP does not define; use a "
                                                "registered 4xx or 5xx code",
                                                *code));
    }
    for (const Route& route : routes(*module)) {
      for (const auto& argument : route.decorator->arguments) {
        if (argument.keyword != "status_code") continue;
        const auto code = status_of(argument.text);
        if (code && !defined(*code))
          out.report(argument.range, fmt::format("route declares status {}, which HTTP does not define", *code));
      }
    }
  }
};

}  // namespace http_status_codes_check
}  // namespace

std::unique_ptr<engine::Check> make_http_status_codes_check() {
  return engine::make_check<http_status_codes_check::HttpStatusCodesCheck>();
}

}  // namespace constable::checks::fastapi
