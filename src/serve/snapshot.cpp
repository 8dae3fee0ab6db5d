#include "serve/snapshot.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/digest.hpp"
#include "core/files.hpp"
#include "report/report.hpp"
#include "workspace/workspace.hpp"

namespace constable::serve {
namespace {

// What admission judges: Kubernetes objects of a deployed application.
workspace::StackFacts admission_stack() {
  return workspace::StackFacts{{"kubernetes", std::string(workspace::kDeploysFact)}};
}

// A file's digest for the snapshot's version; "" when there is no file.
Result<std::string> digest_of(const std::optional<std::filesystem::path>& file) {
  if (!file) return std::string{};
  auto bytes = files::read(*file, {.max_size = files::kDefaultMaxSize, .confine_to = {}, .display = file->string()});
  if (!bytes) return std::unexpected(bytes.error().error);
  return digest::sha256_hex(*bytes);
}

app::CommonOptions options_of(const Sources& sources) {
  app::CommonOptions options;
  options.config = sources.config;
  options.constitution = sources.constitution;
  options.select = sources.select;
  options.ignore = sources.ignore;
  return options;
}

engine::RunOptions run_options_of(Date today) {
  engine::RunOptions options;
  options.jobs = 1;  // a request is small; the server's threads are the parallelism
  options.today = today;
  options.repository_checks = false;  // no repository behind a request
  options.render_charts = true;
  return options;
}

}  // namespace

Result<std::shared_ptr<const Snapshot>> load_snapshot(const Sources& sources) {
  auto snapshot = std::make_shared<Snapshot>();
  snapshot->sources = sources;
  // Digests first: a file changed while it loads gives a version that
  // differs from the next poll's, so the change is loaded again.
  auto config_digest = digest_of(sources.config);
  if (!config_digest) return std::unexpected(config_digest.error());
  auto session = app::open_detached_session(options_of(sources), admission_stack());
  if (!session) return std::unexpected(session.error());
  snapshot->session = std::move(*session);
  auto admission_plan =
      app::bind_checks(snapshot->session, options_of(sources), snapshot->session.workspace.stack);
  if (!admission_plan) return std::unexpected(admission_plan.error());
  for (auto& binding : admission_plan->bindings)
    if (!binding.check->info().not_at_admission.empty()) binding.status = engine::BindingStatus::deselected;
  snapshot->admission_plan = std::move(*admission_plan);
  auto constitution_digest = digest_of(std::filesystem::path(snapshot->session.constitution.path));
  if (!constitution_digest) return std::unexpected(constitution_digest.error());
  snapshot->constitution_sha256 = std::move(*constitution_digest);
  snapshot->config_sha256 = std::move(*config_digest);
  snapshot->version_tag =
      digest::sha256_hex(snapshot->constitution_sha256 + snapshot->config_sha256).substr(0, 16);
  snapshot->loaded_at = std::chrono::system_clock::now();
  return std::shared_ptr<const Snapshot>(std::move(snapshot));
}

workspace::Workspace workspace_of(std::vector<InMemoryFile> files) {
  workspace::Workspace workspace;
  workspace.files.reserve(files.size());
  for (auto& file : files) {
    const FileKind kind = workspace::classify(file.path);
    const auto size = file.content.size();
    workspace.files.push_back(workspace::File{std::move(file.path), {}, size, kind, std::move(file.content)});
  }
  std::sort(workspace.files.begin(), workspace.files.end(),
            [](const workspace::File& a, const workspace::File& b) { return a.path < b.path; });
  workspace::mark_chart_templates(workspace.files);
  workspace.stack = workspace::detect_stack(workspace.files);
  return workspace;
}

Result<FilesRun> check_files(const Snapshot& snapshot, std::vector<InMemoryFile> files, Date today) {
  const workspace::Workspace workspace = workspace_of(std::move(files));
  auto plan = app::bind_checks(snapshot.session, options_of(snapshot.sources), workspace.stack);
  if (!plan) return std::unexpected(plan.error());
  FilesRun run{std::move(*plan), {}};
  run.result = app::run_plan(run.plan, snapshot.session, workspace, run_options_of(today));
  return run;
}

engine::RunResult check_manifests(const Snapshot& snapshot, std::vector<InMemoryFile> files, Date today) {
  workspace::Workspace workspace = workspace_of(std::move(files));
  workspace.stack = snapshot.session.workspace.stack;
  engine::RunOptions options = run_options_of(today);
  options.render_charts = false;
  return app::run_plan(snapshot.admission_plan, snapshot.session, workspace, options);
}

std::string findings_json(const Snapshot& snapshot, const engine::Plan& plan, const engine::RunResult& result,
                          Date today) {
  return app::render_findings(snapshot.session, plan, result, report::Format::json, today);
}

std::string coverage_json(const Snapshot& snapshot) {
  // "json" is a format coverage_report knows.
  return app::coverage_report(snapshot.session, "json").value_or(std::string{});
}

}  // namespace constable::serve
