// GitHub Actions workflows into the pipeline model.

#include <fmt/format.h>

#include "core/text.hpp"
#include "formats/ci/pipeline.hpp"
#include "formats/ci/yaml_support.hpp"
#include "formats/yaml/yaml.hpp"

namespace constable::ci {

namespace {

// The `on:` entry. YAML 1.1 (and our resolver) reads a plain `on` as the
// boolean true, so the key is matched by its text, never by its meaning;
// a workflow re-serialised by a YAML 1.1 tool carries `true:` instead.
const yaml::Entry* find_triggers(const yaml::Node& root) {
  for (const yaml::Entry& entry : root.entries) {
    if (!entry.key->is_scalar()) continue;
    if (text::iequals(entry.key->value, "on")) return &entry;
    if (entry.key->style == yaml::ScalarStyle::plain && entry.key->value == "true") return &entry;
  }
  return nullptr;
}

std::vector<std::string> triggers_of(const yaml::Node& on) {
  std::vector<std::string> out;
  if (on.is_scalar()) {
    if (!on.str().empty()) out.emplace_back(on.str());
  } else if (on.is_sequence()) {
    for (const yaml::Node* item : on.items)
      if (item->is_scalar()) out.emplace_back(item->str());
  } else {
    for (const yaml::Entry& e : on.entries)
      if (e.key->is_scalar()) out.emplace_back(e.key->value);
  }
  return out;
}

// `defaults.run.working-directory` of a workflow or a job, "" when unset.
std::string default_working_directory(const yaml::Node& node, std::string fallback) {
  if (const auto* directory = node.at("defaults", "run", "working-directory"); directory != nullptr && directory->is_scalar())
    return std::string(directory->str());
  return fallback;
}

Step step_of(const yaml::Node& node, const std::string& working_directory) {
  Step step;
  step.working_directory = working_directory;
  step.line = node.start.line;
  step.column = node.start.column;
  if (!node.is_mapping()) return step;
  if (const auto* name = node.get("name")) step.name = name->str();
  if (const auto* run = node.get("run")) step.run = run->str();
  if (const auto* uses = node.get("uses")) step.uses = uses->str();
  if (const auto* with = node.get("with"); with != nullptr && with->is_mapping())
    for (const yaml::Entry& e : with->entries)
      if (e.key->is_scalar() && e.value->is_scalar()) step.with.emplace_back(e.key->value, e.value->value);
  if (const auto* c = node.get("continue-on-error")) step.continue_on_error = c->as_bool().value_or(false);
  if (const auto* directory = node.get("working-directory"); directory != nullptr && directory->is_scalar())
    step.working_directory = std::string(directory->str());
  return step;
}

Job job_of(const yaml::Entry& entry, const std::string& workflow_directory, std::vector<ParseError>& errors) {
  Job job;
  job.id = entry.key->str();
  job.name = job.id;
  job.line = entry.key->start.line;
  job.column = entry.key->start.column;
  const yaml::Node& node = *entry.value;
  if (!node.is_mapping()) {
    errors.push_back({fmt::format("job '{}' is not a mapping", job.id), node.start.line, node.start.column});
    return job;
  }
  if (const auto* name = node.get("name"); name != nullptr && !name->str().empty()) job.name = name->str();
  if (const auto* needs = node.find("needs")) {
    job.has_needs = true;
    job.needs_line = needs->key->start.line;
    job.needs = scalar_list(*needs->value);
  }
  if (const auto* timeout = node.find("timeout-minutes")) {
    job.timeout_line = timeout->key->start.line;
    if (auto minutes = timeout->value->as_double()) job.timeout_minutes = *minutes;
  }
  if (const auto* matrix = node.at("strategy", "matrix"); matrix != nullptr && !matrix->is_null()) job.has_matrix = true;
  if (const auto* environment = node.get("environment")) {
    job.environment = environment->is_mapping() ? std::string(environment->at("name") ? environment->at("name")->str() : "")
                                                : std::string(environment->str());
    if (job.environment.empty()) job.environment = "(unnamed)";
  }
  if (const auto* condition = node.get("if")) job.condition = condition->str();
  if (const auto* c = node.get("continue-on-error")) job.allow_failure = c->as_bool().value_or(false);
  if (const auto* uses = node.get("uses")) job.uses = uses->str();
  if (const auto* steps = node.get("steps")) {
    if (steps->is_sequence()) {
      const std::string directory = default_working_directory(node, workflow_directory);
      for (const yaml::Node* item : steps->items) job.steps.push_back(step_of(*item, directory));
    } else {
      errors.push_back({fmt::format("job '{}': steps is not a list", job.id), steps->start.line, steps->start.column});
    }
  }
  return job;
}

}  // namespace

Workflow parse_github_workflow(std::string path, std::string_view text) {
  return parse_github_workflow(std::move(path), yaml::parse(text));
}

Workflow parse_github_workflow(std::string path, const yaml::Stream& stream) {
  Workflow workflow;
  workflow.provider = Provider::github_actions;
  workflow.path = std::move(path);
  for (const yaml::ParseError& error : stream.errors)
    if (error.fatal) workflow.errors.push_back({error.message, error.mark.line, error.mark.column});
  if (stream.documents.empty() || stream.documents.front().root == nullptr) {
    if (workflow.errors.empty()) workflow.errors.push_back({"the workflow is empty", 1, 1});
    return workflow;
  }
  const yaml::Node& root = *stream.documents.front().root;
  if (!root.is_mapping()) {
    workflow.errors.push_back({"a workflow is a mapping with 'on' and 'jobs'", root.start.line, root.start.column});
    return workflow;
  }
  if (const auto* name = root.get("name")) workflow.name = name->str();
  if (const yaml::Entry* on = find_triggers(root)) {
    workflow.triggers = triggers_of(*on->value);
    workflow.triggers_line = on->key->start.line;
    if (const auto* followed = on->value->at("workflow_run", "workflows")) workflow.follows = scalar_list(*followed);
  } else {
    workflow.errors.push_back({"the workflow has no 'on' triggers", root.start.line, root.start.column});
  }
  const yaml::Entry* jobs = root.find("jobs");
  if (jobs == nullptr || !jobs->value->is_mapping()) {
    workflow.errors.push_back({"the workflow has no 'jobs' mapping", jobs ? jobs->key->start.line : root.start.line,
                               jobs ? jobs->key->start.column : root.start.column});
    return workflow;
  }
  workflow.jobs_line = jobs->key->start.line;
  const std::string directory = default_working_directory(root, "");
  for (const yaml::Entry& entry : jobs->value->entries)
    if (entry.key->is_scalar()) workflow.jobs.push_back(job_of(entry, directory, workflow.errors));
  return workflow;
}

Action parse_github_action(std::string path, const yaml::Stream& stream) {
  Action action;
  action.path = std::move(path);
  for (const yaml::ParseError& error : stream.errors)
    if (error.fatal) action.errors.push_back({error.message, error.mark.line, error.mark.column});
  if (stream.documents.empty() || stream.documents.front().root == nullptr) return action;
  const yaml::Node& root = *stream.documents.front().root;
  const yaml::Node* runs = root.get("runs");
  if (runs == nullptr || !runs->is_mapping()) return action;
  const yaml::Node* kind = runs->get("using");
  if (kind == nullptr || !text::iequals(kind->str(), "composite")) return action;
  action.composite = true;
  if (const auto* steps = runs->get("steps"); steps != nullptr && steps->is_sequence())
    for (const yaml::Node* item : steps->items) action.steps.push_back(step_of(*item, ""));
  return action;
}

}  // namespace constable::ci
