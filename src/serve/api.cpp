#include "serve/api.hpp"

#include <charconv>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/digest.hpp"
#include "serve/api_document.hpp"

namespace constable::serve {
namespace {

using nlohmann::ordered_json;

constexpr std::size_t kDefaultPageSize = 50;
constexpr std::size_t kMaxPageSize = 500;
constexpr std::size_t kMaxFiles = 1000;

http::Response json_response(int status, const ordered_json& body) {
  http::Response response;
  response.status = status;
  response.body = body.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
  return response;
}

// A cacheable GET: an ETag from the served version and the request, 304 when
// the client already has it.
http::Response cacheable(const http::Request& request, const Snapshot& snapshot, http::Response response) {
  if (response.status != 200) return response;
  return http::with_etag(
      request, std::move(response),
      fmt::format("\"{}-{}\"", snapshot.version_tag, digest::sha256_hex(request.target).substr(0, 12)),
      "private, max-age=0, must-revalidate");
}

struct Page {
  std::size_t number = 1;
  std::size_t size = kDefaultPageSize;
};

Result<std::size_t> positive(const http::Request& request, std::string_view name, std::size_t fallback,
                             std::size_t max) {
  const auto text = request.query_parameter(name);
  if (!text) return fallback;
  std::size_t value = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc{} || end != text->data() + text->size() || value == 0 || value > max)
    return fail(fmt::format("'{}' must be an integer from 1 to {}", name, max));
  return value;
}

Result<Page> page_of(const http::Request& request) {
  auto number = positive(request, "page", 1, 1'000'000);
  if (!number) return std::unexpected(number.error());
  auto size = positive(request, "per_page", kDefaultPageSize, kMaxPageSize);
  if (!size) return std::unexpected(size.error());
  return Page{*number, *size};
}

// {"items": [...], "page", "per_page", "total", "next"} with a Link header to the next page.
http::Response paginated(const http::Request& request, const std::string& base, const Page& page,
                         std::vector<ordered_json> items) {
  const std::size_t total = items.size();
  const std::size_t first = std::min(total, (page.number - 1) * page.size);
  const std::size_t last = std::min(total, first + page.size);
  ordered_json body;
  body["items"] = ordered_json::array();
  for (std::size_t i = first; i < last; ++i) body["items"].push_back(std::move(items[i]));
  body["page"] = page.number;
  body["per_page"] = page.size;
  body["total"] = total;
  http::Response response;
  if (last < total) {
    const std::string next = fmt::format("{}?page={}&per_page={}", base, page.number + 1, page.size);
    body["next"] = next;
    response.headers.emplace_back("Link", fmt::format("<{}>; rel=\"next\"", next));
  } else {
    body["next"] = nullptr;
  }
  response.body = body.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
  (void)request;
  return response;
}

std::vector<std::string> checks_bound_to(const Snapshot& snapshot, const constitution::Clause& clause) {
  std::vector<std::string> ids;
  for (const auto* binding : snapshot.session.plan.for_clause(clause.id)) ids.emplace_back(binding->check->info().id);
  return ids;
}

ordered_json clause_json(const Snapshot& snapshot, const constitution::Clause& clause) {
  ordered_json out;
  out["id"] = clause.id;
  out["section"] = clause.section_path;
  out["text"] = clause.text;
  out["modality"] = to_string(clause.modality);
  out["line"] = clause.line;
  out["checks"] = checks_bound_to(snapshot, clause);
  return out;
}

ordered_json check_json(const engine::Binding& binding, const Snapshot& snapshot) {
  const auto& info = binding.check->info();
  ordered_json out;
  out["id"] = info.id;
  out["domain"] = info.domain;
  out["summary"] = info.summary;
  out["nature"] = to_string(info.nature);
  out["severity"] = to_string(snapshot.constitution().severity.severity_for(info.nature));
  out["status"] = to_string(binding.status);
  out["clause"] = binding.clause != nullptr ? ordered_json(binding.clause->id) : ordered_json(nullptr);
  out["at_admission"] = info.not_at_admission.empty();
  return out;
}

// A relative path inside the request's own tree.
bool safe_path(std::string_view path) {
  if (path.empty() || path.size() > 1024 || path.front() == '/' || path.find('\\') != std::string_view::npos ||
      path.find('\0') != std::string_view::npos)
    return false;
  std::size_t start = 0;
  while (start <= path.size()) {
    const auto end = std::min(path.find('/', start), path.size());
    const std::string_view part = path.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") return false;
    start = end + 1;
  }
  return true;
}

http::Response post_checks(const http::Request& request, const Snapshot& snapshot, Date today) {
  if (request.header("content-type").find("json") == std::string_view::npos)
    return http::problem(415, "Unsupported media type", "send the files as application/json");
  const auto body = nlohmann::json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) return http::problem(400, "Bad request", "the body is not a JSON object");
  const auto files = body.find("files");
  if (files == body.end() || !files->is_array() || files->empty())
    return http::problem(422, "Unprocessable request", "'files' must be a non-empty array of {path, content}");
  if (files->size() > kMaxFiles)
    return http::problem(422, "Unprocessable request", fmt::format("at most {} files per request", kMaxFiles));
  std::vector<InMemoryFile> in_memory;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < files->size(); ++i) {
    const auto& file = (*files)[i];
    const auto path = file.is_object() ? file.find("path") : file.end();
    const auto content = file.is_object() ? file.find("content") : file.end();
    if (path == file.end() || !path->is_string() || !safe_path(path->get<std::string>()))
      return http::problem(422, "Unprocessable request",
                           fmt::format("files[{}].path must be a relative path without '.' or '..' parts", i));
    if (content == file.end() || !content->is_string())
      return http::problem(422, "Unprocessable request", fmt::format("files[{}].content must be a string", i));
    if (!seen.insert(path->get<std::string>()).second)
      return http::problem(422, "Unprocessable request", fmt::format("files[{}].path is given twice", i));
    in_memory.push_back({path->get<std::string>(), content->get<std::string>()});
  }
  auto run = check_files(snapshot, std::move(in_memory), today);
  if (!run) return http::problem(500, "Cannot check", run.error().to_string());
  http::Response response;
  response.body = findings_json(snapshot, run->plan, run->result, today);
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

}  // namespace

