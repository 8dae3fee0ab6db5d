// The tools: checking files and repositories, explaining clauses and checks,
// what applies to a path before it is written, overdue violations from the
// audit store, and coverage. Each returns a text block an agent reads and
// the same as structuredContent.

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "app/app.hpp"
#include "app/check_pages.hpp"
#include "audit/report.hpp"
#include "core/files.hpp"
#include "core/suggest.hpp"
#include "engine/catalog.hpp"
#include "formats/openapi/openapi.hpp"
#include "formats/yaml/yaml.hpp"
#include "mcp/features.hpp"
#include "store/store.hpp"

namespace constable::mcp {

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr std::size_t kMaxRequestBytes = 10 * 1024 * 1024;  // as `serve`'s request bodies
constexpr std::size_t kFindingsListed = 200;                // in one answer; the count says how many more

json text_result(std::string text, json structured = nullptr, bool error = false) {
  json result = {{"content", json::array({{{"type", "text"}, {"text", std::move(text)}}})}};
  if (!structured.is_null()) result["structuredContent"] = std::move(structured);
  if (error) result["isError"] = true;
  return result;
}

json tool_error(std::string text) { return text_result(std::move(text), nullptr, true); }

std::vector<std::string> string_list(const json& arguments, std::string_view name) {
  std::vector<std::string> out;
  const auto it = arguments.find(name);
  if (it == arguments.end() || it->is_null()) return out;
  if (!it->is_array()) throw RpcError{kInvalidParams, fmt::format("'{}' must be an array of strings", name)};
  for (const auto& item : *it) {
    if (!item.is_string()) throw RpcError{kInvalidParams, fmt::format("'{}' must be an array of strings", name)};
    out.push_back(item.get<std::string>());
  }
  return out;
}

std::optional<std::string> optional_string(const json& arguments, std::string_view name) {
  const auto it = arguments.find(name);
  if (it == arguments.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) throw RpcError{kInvalidParams, fmt::format("'{}' must be a string", name)};
  return it->get<std::string>();
}

// A path the agent names, inside the root (absolute ones too, when they lie there).
Result<fs::path> inside_root(const Server& server, std::string_view path) {
  std::error_code ec;
  const fs::path root = fs::weakly_canonical(fs::absolute(server.options().root, ec), ec);
  const fs::path given(path);
  const fs::path full = fs::weakly_canonical(given.is_absolute() ? given : root / given, ec);
  const fs::path relative = full.lexically_relative(root);
  if (ec || relative.empty() || *relative.begin() == "..")
    return fail(fmt::format("'{}' is outside the root {}", path, root.string()));
  return full;
}

// The findings of a `check --format json` report, as agents need them;
// with `only`, those about these paths (not the configuration's own, such as
// an expired waiver, which a file check did not ask about).
json compact_report(const std::string& report_json, const std::set<std::string>* only = nullptr) {
  const json report = json::parse(report_json, nullptr, false);
  json findings = json::array();
  json by_severity = {{"critical", 0}, {"high", 0}, {"medium", 0}, {"low", 0}};
  std::size_t listed = 0, violations = 0, warnings = 0, suppressed = 0;
  for (const auto& f : report.value("findings", json::array())) {
    if (only != nullptr && !only->contains(f["location"]["path"].get<std::string>())) continue;
    if (f.contains("suppression")) {
      ++suppressed;
      continue;
    }
    if (f.contains("transition")) {
      ++warnings;
    } else {
      ++violations;
      by_severity[f["severity"].get<std::string>()] = by_severity[f["severity"].get<std::string>()].get<int>() + 1;
    }
    if (++listed > kFindingsListed) continue;
    json finding = {{"check", f["check"]},
                    {"severity", f["severity"]},
                    {"due", f["due"]},
                    {"path", f["location"]["path"]},
                    {"line", f["location"]["line"]},
                    {"message", f["message"]},
                    {"fix", f["remediation"]}};
    if (f["clause"].is_object())
      finding["clause"] = {{"id", f["clause"]["id"]}, {"text", f["clause"]["text"]}};
    else
      finding["clause"] = nullptr;
    if (f.contains("transition")) finding["warning_until"] = f["transition"]["until"];
    findings.push_back(std::move(finding));
  }
  return {{"constitution", report["constitution"]},
          {"summary",
           {{"violations", violations},
            {"by_severity", std::move(by_severity)},
            {"deprecation_warnings", warnings},
            {"suppressed", suppressed}}},
          {"findings", std::move(findings)},
          {"findings_not_listed", listed > kFindingsListed ? listed - kFindingsListed : 0}};
}

std::string findings_text(const json& compact, std::string_view what) {
  const json& summary = compact["summary"];
  std::vector<std::string> counts;
  for (const auto& [severity, n] : summary["by_severity"].items())
    if (n.get<int>() > 0) counts.push_back(fmt::format("{} {}", n.get<int>(), severity));
  const std::string version = compact["constitution"].value("version", "");
  std::string out = fmt::format(
      "{} violation{}{} in {} against {}{}", summary["violations"].get<int>(),
      summary["violations"].get<int>() == 1 ? "" : "s",
      counts.empty() ? std::string() : fmt::format(" ({})", fmt::join(counts, ", ")), what,
      compact["constitution"].value("path", ""), version.empty() ? std::string() : " " + version);
  if (summary["deprecation_warnings"].get<int>() > 0)
    out += fmt::format(", {} deprecation warning(s)", summary["deprecation_warnings"].get<int>());
  out += compact["findings"].empty() ? ".\n" : ":\n";
  for (const auto& f : compact["findings"]) {
    const int line = f["line"].get<int>();
    out += fmt::format("- {}{} {} {}: {}\n", f["path"].get<std::string>(), line > 0 ? fmt::format(":{}", line) : "",
                       f["severity"].get<std::string>(), f["check"].get<std::string>(), f["message"].get<std::string>());
    if (f["clause"].is_object())
      out += fmt::format("  clause {}: \"{}\"\n", f["clause"]["id"].get<std::string>(),
                         f["clause"]["text"].get<std::string>());
    out += f.contains("warning_until")
               ? fmt::format("  deprecation warning until {}, then due {}\n", f["warning_until"].get<std::string>(),
                             f["due"].get<std::string>())
               : fmt::format("  due {}\n", f["due"].get<std::string>());
    if (!f["fix"].get<std::string>().empty()) out += fmt::format("  fix: {}\n", f["fix"].get<std::string>());
  }
  if (compact["findings_not_listed"].get<std::size_t>() > 0)
    out += fmt::format("and {} more.\n", compact["findings_not_listed"].get<std::size_t>());
  return out;
}

json check_files(const Server& server, const json& arguments) {
  std::vector<serve::InMemoryFile> files;
  std::size_t total = 0;
  if (const auto it = arguments.find("files"); it != arguments.end() && !it->is_null()) {
    if (!it->is_array()) throw RpcError{kInvalidParams, "'files' must be an array of {path, content}"};
    for (const auto& file : *it) {
      if (!file.is_object() || !file.contains("path") || !file["path"].is_string() || !file.contains("content") ||
          !file["content"].is_string())
        throw RpcError{kInvalidParams, "each of 'files' needs 'path' and 'content' strings"};
      files.push_back({file["path"].get<std::string>(), file["content"].get<std::string>()});
      total += files.back().content.size();
    }
  }
  for (const std::string& path : string_list(arguments, "paths")) {
    auto full = inside_root(server, path);
    if (!full) return tool_error(full.error().to_string());
    auto content = files::read(*full, {.max_size = kMaxRequestBytes, .confine_to = {}, .display = path});
    if (!content) return tool_error(content.error().error.to_string());
    total += content->size();
    files.push_back({full->lexically_relative(fs::weakly_canonical(fs::absolute(server.options().root))).generic_string(),
                     std::move(*content)});
  }
  if (files.empty()) throw RpcError{kInvalidParams, "give 'files' (path and content) or 'paths' to check"};
  if (total > kMaxRequestBytes) return tool_error("the files are larger than 10 MB together; check fewer at once");
  const std::size_t count = files.size();
  std::set<std::string> paths;
  for (const auto& file : files) paths.insert(file.path);
  auto run = serve::check_files(server.snapshot(), std::move(files), server.today());
  if (!run) return tool_error(run.error().to_string());
  json compact =
      compact_report(serve::findings_json(server.snapshot(), run->plan, run->result, server.today()), &paths);
  return text_result(findings_text(compact, fmt::format("{} file{}", count, count == 1 ? "" : "s")), compact);
}

json check_repository(const Server& server, const json& arguments) {
  const auto path = optional_string(arguments, "path");
  auto full = inside_root(server, path.value_or("."));
  if (!full) return tool_error(full.error().to_string());
  app::CheckOptions options;
  options.path = *full;
  options.constitution = server.options().sources.constitution;
  options.config = server.options().sources.config;
  options.select = string_list(arguments, "select");
  options.ignore = string_list(arguments, "ignore");
  options.today = server.today();
  auto run = app::run_check(options);
  if (!run) return tool_error(run.error().to_string());
  json compact = compact_report(
      app::render_findings(run->session, run->session.plan, run->result, report::Format::json, server.today()));
  return text_result(findings_text(compact, full->filename().string()), compact);
}

// Every stack fact a check can need: the plan as if the repository had everything.
const workspace::StackFacts& every_stack() {
  static const workspace::StackFacts facts = [] {
    workspace::StackFacts all;
    all.facts = {"kubernetes", "git"};
    for (const auto* info : engine::Catalog::builtin().infos())
      if (!info->stack.empty()) all.facts.insert(std::string(info->stack));
    return all;
  }();
  return facts;
}

Result<engine::Plan> full_plan(const Server& server) {
  app::CommonOptions options;
  options.select = server.options().sources.select;
  options.ignore = server.options().sources.ignore;
  return app::bind_checks(server.snapshot().session, options, every_stack());
}

json severity_of(const Server& server, const engine::CheckInfo& info) {
  return std::string(to_string(server.snapshot().constitution().severity.severity_for(info.nature)));
}

json explain_clause(const Server& server, const json& arguments) {
  const std::string id = required_string(arguments, "id");
  const auto& constitution = server.snapshot().constitution();
  const constitution::Clause* clause = constitution.find(id);
  if (clause == nullptr) {
    std::vector<std::string_view> ids;
    for (const auto& c : constitution.clauses) ids.push_back(c.id);
    return tool_error(fmt::format("no clause '{}'{} (clause ids: the coverage tool or constitution://document)", id,
                                  text::did_you_mean(id, ids)));
  }
  auto plan = full_plan(server);
  if (!plan) return tool_error(plan.error().to_string());
  json enforced = json::array();
  std::string out = fmt::format("Clause {}\n{}:{}, section {}\n{} ({})\n", clause->id, constitution.path, clause->line,
                                clause->section_joined(), clause->text, to_string(clause->modality));
  for (const engine::Binding* b : plan->for_clause(id)) {
    const auto& info = b->check->info();
    enforced.push_back({{"check", std::string(info.id)},
                        {"summary", std::string(info.summary)},
                        {"severity", severity_of(server, info)},
                        {"parameters", b->parameters},
                        {"status", std::string(engine::to_string(b->status))}});
    out += fmt::format("enforced by {} ({}, {}){}: {}\n", info.id, severity_of(server, info).get<std::string>(),
                       engine::to_string(b->status), b->parameters.empty() ? "" : ", " + b->parameters, info.summary);
  }
  if (enforced.empty()) out += "no check enforces it: an attestation in .constable.yaml can (docs/attestations.md)\n";
  json structured = {{"id", clause->id},
                     {"text", clause->text},
                     {"section", clause->section_joined()},
                     {"line", clause->line},
                     {"modality", std::string(to_string(clause->modality))},
                     {"enforced_by", std::move(enforced)}};
  const auto& schedule = server.snapshot().session.transitions.schedule;
  if (const auto* t = schedule.find(id); t != nullptr && schedule.period && server.today() < t->ends) {
    structured["warning_until"] = t->ends.to_string();
    out += fmt::format("in transition: findings are deprecation warnings until {} ({})\n", t->ends.to_string(),
                       t->reason(*schedule.period));
  }
  return text_result(std::move(out), std::move(structured));
}

json explain_check(const Server& server, const json& arguments) {
  const std::string id = required_string(arguments, "id");
  const engine::CheckInfo* info = engine::Catalog::builtin().find(id);
  if (info == nullptr) {
    std::vector<std::string_view> ids;
    for (const auto* i : engine::Catalog::builtin().infos()) ids.push_back(i->id);
    return tool_error(fmt::format("no check '{}'{}", id, text::did_you_mean(id, ids)));
  }
  auto plan = full_plan(server);
  if (!plan) return tool_error(plan.error().to_string());
  json structured = {{"id", std::string(info->id)},
                     {"domain", std::string(info->domain)},
                     {"summary", std::string(info->summary)},
                     {"rationale", std::string(info->rationale)},
                     {"fix", std::string(info->remediation)},
                     {"severity", severity_of(server, *info)},
                     {"clause", nullptr}};
  std::string out = app::check_page(*info);
  if (const engine::Binding* b = plan->find(id)) {
    structured["status"] = std::string(engine::to_string(b->status));
    if (b->clause != nullptr) {
      structured["clause"] = {{"id", b->clause->id}, {"text", b->clause->text}};
      structured["parameters"] = b->parameters;
      out += fmt::format("\n## In this constitution\n\nBound to clause {}: \"{}\"{}\n", b->clause->id, b->clause->text,
                         b->parameters.empty() ? "" : fmt::format(" (parameters: {})", b->parameters));
    } else {
      out += "\n## In this constitution\n\nNo clause of this constitution asks for it: it does not run.\n";
    }
  }
  return text_result(std::move(out), std::move(structured));
}

// What a file is, as far as its path and (when given) planned content say.
struct FileFacts {
  FileKind kind = FileKind::other;
  workspace::StackFacts stack;
  bool pipeline = false;  // a CI pipeline definition
  bool openapi = false;   // an OpenAPI document (the api checks judge only those)
  bool objects = false;   // may hold Kubernetes objects (the manifest checks judge only those)
};

FileFacts facts_of(const workspace::Workspace& workspace, std::string_view content) {
  FileFacts facts;
  const workspace::File& file = workspace.files.front();
  facts.kind = file.kind;
  facts.stack = workspace.stack;
  facts.pipeline = file.path.starts_with(".github/workflows/") || file.path == ".gitlab-ci.yml";
  const bool structured = facts.kind == FileKind::yaml || facts.kind == FileKind::json;
  const yaml::Stream stream = content.empty() || !structured ? yaml::Stream{} : yaml::parse(content);
  const yaml::Node* root = stream.documents.empty() ? nullptr : stream.documents.front().root;
  if (root != nullptr) {
    const yaml::Entry* version = openapi::version_entry(root);
    facts.openapi = version != nullptr && version->key->value == "openapi";
    facts.objects = root->get("apiVersion") != nullptr && root->get("kind") != nullptr;
  } else {
    // Without content, the name decides: openapi.yaml is a document, and any
    // other YAML or JSON that is not a pipeline may hold objects.
    facts.openapi = structured && workspace.stack.has("openapi");
    facts.objects = structured && !facts.pipeline && !facts.openapi;
  }
  if (facts.kind == FileKind::helm_template) facts.objects = true;
  return facts;
}

// Does a check read this file?
bool reads(const engine::Check& check, const FileFacts& file, std::string_view path) {
  const engine::CheckInfo& info = check.info();
  switch (info.scope) {
    case engine::Scope::files_of_kind: return info.file_kind == file.kind && check.judges_path(path);
    case engine::Scope::every_text_file: return (info.domain == "api" ? file.openapi : true) && check.judges_path(path);
    case engine::Scope::manifests: return file.objects;
    case engine::Scope::repository: return false;
  }
  return false;
}

// A repository-scope check about what this file is part of: the stack the
// file brings (a chart's files: the chart checks), and CI pipelines for a
// pipeline file.
bool concerns(const engine::CheckInfo& info, const FileFacts& file) {
  if (info.scope != engine::Scope::repository) return false;
  if (info.domain == "ci") return file.pipeline;
  return !info.stack.empty() && info.stack != "git" && info.stack != workspace::kDeploysFact &&
         file.stack.has(info.stack);
}

json applicable_clauses(const Server& server, const json& arguments) {
  const std::string path = required_string(arguments, "path");
  const std::string content = optional_string(arguments, "content").value_or("");
  const workspace::Workspace workspace = serve::workspace_of({{path, content}});
  const FileFacts facts = facts_of(workspace, content);
  const FileKind kind = facts.kind;
  auto plan = app::bind_checks(server.snapshot().session, {}, workspace.stack);
  if (!plan) return tool_error(plan.error().to_string());
  json clauses = json::array();
  std::map<std::string, std::size_t> position;  // clause id -> index in `clauses`
  std::string out;
  for (const engine::Binding& b : plan->bindings) {
    if (b.clause == nullptr || b.status != engine::BindingStatus::active) continue;
    const auto& info = b.check->info();
    const bool file = reads(*b.check, facts, path);
    if (!file && !concerns(info, facts)) continue;
    json check = {{"check", std::string(info.id)},
                  {"summary", std::string(info.summary)},
                  {"severity", severity_of(server, info)},
                  {"parameters", b.parameters},
                  {"scope", file ? "this file" : "the repository it is part of"}};
    const auto [it, added] = position.emplace(b.clause->id, clauses.size());
    if (added)
      clauses.push_back({{"id", b.clause->id},
                         {"text", b.clause->text},
                         {"section", b.clause->section_joined()},
                         {"checks", json::array()}});
    clauses[it->second]["checks"].push_back(std::move(check));
  }
  out = fmt::format("{} ({}): {} clause{} of {} apply{}\n", path, to_string(kind), clauses.size(),
                    clauses.size() == 1 ? "" : "s", server.snapshot().constitution().path,
                    clauses.size() == 1 ? "s" : "");
  for (const auto& clause : clauses) {
    out += fmt::format("- \"{}\" [{}]\n", clause["text"].get<std::string>(), clause["id"].get<std::string>());
    for (const auto& check : clause["checks"]) {
      const std::string parameters = check["parameters"].get<std::string>();
      out += fmt::format("  checked by {} ({}, {}){}: {}\n", check["check"].get<std::string>(),
                         check["severity"].get<std::string>(), check["scope"].get<std::string>(),
                         parameters.empty() ? "" : "; " + parameters, check["summary"].get<std::string>());
    }
  }
  if (clauses.empty())
    out += "No check of this constitution reads such a file; `coverage` lists the clauses no check enforces.\n";
  json structured = {{"path", path}, {"kind", std::string(to_string(kind))}, {"clauses", std::move(clauses)}};
  return text_result(std::move(out), std::move(structured));
}

json list_overdue(const Server& server, const json& arguments) {
  const std::string store = server.options().store.empty()
                                ? (server.options().root / ".constable" / "audit.db").string()
                                : server.options().store;
  std::error_code ec;
  if (!store.contains("://") && !fs::exists(store, ec))
    return tool_error(fmt::format("no audit store at {}: run `constable audit` first (docs/audit.md)", store));
  auto opened = store::open_store(store);
  if (!opened) return tool_error(opened.error().to_string());
  auto report = audit::build_report(**opened, server.today(),
                                    {.team = optional_string(arguments, "team"),
                                     .repository = optional_string(arguments, "repository")});
  if (!report) return tool_error(report.error().to_string());
  json overdue = json::parse(audit::render_report_json(*report))["overdue"];
  std::string out = fmt::format("{} overdue violation{} in {}", overdue.size(), overdue.size() == 1 ? "" : "s", store);
  out += overdue.empty() ? ".\n" : ", most days late first:\n";
  for (const auto& v : overdue)
    out += fmt::format("- {} {}:{} {} {}: {} (due {}, {} days late)\n", v["repository"].get<std::string>(),
                       v["path"].get<std::string>(), v["line"].get<int>(), v["severity"].get<std::string>(),
                       v["check"].get<std::string>(), v["message"].get<std::string>(), v["due"].get<std::string>(),
                       v["days_late"].get<long>());
  return text_result(std::move(out), {{"store", store}, {"overdue", std::move(overdue)}});
}

json coverage(const Server& server, const json&) {
  const std::string report = serve::coverage_json(server.snapshot());
  json structured = json::parse(report, nullptr, false);
  return text_result(report, structured.is_discarded() ? json(nullptr) : structured);
}

const json kFindingsSchema = {
    {"type", "object"},
    {"properties",
     {{"constitution", {{"type", "object"}}},
      {"summary",
       {{"type", "object"},
        {"properties",
         {{"violations", {{"type", "integer"}}},
          {"by_severity", {{"type", "object"}}},
          {"deprecation_warnings", {{"type", "integer"}}},
          {"suppressed", {{"type", "integer"}}}}},
        {"required", {"violations", "by_severity", "deprecation_warnings", "suppressed"}}}},
      {"findings",
       {{"type", "array"},
        {"items",
         {{"type", "object"},
          {"properties",
           {{"check", {{"type", "string"}}},
            {"clause", {{"type", {"object", "null"}}}},
            {"severity", {{"type", "string"}, {"enum", {"critical", "high", "medium", "low"}}}},
            {"due", {{"type", "string"}}},
            {"warning_until", {{"type", "string"}}},
            {"path", {{"type", "string"}}},
            {"line", {{"type", "integer"}}},
            {"message", {{"type", "string"}}},
            {"fix", {{"type", "string"}}}}},
          {"required", {"check", "clause", "severity", "due", "path", "line", "message", "fix"}}}}}},
      {"findings_not_listed", {{"type", "integer"}}}}},
    {"required", {"constitution", "summary", "findings", "findings_not_listed"}}};

struct Tool {
  std::string_view name;
  std::string_view title;
  std::string_view description;
  json input_schema;
  json output_schema;  // null: none declared
  json (*call)(const Server&, const json&);
};

const std::vector<Tool>& tools() {
  static const std::vector<Tool> kTools = {
      {"applicable_clauses", "What applies to a file",
       "Before writing a file: the constitution's clauses that apply to it (by its path, e.g. Dockerfile, "
       "deploy/app/deployment.yaml, charts/x/values.yaml, .github/workflows/ci.yml), each with the checks that "
       "enforce it, their severity and the parameters they take from the clause.",
       {{"type", "object"},
        {"properties",
         {{"path", {{"type", "string"}, {"description", "the file's path in the repository"}}},
          {"content", {{"type", "string"}, {"description", "its planned content, when it decides what it is"}}}}},
        {"required", {"path"}}},
       {{"type", "object"},
        {"properties",
         {{"path", {{"type", "string"}}}, {"kind", {{"type", "string"}}}, {"clauses", {{"type", "array"}}}}},
        {"required", {"path", "kind", "clauses"}}},
       applicable_clauses},
      {"check_files", "Check files against the constitution",
       "Check files, before or after they are written: give their content in memory ('files': path and content) "
       "or paths under the root ('paths'). Every finding comes with its clause, severity, due date and fix.",
       {{"type", "object"},
        {"properties",
         {{"files",
           {{"type", "array"},
            {"items",
             {{"type", "object"},
              {"properties", {{"path", {{"type", "string"}}}, {"content", {{"type", "string"}}}}},
              {"required", {"path", "content"}}}}}},
          {"paths", {{"type", "array"}, {"items", {{"type", "string"}}}}}}}},
       kFindingsSchema, check_files},
      {"check_repository", "Check a repository",
       "Check the whole repository (or a directory under the root) as `constable check` does: every finding with "
       "its clause, severity, due date and fix.",
       {{"type", "object"},
        {"properties",
         {{"path", {{"type", "string"}, {"description", "a directory under the root; default the root"}}},
          {"select", {{"type", "array"}, {"items", {{"type", "string"}}}, {"description", "only these checks or domains"}}},
          {"ignore", {{"type", "array"}, {"items", {{"type", "string"}}}}}}}},
       kFindingsSchema, check_repository},
      {"coverage", "Coverage of the constitution",
       "Every clause of the constitution and what enforces it: a check (with its parameters), an attestation, or "
       "nothing.",
       {{"type", "object"}, {"properties", json::object()}}, nullptr, coverage},
      {"explain_check", "Explain a check",
       "A check's rationale, examples, fix, severity and the clause it enforces in this constitution.",
       {{"type", "object"}, {"properties", {{"id", {{"type", "string"}}}}}, {"required", {"id"}}}, nullptr,
       explain_check},
      {"explain_clause", "Explain a clause",
       "A clause of the constitution by id: its text, section, keyword, the checks that enforce it with their "
       "parameters, and its transition period when an amendment added or tightened it.",
       {{"type", "object"}, {"properties", {{"id", {{"type", "string"}}}}}, {"required", {"id"}}}, nullptr,
       explain_clause},
      {"list_overdue", "Overdue violations",
       "Violations past their due date, most days late first, from the audit store `constable audit` keeps "
       "(docs/audit.md).",
       {{"type", "object"},
        {"properties", {{"repository", {{"type", "string"}}}, {"team", {{"type", "string"}}}}}},
       nullptr, list_overdue},
  };
  return kTools;
}

}  // namespace

