// local/dev-loop: "Skaffold or Tilt MUST be used for development loop", with
// its siblings "Hot reload MUST be configured for faster iteration" and
// "Local Docker registry MUST be used to avoid external pushes". A
// repository that builds its own images and deploys them to Kubernetes
// defines the loop (skaffold.yaml, a Tiltfile), syncs files into running
// containers, and does not push development images to a remote registry.

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>

#include "checks/local/local_checks.hpp"
#include "core/text.hpp"
#include "formats/yaml/yaml.hpp"

namespace constable::checks::local {

namespace {
namespace dev_loop_check {

constexpr engine::CheckInfo kInfo{
    .id = "local/dev-loop",
    .domain = "local",
    .nature = Nature::maintainability,
    .summary = "Develop against the local cluster with Skaffold or Tilt, hot reload and a local registry",
    .rationale =
        "Without a declared loop every developer scripts their own build, push and apply, and each change costs "
        "a full image build; pushing development images to a shared registry leaks unreviewed code and "
        "fills the registry. A repository needs the loop when it builds its own images (a Dockerfile that is "
        "not a dev container, a test image or a chart's helper image) and has Kubernetes manifests or a Helm "
        "chart. Hot reload: a "
        "Skaffold artifact with `sync` (manual, infer or auto; Buildpacks and Jib artifacts sync by default) "
        "or a Tiltfile `live_update`. External pushes: Skaffold's default pipeline with `local.push: true`, "
        "`googleCloudBuild` or in-cluster `cluster` builds, or a Tiltfile `default_registry` that is not a "
        "local registry (localhost, 127.0.0.1, *.local, *.localhost, kind-registry, registry:5000). Skaffold "
        "profiles are not judged: they are opt-in pipelines such as CI builds.",
    .remediation =
        "Add skaffold.yaml (`skaffold init` writes one) or a Tiltfile for the services; sync source files into "
        "the running containers (Skaffold `sync: {infer: ['**/*.py']}`, Tilt `live_update=[sync('.', '/app')]`); "
        "build into the Minikube or kind cluster's own image store (`eval $(minikube docker-env)`, Skaffold's "
        "default for local clusters) or a registry on localhost.",
    .bad_example = "Dockerfile, k8s/deployment.yaml, and no skaffold.yaml or Tiltfile\n",
    .good_example = "apiVersion: skaffold/v4beta11\nkind: Config\nbuild:\n  artifacts:\n    - image: orders\n"
                    "      sync:\n        infer: ['**/*.py']\n  local:\n    push: false\n"
                    "manifests:\n  rawYaml: [k8s/*.yaml]\n",
    .parameters = "the development loop tools the clause names (Skaffold, Tilt); the sibling clauses on hot reload "
                  "and a local registry",
    .clause = {.section = "minikube|local|development workflow", .text = R"(\b(skaffold|tilt|devspace)\b)"},
    .file_kind = FileKind::other,
    .stack = "",
    .scope = engine::Scope::repository,
};

std::string_view file_name(std::string_view path) { return text::basename(path); }

bool is_skaffold(std::string_view path) {
  const auto name = file_name(path);
  return name == "skaffold.yaml" || name == "skaffold.yml";
}
bool is_tiltfile(std::string_view path) { return file_name(path) == "Tiltfile"; }
bool is_devspace(std::string_view path) {
  const auto name = file_name(path);
  return name == "devspace.yaml" || name == "devspace.yml";
}

// A registry host developers run themselves.
bool is_local_registry(std::string_view registry) {
  const std::string host = text::to_lower(registry.substr(0, registry.find('/')));
  const std::string_view bare = std::string_view(host).substr(0, host.find(':'));
  return bare == "localhost" || bare == "127.0.0.1" || bare.ends_with(".local") || bare.ends_with(".localhost") ||
         bare == "kind-registry" || bare == "registry" || bare == "host.docker.internal" ||
         bare == "host.minikube.internal";
}

struct Place {
  std::string path;
  int line = 0;
};

class DevLoopCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  Result<void> bind(const constitution::Clause& clause, const engine::Config&) override {
    const std::string lower = text::to_lower(clause.text);
    tools_.clear();
    for (const std::string_view tool : {"skaffold", "tilt", "devspace"})
      if (RE2::PartialMatch(lower, RE2(fmt::format(R"(\b{}\b)", tool)))) tools_.emplace_back(tool);
    if (tools_.empty())
      return fail(fmt::format("local/dev-loop: '{}' names no development loop tool (Skaffold, Tilt, DevSpace)",
                              clause.text),
                  "", clause.line);
    return {};
  }

