// The prompts: reviewing a change against the constitution with the tools
// this server offers.

#include <fmt/format.h>

#include "mcp/features.hpp"

namespace constable::mcp {

namespace {

using nlohmann::json;

constexpr std::string_view kReview = "review_change";

}  // namespace

json list_prompts() {
  return {{"prompts",
           json::array({{{"name", std::string(kReview)},
                         {"title", "Review a change against the constitution"},
                         {"description",
                          "Review a diff or a set of changed files against the project's constitution, citing clauses"},
                         {"arguments",
                          json::array({{{"name", "change"},
                                        {"description", "the diff, or the changed files' paths and contents"},
                                        {"required", true}}})}}})}};
}

json get_prompt(const Server& server, const json& params) {
  const std::string name = required_string(params, "name");
  if (name != kReview) throw RpcError{kInvalidParams, fmt::format("unknown prompt '{}'", name)};
  const auto arguments = params.find("arguments");
  const json none = json::object();
  const std::string change = required_string(arguments != params.end() && arguments->is_object() ? *arguments : none,
                                             "change");
  const auto& constitution = server.snapshot().constitution();
  const std::string version = constitution.version ? " " + constitution.version->version : std::string();
  const std::string text = fmt::format(
      "Review this change against the project's constitution ({}{}).\n\n"
      "1. For each file the change adds or modifies, call `check_files` with its new content; each finding names "
      "the clause it breaks, its severity, its due date and a fix.\n"
      "2. For a file of a kind not checked before, call `applicable_clauses` with its path to see what the "
      "constitution requires of it.\n"
      "3. Report every violation with its clause id and the fix, most severe first; a deprecation warning "
      "(\"warning until\") is not yet a violation but will be.\n"
      "4. Say which clauses no check could judge (`explain_clause`, `coverage`) and review those by reading.\n\n"
      "The change:\n\n{}",
      constitution.path, version, change);
  return {{"description", "Review a change against the constitution"},
          {"messages", json::array({{{"role", "user"}, {"content", {{"type", "text"}, {"text", text}}}}})}};
}

}  // namespace constable::mcp