std::string required_string(const json& params, std::string_view name) {
  const auto it = params.find(name);
  if (it == params.end() || !it->is_string())
    throw RpcError{kInvalidParams, fmt::format("'{}' is required and must be a string", name)};
  return it->get<std::string>();
}

json list_tools() {
  json list = json::array();
  for (const Tool& tool : tools()) {
    json entry = {{"name", std::string(tool.name)},
                  {"title", std::string(tool.title)},
                  {"description", std::string(tool.description)},
                  {"inputSchema", tool.input_schema},
                  {"annotations", {{"readOnlyHint", true}, {"openWorldHint", false}}}};
    if (!tool.output_schema.is_null()) entry["outputSchema"] = tool.output_schema;
    list.push_back(std::move(entry));
  }
  return {{"tools", std::move(list)}};
}

json call_tool(const Server& server, const json& params) {
  const std::string name = required_string(params, "name");
  const auto tool = std::find_if(tools().begin(), tools().end(), [&](const Tool& t) { return t.name == name; });
  if (tool == tools().end()) throw RpcError{kInvalidParams, fmt::format("unknown tool '{}'", name)};
  const auto arguments = params.find("arguments");
  if (arguments != params.end() && !arguments->is_object() && !arguments->is_null())
    throw RpcError{kInvalidParams, "'arguments' must be an object"};
  static const json kNone = json::object();
  return tool->call(server, arguments == params.end() || arguments->is_null() ? kNone : *arguments);
}

}  // namespace constable::mcp
