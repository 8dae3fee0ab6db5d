// aiops/crd-documentation: "Custom Resource Definitions (CRDs) MUST be
// documented". A CustomResourceDefinition the repository ships says what its
// resource and fields mean: descriptions in its OpenAPI schema (what
// `kubectl explain` shows), or a document of the repository naming its kind.

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "checks/aiops/aiops_checks.hpp"
#include "core/text.hpp"
#include "formats/yaml/yaml.hpp"

namespace constable::checks::aiops {

namespace {
namespace crd_documentation_check {

constexpr engine::CheckInfo kInfo{
    .id = "aiops/crd-documentation",
    .domain = "aiops",
    .nature = Nature::documentation,
    .summary = "Document every CustomResourceDefinition: schema descriptions, or a document naming its kind",
    .rationale =
        "A custom resource nobody documented is configured by copying an existing object and guessing; "
        "`kubectl explain` shows a CRD's schema descriptions and nothing else. Judged: "
        "apiextensions.k8s.io CustomResourceDefinitions in the repository's YAML and JSON files (chart "
        "templates with template actions are not read). A CRD is documented when any version's "
        "openAPIV3Schema carries a non-empty `description` anywhere (controller-gen writes them from the Go "
        "types' comments), or when a Markdown, AsciiDoc or reStructuredText file of the repository names its "
        "kind (as a whole word, in its case) or its `<plural>.<group>` name. Only the repository's own "
        "definitions are judged: a CRD whose API group its source code (Go, Python, TypeScript, JavaScript, Rust, "
        "Java, Kotlin, C#, Ruby) names, as the controller serving it does; a chart that packages another "
        "project's CRDs (Argo's, Velero's) is not asked to document them.",
    .remediation =
        "Describe the resource and its fields in the schema (`description:` on the root, `spec` and each "
        "property; with kubebuilder, doc comments on the Go types), or document the kind in docs/ with an "
        "example object.",
    .bad_example = "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: "
                   "runbooks.ops.example.com}\nspec:\n  group: ops.example.com\n  names: {kind: Runbook, plural: "
                   "runbooks}\n  scope: Namespaced\n  versions:\n    - name: v1\n      served: true\n      storage: "
                   "true\n      schema:\n        openAPIV3Schema:\n          type: object\n"
                   "          x-kubernetes-preserve-unknown-fields: true\n",
    .good_example = "      schema:\n        openAPIV3Schema:\n          description: A Runbook is the list of steps "
                    "an operator follows for one alert.\n          type: object\n",
    .parameters = "",
    .clause = {.section = "kagent|agent deployment|custom resource", .text = R"(\bCRDs?\b|custom resource definition)"},
    .file_kind = FileKind::other,
    .stack = "",
    .scope = engine::Scope::repository,
};

constexpr std::uintmax_t kMaxFileSize = 8U * 1024U * 1024U;
constexpr std::size_t kMaxVisited = 500000;

// Whether any mapping under `root` has a non-empty scalar `description`;
// iterative, and bounded in the nodes it visits.
bool has_description(const yaml::Node* root) {
  std::vector<const yaml::Node*> stack{root};
  std::size_t visited = 0;
  while (!stack.empty() && ++visited < kMaxVisited) {
    const yaml::Node* node = stack.back();
    stack.pop_back();
    if (node == nullptr) continue;
    if (node->is_mapping()) {
      for (const yaml::Entry& entry : node->entries) {
        if (entry.key != nullptr && entry.key->is_scalar() && entry.key->value == "description" &&
            entry.value != nullptr && entry.value->is_scalar() && !text::trim(entry.value->str()).empty())
          return true;
        stack.push_back(entry.value);
      }
    } else if (node->is_sequence()) {
      for (const yaml::Node* item : node->items) stack.push_back(item);
    }
  }
  return visited >= kMaxVisited;  // too large to walk: not judged
}

struct Undocumented {
  std::string path;
  int line = 0;
  std::string name;   // metadata.name, "runbooks.ops.example.com"
  std::string kind;   // "Runbook"
  std::string full;   // "<plural>.<group>"
  std::string group;  // "ops.example.com"
};

bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

// Whether `text` names `word` as a whole word, in its case.
bool names_word(std::string_view text, std::string_view word) {
  if (word.empty()) return false;
  for (std::size_t at = text.find(word); at != std::string_view::npos; at = text.find(word, at + 1)) {
    const bool before = at == 0 || !is_word_char(text[at - 1]);
    const std::size_t end = at + word.size();
    const bool after = end >= text.size() || !is_word_char(text[end]);
    if (before && after) return true;
  }
  return false;
}

bool is_document(std::string_view path) {
  const std::string lower = text::to_lower(path);
  return lower.ends_with(".md") || lower.ends_with(".mdx") || lower.ends_with(".adoc") || lower.ends_with(".rst");
}

// Source code that may name the API group it serves.
bool is_code(std::string_view path) {
  const std::string lower = text::to_lower(path);
  for (const std::string_view extension : {".go", ".py", ".ts", ".tsx", ".js", ".mjs", ".rs", ".java", ".kt", ".cs", ".rb"})
    if (lower.ends_with(extension)) return true;
  return false;
}

bool is_yaml_or_json(std::string_view path) {
  const std::string lower = text::to_lower(path);
  return lower.ends_with(".yaml") || lower.ends_with(".yml") || lower.ends_with(".json");
}

class CrdDocumentationCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    // Only the repository's own API is judged (below): without source code
    // to serve one, no definition is its own, and none need be parsed.
    if (std::none_of(repo.workspace().files.begin(), repo.workspace().files.end(),
                     [](const workspace::File& file) { return file.size <= kMaxFileSize && is_code(file.path); }))
      return;
    std::vector<Undocumented> undocumented;
    for (const workspace::File& file : repo.workspace().files) {
      if (file.size > kMaxFileSize || !is_yaml_or_json(file.path)) continue;
      const std::string* content = repo.text(file);
      if (content == nullptr || !text::contains(*content, "CustomResourceDefinition")) continue;
      if (text::contains(*content, "{{")) continue;  // a template: its YAML is what it renders
      const yaml::Stream* stream = repo.yaml(file);
      if (stream == nullptr) continue;
      for (const yaml::Document& document : stream->documents) {
        const yaml::Node* root = document.root;
        if (root == nullptr || !root->is_mapping()) continue;
        collect(file.path, root, undocumented);
        // A List of objects.
        if (const yaml::Node* items = root->get("items"); items != nullptr && items->is_sequence() &&
                                                          root->get("kind") != nullptr &&
                                                          root->get("kind")->str().ends_with("List"))
          for (const yaml::Node* item : items->items)
            if (item != nullptr && item->is_mapping()) collect(file.path, item, undocumented);
      }
    }
    if (undocumented.empty()) return;
    // Only the repository's own API: a CRD whose group its code names (the
    // controller that serves it). A chart that packages another project's
    // CRDs (Argo's, Velero's) does not define them. Asked first: a chart
    // repository has no code, and its documents need not be read.
    std::vector<bool> owned(undocumented.size(), false);
    bool any_owned = false;
    for (const workspace::File& file : repo.workspace().files) {
      if (file.size > kMaxFileSize || !is_code(file.path)) continue;
      const std::string* content = repo.text(file);
      if (content == nullptr) continue;
      for (std::size_t i = 0; i < undocumented.size(); ++i)
        if (!owned[i] && !undocumented[i].group.empty() && text::contains(*content, undocumented[i].group)) {
          owned[i] = true;
          any_owned = true;
        }
    }
    if (!any_owned) return;
    // Documents of the repository that name a kind document it.
    std::vector<bool> named(undocumented.size(), false);
    for (const workspace::File& file : repo.workspace().files) {
      if (file.size > kMaxFileSize || !is_document(file.path)) continue;
      const std::string* content = repo.text(file);
      if (content == nullptr) continue;
      for (std::size_t i = 0; i < undocumented.size(); ++i)
        if (owned[i] && !named[i] &&
            (names_word(*content, undocumented[i].kind) ||
             (!undocumented[i].full.empty() && text::contains(*content, undocumented[i].full))))
          named[i] = true;
    }
    for (std::size_t i = 0; i < undocumented.size(); ++i) {
      if (named[i] || !owned[i]) continue;
      const Undocumented& crd = undocumented[i];
      out.report_at(crd.path, crd.line,
                    fmt::format("CustomResourceDefinition '{}' has no description in its schema and no document "
                                "of the repository names its kind {}",
                                crd.name, crd.kind));
    }
  }

