// fastapi/endpoint-tests: "Integration Tests: All API endpoints and event
// handlers". A FastAPI application whose routes no test calls through HTTP
// has no integration test of its endpoints at all.

#include <fmt/format.h>
#include <re2/re2.h>

#include "checks/fastapi/fastapi_checks.hpp"
#include "checks/fastapi/fastapi_support.hpp"
#include "core/text.hpp"
#include "workspace/provenance.hpp"
#include "workspace/workspace.hpp"

namespace constable::checks::fastapi {

namespace {
namespace endpoint_tests_check {

constexpr engine::CheckInfo kInfo{
    .id = "fastapi/endpoint-tests",
    .domain = "fastapi",
    .nature = Nature::reliability,
    .summary = "Test the API's endpoints through HTTP",
    .rationale =
        "Unit tests of the functions behind the routes miss what only the HTTP layer does: routing, "
        "validation of paths, queries and bodies, dependencies, status codes, serialisation and exception "
        "handlers. Judged: the application that stands for the API (its first FastAPI app) and its routes; "
        "an integration test is any test source (tests/ directories, test_*.py, *_test.py, conftest.py and "
        "the like) that calls an app through HTTP: Starlette's or FastAPI's TestClient, httpx with an "
        "ASGITransport or AsyncClient, requests or httpx against a running server, Schemathesis, Tavern "
        "(*.tavern.yaml), Hurl (*.hurl) or a Postman collection. Whether every endpoint is covered is not "
        "judged (routes and test URLs are composed at run time), nor are event handlers, whose consumers "
        "are not told from the rest of the code.",
    .remediation = "Add tests that call the app through FastAPI's TestClient (`client = TestClient(app)`, "
                   "`client.get(\"/orders/1\")`) or httpx's AsyncClient with ASGITransport, one or more per "
                   "endpoint, asserting status codes and bodies.",
    .bad_example = "# app/main.py, and no test calls it\napp = FastAPI()\n\n@app.get(\"/orders/{order_id}\")\n"
                   "def read_order(order_id: int): ...\n",
    .good_example = "# tests/test_orders.py\nfrom fastapi.testclient import TestClient\nfrom app.main import app\n\n"
                    "def test_read_order():\n    assert TestClient(app).get(\"/orders/1\").status_code == 200\n",
    .parameters = "",
    .clause = {.section = "test", .text = R"(integration tests?\b.*\b(endpoints?|api))"},
    .file_kind = FileKind::other,
    .stack = "fastapi",
    .scope = engine::Scope::repository,
};

// A test source that calls an app or a server through HTTP.
bool calls_through_http(std::string_view text) {
  static const RE2 kHttp(
      R"(\bTestClient\b|\bASGITransport\b|\bAsyncClient\b|\bschemathesis\b|\bLifespanManager\b|)"
      R"(\b(requests|httpx)\.(get|post|put|patch|delete|request)\s*\(|\bhttpx\.Client\s*\()");
  return RE2::PartialMatch(text, kHttp);
}

// A file of a tool that exercises an API from outside the code.
bool is_api_test_document(std::string_view path) {
  const std::string lower = text::to_lower(path);
  return lower.ends_with(".hurl") || lower.ends_with(".tavern.yaml") || lower.ends_with(".tavern.yml") ||
         lower.ends_with(".postman_collection.json");
}

class EndpointTestsCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_repository(const engine::RepositoryContext& repository, engine::Emitter& out) const override {
    const auto app = primary_fastapi_app(repository);
    if (!app) return;
    std::size_t route_count = 0;
    for (const workspace::File& file : repository.workspace().files) {
      if (is_api_test_document(file.path)) return;
      if (!file.path.ends_with(".py")) continue;
      if (workspace::is_test_source(file.path) || text::basename(file.path) == "conftest.py") {
        const std::string* content = repository.text(file);
        if (content != nullptr && calls_through_http(*content)) return;
        continue;
      }
      if (file.kind != FileKind::source) continue;
      if (const code::Module* module = repository.code(file)) route_count += routes(*module).size();
    }
    if (route_count == 0) return;
    out.emit({.range = app->range,
              .message = fmt::format("no test calls the API through HTTP (TestClient, httpx, Schemathesis, ...): "
                                     "its {} route{} have no integration test",
                                     route_count, route_count == 1 ? "" : "s"),
              .path_override = app->file->path});
  }
};

}  // namespace endpoint_tests_check
}  // namespace

std::unique_ptr<engine::Check> make_endpoint_tests_check() {
  return engine::make_check<endpoint_tests_check::EndpointTestsCheck>();
}

}  // namespace constable::checks::fastapi
