// .gitlab-ci.yml into the pipeline model.

#include <fmt/format.h>

#include <array>

#include "core/text.hpp"
#include "formats/ci/pipeline.hpp"
#include "formats/ci/yaml_support.hpp"
#include "formats/yaml/yaml.hpp"

namespace constable::ci {

namespace {

// Top-level keys that configure the pipeline rather than name a job.
constexpr std::array<std::string_view, 12> kGlobalKeywords = {
    "stages", "variables", "default", "include", "workflow", "image", "services",
    "before_script", "after_script", "cache", "types", "spec"};

bool is_global_keyword(std::string_view key) {
  for (auto keyword : kGlobalKeywords)
    if (key == keyword) return true;
  return false;
}

// Keyword lookup through `extends` (the last template listed wins, a job's
// own keys win over all) and then `default:`; templates may extend others.
class Resolver {
 public:
  Resolver(const yaml::Node& root) : root_(root), default_(root.get("default")) {}

  const yaml::Node* lookup(const yaml::Node& job, std::string_view key, bool use_default = true) const {
    if (const yaml::Node* found = through_extends(job, key, 0)) return found;
    if (!use_default) return nullptr;
    if (default_ != nullptr && default_->is_mapping())
      if (const yaml::Node* found = default_->get(key)) return found;
    // The deprecated global form of the `default:` keywords.
    for (std::string_view global : {"cache", "before_script", "after_script", "image", "services"})
      if (key == global) return root_.get(key);
    return nullptr;
  }

 private:
  const yaml::Node* through_extends(const yaml::Node& job, std::string_view key, int depth) const {
    if (!job.is_mapping()) return nullptr;
    if (const yaml::Node* own = job.get(key)) return own;
    if (depth >= 10) return nullptr;  // GitLab's own nesting limit is lower; this ends cycles
    const yaml::Node* extends = job.get("extends");
    if (extends == nullptr) return nullptr;
    const std::vector<std::string> parents = scalar_list(*extends);
    for (auto it = parents.rbegin(); it != parents.rend(); ++it) {
      const yaml::Node* parent = root_.get(*it);
      if (parent == nullptr) continue;
      if (const yaml::Node* found = through_extends(*parent, key, depth + 1)) return found;
    }
    return nullptr;
  }

  const yaml::Node& root_;
  const yaml::Node* default_;
};

void add_script_lines(const yaml::Node& script, std::vector<Step>& steps) {
  if (script.is_scalar()) {
    if (!script.is_null())
      steps.push_back({.run = std::string(script.value), .line = script.start.line, .column = script.start.column});
    return;
  }
  for (const yaml::Node* item : script.items) {
    if (item->is_sequence()) {  // nested lists (from !reference tags or anchors) are flattened
      add_script_lines(*item, steps);
    } else if (item->is_scalar() && !item->is_null()) {
      steps.push_back({.run = std::string(item->value), .line = item->start.line, .column = item->start.column});
    }
  }
}

Job job_of(const yaml::Entry& entry, const Resolver& resolver) {
  Job job;
  job.id = entry.key->value;
  job.name = job.id;
  job.line = entry.key->start.line;
  job.column = entry.key->start.column;
  const yaml::Node& node = *entry.value;
  job.stage = "test";  // GitLab's default stage
  if (const auto* stage = resolver.lookup(node, "stage", false); stage != nullptr && stage->is_scalar())
    job.stage = stage->value;
  for (std::string_view key : {"before_script", "script", "after_script"})
    if (const auto* script = resolver.lookup(node, key)) add_script_lines(*script, job.steps);
  if (const auto* needs = resolver.lookup(node, "needs", false)) {
    job.has_needs = true;
    job.needs_line = needs->start.line;
    job.needs = scalar_list(*needs);
  }
  if (const auto* cache = resolver.lookup(node, "cache"); cache != nullptr && !cache->is_null()) job.has_cache = true;
  if (const auto* timeout = resolver.lookup(node, "timeout"); timeout != nullptr && timeout->is_scalar()) {
    job.timeout_line = timeout->start.line;
    job.timeout_minutes = parse_duration_minutes(timeout->value);
  }
  if (const auto* parallel = resolver.lookup(node, "parallel", false); parallel != nullptr && !parallel->is_null())
    job.has_matrix = true;
  if (const auto* environment = resolver.lookup(node, "environment", false)) {
    job.environment = environment->is_mapping() ? std::string(environment->get("name") ? environment->get("name")->str() : "")
                                                : std::string(environment->str());
    if (job.environment.empty()) job.environment = "(unnamed)";
  }
  if (const auto* allow = resolver.lookup(node, "allow_failure", false))
    job.allow_failure = allow->is_mapping() || allow->as_bool().value_or(false);
  return job;
}

}  // namespace

Workflow parse_gitlab_ci(std::string path, std::string_view text) {
  return parse_gitlab_ci(std::move(path), yaml::parse(text));
}

Workflow parse_gitlab_ci(std::string path, const yaml::Stream& stream) {
  Workflow workflow;
  workflow.provider = Provider::gitlab_ci;
  workflow.path = std::move(path);
  workflow.stages = {".pre", "build", "test", "deploy", ".post"};
  for (const yaml::ParseError& error : stream.errors)
    if (error.fatal) workflow.errors.push_back({error.message, error.mark.line, error.mark.column});
  // A CI/CD component's header (`spec:` then `---`) comes first: the jobs are in the last document.
  const yaml::Node* root = nullptr;
  for (const yaml::Document& document : stream.documents)
    if (document.root != nullptr) root = document.root;
  if (root == nullptr) {
    if (workflow.errors.empty()) workflow.errors.push_back({"the pipeline is empty", 1, 1});
    return workflow;
  }
  if (!root->is_mapping()) {
    workflow.errors.push_back({"a .gitlab-ci.yml is a mapping of jobs", root->start.line, root->start.column});
    return workflow;
  }
  if (const auto* stages = root->get("stages")) {
    workflow.stages = {".pre"};
    for (const std::string& stage : scalar_list(*stages)) workflow.stages.push_back(stage);
    workflow.stages.emplace_back(".post");
  }
  if (const auto* include = root->get("include")) {
    const std::vector<const yaml::Node*> items =
        include->is_sequence() ? std::vector<const yaml::Node*>(include->items.begin(), include->items.end())
                               : std::vector<const yaml::Node*>{include};
    for (const yaml::Node* item : items) {
      if (item->is_scalar()) {
        workflow.includes.push_back({std::string(item->value), item->start.line});
      } else if (item->is_mapping()) {
        for (std::string_view key : {"template", "local", "remote", "component", "file"})
          if (const auto* value = item->get(key); value != nullptr && value->is_scalar())
            workflow.includes.push_back({std::string(value->value), value->start.line});
      }
    }
  }
  const Resolver resolver(*root);
  for (const yaml::Entry& entry : root->entries) {
    if (!entry.key->is_scalar() || is_global_keyword(entry.key->value) || entry.key->value.starts_with('.')) continue;
    if (!entry.value->is_mapping()) {
      workflow.errors.push_back({fmt::format("job '{}' is not a mapping", entry.key->value), entry.value->start.line,
                                 entry.value->start.column});
      continue;
    }
    workflow.jobs.push_back(job_of(entry, resolver));
  }
  workflow.jobs_line = workflow.jobs.empty() ? 1 : workflow.jobs.front().line;
  return workflow;
}

}  // namespace constable::ci
