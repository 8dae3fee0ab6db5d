// The resources: the constitution itself, each clause by id, and each
// check's page, so an agent can read what it is held to.

#include <fmt/format.h>

#include "app/check_pages.hpp"
#include "core/files.hpp"
#include "engine/catalog.hpp"
#include "mcp/features.hpp"

namespace constable::mcp {

namespace {

using nlohmann::json;

constexpr std::string_view kDocument = "constitution://document";
constexpr std::string_view kClausePrefix = "constitution://clause/";
constexpr std::string_view kCheckPrefix = "constable://check/";

std::string clause_text(const constitution::Clause& clause, const constitution::Constitution& constitution) {
  return fmt::format("{} ({}:{}, {})\n\n{}\n", clause.id, constitution.path, clause.line, clause.section_joined(),
                     clause.text);
}

json contents(std::string_view uri, std::string_view mime, std::string text) {
  return {{"contents", json::array({{{"uri", std::string(uri)}, {"mimeType", std::string(mime)}, {"text", std::move(text)}}})}};
}

}  // namespace

json list_resources(const Server& server) {
  const auto& constitution = server.snapshot().constitution();
  json list = json::array();
  list.push_back({{"uri", std::string(kDocument)},
                  {"name", "constitution"},
                  {"title", fmt::format("The constitution ({})", constitution.path)},
                  {"description", "The project's constitution, as constable reads it"},
                  {"mimeType", "text/markdown"}});
  for (const auto& clause : constitution.clauses)
    list.push_back({{"uri", fmt::format("{}{}", kClausePrefix, clause.id)},
                    {"name", clause.id},
                    {"description", clause.text},
                    {"mimeType", "text/plain"}});
  for (const auto* info : engine::Catalog::builtin().infos())
    list.push_back({{"uri", fmt::format("{}{}", kCheckPrefix, info->id)},
                    {"name", std::string(info->id)},
                    {"description", std::string(info->summary)},
                    {"mimeType", "text/markdown"}});
  return {{"resources", std::move(list)}};
}

json list_resource_templates() {
  return {{"resourceTemplates",
           json::array({{{"uriTemplate", fmt::format("{}{{id}}", kClausePrefix)},
                         {"name", "clause"},
                         {"description", "A clause of the constitution by id (ids: resources/list or the coverage tool)"},
                         {"mimeType", "text/plain"}},
                        {{"uriTemplate", fmt::format("{}{{id}}", kCheckPrefix)},
                         {"name", "check"},
                         {"description", "A check's page: rationale, examples, fix"},
                         {"mimeType", "text/markdown"}}})}};
}

json read_resource(const Server& server, const json& params) {
  const std::string uri = required_string(params, "uri");
  const auto& constitution = server.snapshot().constitution();
  if (uri == kDocument) {
    auto text = files::read(constitution.path);
    if (!text) throw RpcError{kInternalError, text.error().error.to_string()};
    return contents(uri, "text/markdown", std::move(*text));
  }
  if (uri.starts_with(kClausePrefix)) {
    if (const auto* clause = constitution.find(std::string_view(uri).substr(kClausePrefix.size())))
      return contents(uri, "text/plain", clause_text(*clause, constitution));
  } else if (uri.starts_with(kCheckPrefix)) {
    if (const auto* info = engine::Catalog::builtin().find(std::string_view(uri).substr(kCheckPrefix.size())))
      return contents(uri, "text/markdown", app::check_page(*info));
  }
  throw RpcError{kResourceNotFound, fmt::format("resource not found: {}", uri)};
}

json complete(const Server& server, const json& params) {
  constexpr std::size_t kMaxValues = 100;  // the protocol's limit per answer
  const auto ref = params.find("ref");
  const auto argument = params.find("argument");
  if (ref == params.end() || !ref->is_object() || argument == params.end() || !argument->is_object())
    throw RpcError{kInvalidParams, "completion/complete needs 'ref' and 'argument'"};
  const std::string type = required_string(*ref, "type");
  const auto value = argument->find("value");
  if (value != argument->end() && !value->is_string()) throw RpcError{kInvalidParams, "'argument.value' must be a string"};
  const std::string typed = value == argument->end() ? std::string() : value->get<std::string>();
  std::vector<std::string> candidates;
  if (type == "ref/resource") {
    const std::string uri = required_string(*ref, "uri");
    if (uri == fmt::format("{}{{id}}", kClausePrefix)) {
      for (const auto& clause : server.snapshot().constitution().clauses) candidates.push_back(clause.id);
    } else if (uri == fmt::format("{}{{id}}", kCheckPrefix)) {
      for (const auto* info : engine::Catalog::builtin().infos()) candidates.emplace_back(info->id);
    } else {
      throw RpcError{kInvalidParams, fmt::format("no resource template {}", uri)};
    }
  } else if (type == "ref/prompt") {
    const std::string name = required_string(*ref, "name");
    if (name != "review_change") throw RpcError{kInvalidParams, fmt::format("unknown prompt '{}'", name)};
  } else {
    throw RpcError{kInvalidParams, fmt::format("unknown reference type '{}'", type)};
  }
  // Those that start with what was typed first, then those that contain it.
  std::vector<std::string> values;
  for (const bool prefix : {true, false})
    for (const auto& c : candidates)
      if (prefix ? c.starts_with(typed) : (!c.starts_with(typed) && c.find(typed) != std::string::npos))
        values.push_back(c);
  const std::size_t total = values.size();
  if (values.size() > kMaxValues) values.resize(kMaxValues);
  return {{"completion", {{"values", values}, {"total", total}, {"hasMore", total > values.size()}}}};
}

}  // namespace constable::mcp
