// File kinds and stack facts, decided from paths (the facts of declared
// dependencies come from the manifests' content: dependencies.cpp).

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/text.hpp"
#include "workspace/glob.hpp"
#include "workspace/workspace.hpp"

namespace constable::workspace {

namespace {

// Kind from the (lower-case) extension alone; other when unknown.
FileKind kind_from_extension(std::string_view lower_name) {
  const auto dot = lower_name.rfind('.');
  if (dot == std::string_view::npos) return FileKind::other;
  const std::string_view ext = lower_name.substr(dot + 1);
  if (ext == "yaml" || ext == "yml") return FileKind::yaml;
  if (ext == "json") return FileKind::json;
  if (ext == "md" || ext == "markdown") return FileKind::markdown;
  if (ext == "feature") return FileKind::gherkin;
  static constexpr std::string_view kSourceExtensions[] = {
      "py", "pyi", "ts", "tsx", "js", "jsx", "mjs", "cjs", "go", "java", "kt", "rs", "rb", "cs", "c", "h",
      "cc", "cpp", "cxx", "hh", "hpp", "hxx", "swift", "scala", "php", "sh", "bash"};
  for (auto source : kSourceExtensions)
    if (ext == source) return FileKind::source;
  return FileKind::other;
}

bool is_dockerfile_name(std::string_view lower) {
  if (lower == "dockerfile" || lower == "containerfile") return true;
  if (lower.ends_with(".dockerignore")) return false;  // BuildKit's per-Dockerfile ignore files
  if (lower.ends_with(".dict")) return false;          // a fuzzer's dictionary of Dockerfile tokens
  if (lower.ends_with(".dockerfile") || lower.ends_with(".containerfile")) return true;
  if (lower.starts_with("dockerfile.") || lower.starts_with("containerfile.")) {
    // Dockerfile.prod is a Dockerfile; Dockerfile.md documents one.
    return kind_from_extension(lower) == FileKind::other;
  }
  return false;
}

// One row per stack fact: globs (gitignore semantics, matched against the
// relative path) and/or a file kind that imply it.
struct StackRule {
  std::string_view fact;
  std::vector<std::string_view> globs;
  std::optional<FileKind> kind = std::nullopt;
};

const std::vector<StackRule>& stack_rules() {
  static const std::vector<StackRule> rules = {
      {"docker",
       {"docker-compose*.yml", "docker-compose*.yaml", "compose.yml", "compose.yaml", "compose.*.yml",
        "compose.*.yaml"},
       FileKind::dockerfile},
      {"helm", {"Chart.yaml", "Chart.yml"}},
      // Dapr's Multi-App Run file and directories named for it. The Dapr checks
      // do not wait for this fact: they judge Dapr resources wherever they are.
      {"dapr", {"dapr.yaml", "dapr.yml", "**/dapr/**/*.yaml", "**/dapr/**/*.yml", "**/.dapr/**/*.yaml"}},
      {"kubernetes",
       {"kustomization.yaml", "kustomization.yml", "Kustomization", "**/k8s/**/*.yaml", "**/k8s/**/*.yml",
        "**/kubernetes/**/*.yaml", "**/kubernetes/**/*.yml", "**/manifests/**/*.yaml", "**/manifests/**/*.yml",
        "**/deploy/**/*.yaml", "**/deploy/**/*.yml"}},
      {"python", {"pyproject.toml", "requirements*.txt", "setup.py", "setup.cfg", "Pipfile", "*.py"}},
      {"node", {"package.json"}},
      {"nextjs", {"next.config.js", "next.config.mjs", "next.config.cjs", "next.config.ts"}},
      {"github-actions", {"/.github/workflows/*.yml", "/.github/workflows/*.yaml"}},
      {"gitlab-ci", {"/.gitlab-ci.yml", "/.gitlab-ci.yaml"}},
      {"terraform", {"*.tf"}},
      {"openapi", {"openapi.yaml", "openapi.yml", "openapi.json", "swagger.yaml", "swagger.yml", "swagger.json"}},
  };
  return rules;
}

// Facts implied by other facts.
struct Implication {
  std::string_view if_fact;
  std::string_view then_fact;
};
constexpr std::array kImplications = {Implication{"helm", "kubernetes"}, Implication{"nextjs", "node"}};

// A glob with the literal text every path it matches must end with (the part
// after its last wildcard): a cheap test that rejects most files before the
// full match runs, since detect_stack sees every file of the repository.
struct CompiledGlob {
  GlobPattern pattern;
  std::string literal_suffix;
};

struct CompiledRule {
  std::string fact;
  std::vector<CompiledGlob> globs;
  std::optional<FileKind> kind;
};

std::string literal_suffix(std::string_view glob) {
  const auto wildcard = glob.find_last_of("*?[]\\");
  std::string_view tail = wildcard == std::string_view::npos ? glob : glob.substr(wildcard + 1);
  if (const auto slash = tail.find_last_of('/'); slash != std::string_view::npos && wildcard == std::string_view::npos)
    tail = tail.substr(slash + 1);  // "/.gitlab-ci.yml" must still end with ".gitlab-ci.yml"
  return std::string(tail);
}

const std::vector<CompiledRule>& compiled_rules() {
  static const std::vector<CompiledRule> compiled = [] {
    std::vector<CompiledRule> out;
    for (const auto& rule : stack_rules()) {
      CompiledRule c{std::string(rule.fact), {}, rule.kind};
      for (const auto glob : rule.globs) {
        GlobPattern pattern;
        if (GlobPattern::parse(glob, "", pattern)) c.globs.push_back({std::move(pattern), literal_suffix(glob)});
      }
      out.push_back(std::move(c));
    }
    return out;
  }();
  return compiled;
}

// docker-compose.yml, compose.prod.yaml: what Compose reads by default and its variants.
bool is_compose_name(std::string_view lower_name) {
  if (!lower_name.ends_with(".yml") && !lower_name.ends_with(".yaml")) return false;
  return lower_name.starts_with("docker-compose") || lower_name.starts_with("compose.");
}

}  // namespace

FileKind classify(std::string_view relative_path) {
  const std::string lower = text::to_lower(text::basename(relative_path));
  if (lower.empty()) return FileKind::other;
  if (is_dockerfile_name(lower)) return FileKind::dockerfile;
  return kind_from_extension(lower);
}

void mark_chart_templates(std::vector<File>& files) {
  std::unordered_set<std::string_view> chart_dirs;  // "charts/web/" or "" for a chart at the root
  for (const auto& file : files) {
    const auto name = text::basename(file.path);
    if (name == "Chart.yaml" || name == "Chart.yml")
      chart_dirs.insert(std::string_view(file.path).substr(0, file.path.size() - name.size()));
  }
  if (chart_dirs.empty()) return;
  // A file is a template when some directory on its path is `templates/`
  // right below a chart's: each such directory looked up, rather than every
  // chart tried against every file (363 charts by 5,700 files on helm/charts).
  constexpr std::string_view kTemplates = "templates/";
  for (auto& file : files) {
    const std::string_view path = file.path;
    for (std::size_t at = path.find(kTemplates); at != std::string_view::npos; at = path.find(kTemplates, at + 1)) {
      if ((at == 0 || path[at - 1] == '/') && chart_dirs.contains(path.substr(0, at))) {
        file.kind = FileKind::helm_template;
        break;
      }
    }
  }
}

bool is_development_dockerfile(std::string_view path) {
  // A dev container is a developer's workstation, not an image the project ships.
  if (path.starts_with(".devcontainer/") || path.find("/.devcontainer/") != std::string_view::npos) return true;
  const std::size_t slash = path.find_last_of('/');
  const std::string name = text::to_lower(slash == std::string_view::npos ? path : path.substr(slash + 1));
  std::size_t start = 0;
  while (start <= name.size()) {
    std::size_t end = name.find_first_of("._-", start);
    if (end == std::string::npos) end = name.size();
    const std::string_view word = std::string_view(name).substr(start, end - start);
    if (word == "dev" || word == "development" || word == "local" || word == "test" || word == "tests" ||
        word == "e2e" || word == "playwright" || word == "cypress" || word == "devcontainer" || word == "debug")
      return true;
    start = end + 1;
  }
  return false;
}

StackFacts detect_stack(const std::vector<File>& files) {
  StackFacts stack;
  for (const auto& rule : compiled_rules()) {
    for (const auto& file : files) {
      bool hit = rule.kind.has_value() && file.kind == *rule.kind;
      for (const auto& glob : rule.globs) {
        if (hit) break;
        hit = file.path.ends_with(glob.literal_suffix) && glob.pattern.matches(file.path, false);
      }
      if (hit) {
        stack.facts.insert(rule.fact);
        break;
      }
    }
  }
  for (const auto& implication : kImplications) {
    if (stack.has(implication.if_fact)) stack.facts.insert(std::string(implication.then_fact));
  }
  bool deploys = stack.has("kubernetes") || stack.has("helm") || stack.has("terraform");
  for (const auto& file : files) {
    if (deploys) break;
    deploys = file.kind == FileKind::dockerfile ? !is_development_dockerfile(file.path)
                                                : is_compose_name(text::to_lower(text::basename(file.path)));
  }
  if (deploys) stack.facts.insert(std::string(kDeploysFact));
  add_dependency_facts(stack, files);
  if (stack.has("nextjs")) stack.facts.insert("node");
  return stack;
}

}  // namespace constable::workspace