 private:
  static void collect(const std::string& path, const yaml::Node* object, std::vector<Undocumented>& out) {
    const yaml::Node* kind = object->get("kind");
    const yaml::Node* api = object->get("apiVersion");
    if (kind == nullptr || kind->str() != "CustomResourceDefinition" || api == nullptr ||
        !api->str().starts_with("apiextensions.k8s.io/"))
      return;
    const yaml::Node* spec = object->get("spec");
    if (spec == nullptr || !spec->is_mapping()) return;
    const yaml::Node* names = spec->get("names");
    const yaml::Node* crd_kind = names != nullptr ? names->get("kind") : nullptr;
    if (crd_kind == nullptr || crd_kind->str().empty()) return;
    // v1beta1's spec.validation, and every version's schema.
    if (has_description(spec->at("validation", "openAPIV3Schema"))) return;
    if (const yaml::Node* versions = spec->get("versions"); versions != nullptr && versions->is_sequence())
      for (const yaml::Node* version : versions->items)
        if (version != nullptr && version->is_mapping() && has_description(version->at("schema", "openAPIV3Schema")))
          return;
    const yaml::Node* metadata_name = object->at("metadata", "name");
    const yaml::Node* plural = names->get("plural");
    const yaml::Node* group = spec->get("group");
    Undocumented crd{.path = path,
                     .line = (metadata_name != nullptr ? metadata_name : kind)->start.line,
                     .name = std::string(metadata_name != nullptr ? metadata_name->str() : crd_kind->str()),
                     .kind = std::string(crd_kind->str()),
                     .full = {},
                     .group = {}};
    if (group != nullptr) crd.group = std::string(group->str());
    if (plural != nullptr && !plural->str().empty() && !crd.group.empty())
      crd.full = fmt::format("{}.{}", plural->str(), crd.group);
    out.push_back(std::move(crd));
  }
};

}  // namespace crd_documentation_check
}  // namespace

std::unique_ptr<engine::Check> make_crd_documentation_check() {
  return engine::make_check<crd_documentation_check::CrdDocumentationCheck>();
}

}  // namespace constable::checks::aiops