  Result<void> bind_section(const std::vector<const constitution::Clause*>& section) override {
    static const RE2 kHotReload(R"((?i)hot.?reload|live.?update|file sync)");
    static const RE2 kRegistry(R"((?i)local\b[^.]*\bregistry|registry\b[^.]*\blocal)");
    hot_reload_ = registry_ = nullptr;
    for (const constitution::Clause* clause : section) {
      if (hot_reload_ == nullptr && RE2::PartialMatch(clause->text, kHotReload)) hot_reload_ = clause;
      else if (registry_ == nullptr && RE2::PartialMatch(clause->text, kRegistry)) registry_ = clause;
    }
    return {};
  }

  std::vector<const constitution::Clause*> also_enforced() const override {
    std::vector<const constitution::Clause*> out;
    if (hot_reload_ != nullptr) out.push_back(hot_reload_);
    if (registry_ != nullptr) out.push_back(registry_);
    return out;
  }

  std::string bound_parameters() const override {
    std::string tools;
    for (const auto& tool : tools_) tools += (tools.empty() ? "" : ", ") + tool;
    return fmt::format("tools: {}{}{}", tools, hot_reload_ != nullptr ? "; hot reload" : "",
                       registry_ != nullptr ? "; local registry" : "");
  }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    std::vector<const workspace::File*> skaffold, tilt, devspace;
    const workspace::File* dockerfile = nullptr;
    // A Dockerfile inside a chart builds the chart's helper image (a chart
    // repository's installer), not a service developed here.
    std::vector<std::string> charts;
    for (const workspace::File& file : repo.workspace().files)
      if (text::to_lower(file_name(file.path)) == "chart.yaml") charts.push_back(std::string(text::dirname(file.path)) + "/");
    const auto in_chart = [&](std::string_view path) {
      return std::any_of(charts.begin(), charts.end(),
                         [&](const std::string& dir) { return dir == "/" || path.starts_with(dir); });
    };
    for (const workspace::File& file : repo.workspace().files) {
      if (is_skaffold(file.path) && accepts("skaffold")) skaffold.push_back(&file);
      else if (is_tiltfile(file.path) && accepts("tilt")) tilt.push_back(&file);
      else if (is_devspace(file.path) && accepts("devspace")) devspace.push_back(&file);
      else if (dockerfile == nullptr && file.kind == FileKind::dockerfile &&
               !workspace::is_development_dockerfile(file.path) && !in_chart(file.path))
        dockerfile = &file;
    }
    if (skaffold.empty() && tilt.empty() && devspace.empty()) {
      const auto& stack = repo.workspace().stack;
      if (dockerfile == nullptr || (!stack.has("kubernetes") && !stack.has("helm"))) return;
      std::string tools;
      for (std::size_t i = 0; i < tools_.size(); ++i)
        tools += fmt::format("{}{}", i == 0 ? "" : (i + 1 == tools_.size() ? " or " : ", "), display(tools_[i]));
      // At the image's first stage: the build the loop would run.
      int from_line = 0;
      if (const std::string* content = repo.text(*dockerfile)) {
        static const RE2 kFrom(R"((?i)^\s*FROM\s)");
        const auto lines = text::split_lines(*content);
        for (std::size_t i = 0; i < lines.size() && from_line == 0; ++i)
          if (RE2::PartialMatch(lines[i], kFrom)) from_line = static_cast<int>(i) + 1;
      }
      out.report_at(dockerfile->path, from_line,
                    fmt::format("the repository builds container images (the first: {}) and deploys to "
                                "Kubernetes, but no {} configuration (skaffold.yaml, Tiltfile) defines the "
                                "development loop",
                                dockerfile->path, tools));
      return;
    }
    bool hot = false;
    std::optional<Place> no_hot_reload;
    for (const workspace::File* file : skaffold) judge_skaffold(repo, *file, hot, no_hot_reload, out);
    for (const workspace::File* file : tilt) judge_tiltfile(repo, *file, hot, no_hot_reload, out);
    for (const workspace::File* file : devspace) {
      const std::string* content = repo.text(*file);
      hot = hot || (content != nullptr && text::contains(*content, "sync:"));
    }
    if (!hot && no_hot_reload && hot_reload_ != nullptr)
      out.emit({.range = SourceRange::at_line(no_hot_reload->line),
                .message = "no hot reload: no Skaffold artifact has `sync` and no Tiltfile build has `live_update`, "
                           "so every change rebuilds and redeploys the image",
                .path_override = no_hot_reload->path,
                .clause = hot_reload_});
  }