http::Response handle_api(const http::Request& request, const Snapshot& snapshot, Date today) {
  const std::string& path = request.path;
  const bool get = request.method == "GET";
  if (path == "/api/v1/checks") {
    if (request.method == "POST") return post_checks(request, snapshot, today);
    if (!get) return http::method_not_allowed("GET, POST", path);
    auto page = page_of(request);
    if (!page) return http::problem(400, "Bad request", page.error().message);
    std::vector<ordered_json> items;
    for (const auto& binding : snapshot.session.plan.bindings) items.push_back(check_json(binding, snapshot));
    return cacheable(request, snapshot, paginated(request, path, *page, std::move(items)));
  }
  if (path == "/api/v1/clauses") {
    if (!get) return http::method_not_allowed("GET", path);
    auto page = page_of(request);
    if (!page) return http::problem(400, "Bad request", page.error().message);
    std::vector<ordered_json> items;
    for (const auto& clause : snapshot.constitution().clauses) items.push_back(clause_json(snapshot, clause));
    return cacheable(request, snapshot, paginated(request, path, *page, std::move(items)));
  }
  if (path.starts_with("/api/v1/clauses/")) {
    if (!get) return http::method_not_allowed("GET", path);
    const std::string id = path.substr(std::string_view("/api/v1/clauses/").size());
    for (const auto& clause : snapshot.constitution().clauses)
      if (clause.id == id) return cacheable(request, snapshot, json_response(200, clause_json(snapshot, clause)));
    return http::problem(404, "Not found", fmt::format("no clause '{}' in the constitution", id.substr(0, 200)));
  }
  if (path == "/api/v1/coverage") {
    if (!get) return http::method_not_allowed("GET", path);
    http::Response response;
    response.body = coverage_json(snapshot);
    return cacheable(request, snapshot, std::move(response));
  }
  if (path == "/api/v1/openapi.yaml") {
    if (!get) return http::method_not_allowed("GET", path);
    http::Response response;
    response.content_type = "application/yaml";
    response.body = std::string(kApiDocument);
    return cacheable(request, snapshot, std::move(response));
  }
  return http::problem(404, "Not found", fmt::format("no route {} in /api/v1", path.substr(0, 200)));
}

}  // namespace constable::serve