 private:
  bool accepts(std::string_view tool) const {
    return std::find(tools_.begin(), tools_.end(), tool) != tools_.end();
  }
  static std::string_view display(std::string_view tool) {
    return tool == "skaffold" ? "Skaffold" : tool == "tilt" ? "Tilt" : "DevSpace";
  }

  void registry_finding(engine::Emitter& out, const std::string& path, int line, std::string message) const {
    if (registry_ == nullptr) return;
    out.emit({.range = SourceRange::at_line(line), .message = std::move(message), .path_override = path,
              .clause = registry_});
  }

  void judge_skaffold(const engine::RepositoryContext& repo, const workspace::File& file, bool& hot,
                      std::optional<Place>& no_hot_reload, engine::Emitter& out) const {
    const yaml::Stream* stream = repo.yaml(file);
    if (stream == nullptr) return;
    for (const yaml::Document& document : stream->documents) {
      const yaml::Node* root = document.root;
      if (root == nullptr || !root->is_mapping() || !root->get("apiVersion") ||
          !root->get("apiVersion")->str().starts_with("skaffold/"))
        continue;
      const yaml::Node* build = root->get("build");
      if (build == nullptr || !build->is_mapping()) continue;
      if (const yaml::Entry* artifacts = build->find("artifacts");
          artifacts != nullptr && artifacts->value != nullptr && artifacts->value->is_sequence()) {
        for (const yaml::Node* artifact : artifacts->value->items)
          hot = hot || artifact->get("sync") != nullptr || artifact->get("buildpacks") != nullptr ||
                artifact->get("jib") != nullptr;
        if (!artifacts->value->items.empty() && !no_hot_reload) no_hot_reload = Place{file.path, artifacts->key->start.line};
      }
      const yaml::Node* push = build->at("local", "push");
      if (push != nullptr && push->as_bool().value_or(false))
        registry_finding(out, file.path, push->start.line,
                         "Skaffold's default pipeline pushes every development image (`local.push: true`) instead "
                         "of loading it into the local cluster or a local registry");
      for (const std::string_view remote : {"googleCloudBuild", "cluster"})
        if (const yaml::Entry* entry = build->find(remote); entry != nullptr)
          registry_finding(out, file.path, entry->key->start.line,
                           fmt::format("Skaffold's default pipeline builds with `{}`, which pushes every development "
                                       "image to a remote registry; keep remote builds in a profile",
                                       remote));
    }
  }

  void judge_tiltfile(const engine::RepositoryContext& repo, const workspace::File& file, bool& hot,
                      std::optional<Place>& no_hot_reload, engine::Emitter& out) const {
    const std::string* content = repo.text(file);
    if (content == nullptr) return;
    static const RE2 kBuild(R"(^\s*(docker_build|custom_build|docker_build_with_restart)\s*\()");
    static const RE2 kRegistry(R"(^\s*default_registry\s*\(\s*(?:host\s*=\s*)?['"]([^'"]+)['"])");
    const auto lines = text::split_lines(*content);
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const std::string_view line = lines[i];
      if (text::trim(line).starts_with('#')) continue;
      if (text::contains(line, "live_update") || text::contains(line, "docker_build_with_restart")) hot = true;
      if (!no_hot_reload && RE2::PartialMatch(line, kBuild)) no_hot_reload = Place{file.path, static_cast<int>(i) + 1};
      std::string registry;
      if (RE2::PartialMatch(line, kRegistry, &registry) && !is_local_registry(registry))
        registry_finding(out, file.path, static_cast<int>(i) + 1,
                         fmt::format("the Tiltfile pushes every development image to '{}' instead of a local "
                                     "registry or the local cluster's image store",
                                     registry));
    }
  }

  std::vector<std::string> tools_;
  const constitution::Clause* hot_reload_ = nullptr;
  const constitution::Clause* registry_ = nullptr;
};

}  // namespace dev_loop_check
}  // namespace

std::unique_ptr<engine::Check> make_dev_loop_check() { return engine::make_check<dev_loop_check::DevLoopCheck>(); }

}  // namespace constable::checks::local
