// aiops/declarative-agents: "Agent behaviors MUST be specified in YAML
// configuration". A kagent agent (kagent.dev Agent or SandboxAgent) is
// declarative and carries its instructions: a `systemMessage`, or a
// `systemMessageFrom` ConfigMap or Secret key. A BYO agent runs an image
// whose code is its behaviour, which no YAML shows.

#include <fmt/format.h>

#include "checks/aiops/aiops_checks.hpp"
#include "checks/aiops/kagent_support.hpp"
#include "checks/kubernetes/kubernetes_support.hpp"
#include "core/text.hpp"

namespace constable::checks::aiops {

namespace {
namespace declarative_agents_check {

constexpr engine::CheckInfo kInfo{
    .id = "aiops/declarative-agents",
    .domain = "aiops",
    .nature = Nature::maintainability,
    .summary = "Declare each kagent agent's behaviour in its YAML: a declarative agent with a system message",
    .rationale =
        "An agent's instructions decide what it does to a cluster; kept in the agent's YAML they are reviewed, "
        "diffed and rolled back with the rest of the configuration, and a reader of the manifests knows what "
        "each agent is told to do. Judged: kagent.dev Agent and SandboxAgent objects (manifests, kustomize "
        "output and rendered charts). A declarative agent (`type: Declarative`, or kagent.dev/v1alpha1's "
        "`spec.systemMessage` beside `spec.modelConfig`) needs a non-empty `systemMessage` or a `systemMessageFrom` (a ConfigMap or "
        "Secret key, itself YAML); a BYO agent (`type: BYO`) runs an image whose code is its behaviour and is "
        "reported. An agent of another type, or whose type cannot be read, is not judged.",
    .remediation =
        "Make the agent declarative (`type: Declarative`) and write its instructions in "
        "`spec.declarative.systemMessage`, or in a ConfigMap key it names with `systemMessageFrom`; keep a BYO "
        "image only for what a declarative agent cannot do, and waive it with the reason.",
    .bad_example = "apiVersion: kagent.dev/v1alpha2\nkind: Agent\nmetadata: {name: triage, namespace: kagent}\n"
                   "spec:\n  type: BYO\n  byo:\n    deployment:\n      image: ghcr.io/acme/triage-agent:1.4.0\n",
    .good_example = "apiVersion: kagent.dev/v1alpha2\nkind: Agent\nmetadata: {name: triage, namespace: kagent}\n"
                    "spec:\n  type: Declarative\n  declarative:\n    modelConfig: default-model-config\n"
                    "    systemMessage: |\n      You triage failing pods. Never delete resources.\n",
    .parameters = "",
    .clause = {.section = "kagent|agent deployment", .text = R"(behaviou?rs?\b.*\byaml\b)"},
    .file_kind = FileKind::yaml,
    .stack = "",
    .scope = engine::Scope::manifests,
};

bool has_text(const yaml::Node* node) {
  return node != nullptr && node->is_scalar() && !node->is_null() && !text::trim(node->str()).empty();
}

bool has_mapping(const yaml::Node* node) { return node != nullptr && node->is_mapping() && !node->entries.empty(); }

// The key of `key` in `mapping` (the line a reader looks for), else `fallback`.
const yaml::Node* key_node(const yaml::Node* mapping, std::string_view key, const yaml::Node* fallback) {
  const yaml::Entry* entry = mapping != nullptr && mapping->is_mapping() ? mapping->find(key) : nullptr;
  return entry != nullptr && entry->key != nullptr ? entry->key : fallback;
}

class DeclarativeAgentsCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_manifests(const engine::ManifestContext& context, engine::Emitter& out) const override {
    for (const kube::Object& object : context.manifests().objects()) {
      if (!is_kagent_agent(object) || object.root == nullptr) continue;
      const yaml::Node* spec = object.root->get("spec");
      if (spec == nullptr || !spec->is_mapping()) continue;
      const yaml::Node* type_node = spec->get("type");
      const std::string type = text::to_lower(type_node != nullptr ? type_node->str() : std::string_view());
      const std::string name = object.name.empty() ? object.kind : fmt::format("{} '{}'", object.kind, object.name);
      const yaml::Node* byo = spec->get("byo");
      if (type == "byo" || (type.empty() && byo != nullptr && spec->get("declarative") == nullptr)) {
        std::string_view image;
        if (byo != nullptr && byo->is_mapping()) {
          const yaml::Node* node = byo->at("deployment", "image");
          if (node == nullptr) node = byo->get("image");
          if (node != nullptr) image = node->str();
        }
        kubernetes::report(out, object, type_node != nullptr ? type_node : spec,
                           fmt::format("kagent {} is a BYO agent: its behaviour is the code of {}, not YAML", name,
                                       image.empty() ? std::string("its image") : fmt::format("image {}", image)));
        continue;
      }
      // kagent.dev/v1alpha1: the system message sits on the spec itself.
      if (type.empty() && spec->get("declarative") == nullptr) {
        // Only kagent's own v1alpha1 shape (spec.modelConfig); other projects' agents in the group are not read.
        if (object.api_version != "kagent.dev/v1alpha1" || spec->get("modelConfig") == nullptr) continue;
        if (has_text(spec->get("systemMessage")) || has_mapping(spec->get("systemMessageFrom"))) continue;
        kubernetes::report(out, object, key_node(object.root, "spec", spec),
                           fmt::format("kagent {} declares no systemMessage", name));
        continue;
      }
      if (!type.empty() && type != "declarative") continue;
      const yaml::Node* declarative = spec->get("declarative");
      if (declarative != nullptr && declarative->is_mapping() &&
          (has_text(declarative->get("systemMessage")) || has_mapping(declarative->get("systemMessageFrom"))))
        continue;
      const yaml::Node* anchor = declarative != nullptr ? key_node(spec, "declarative", declarative)
                                                        : (type_node != nullptr ? type_node : spec);
      if (declarative != nullptr && declarative->is_mapping()) anchor = key_node(declarative, "systemMessage", anchor);
      // A field kagent does not read (`systemPrompt`, `instructions`): the schema prunes it.
      std::string ignored;
      if (declarative != nullptr && declarative->is_mapping())
        for (const yaml::Entry& entry : declarative->entries) {
          if (entry.key == nullptr || !entry.key->is_scalar()) continue;
          const std::string key = text::to_lower(entry.key->str());
          if (key == "systemmessage" || key == "systemmessagefrom" || key == "prompttemplate") continue;
          if (text::contains(key, "prompt") || text::contains(key, "instruction") || text::contains(key, "systemmessage")) {
            ignored = entry.key->value;
            anchor = entry.key;
            break;
          }
        }
      kubernetes::report(out, object, anchor,
                         ignored.empty()
                             ? fmt::format("declarative kagent {} has no systemMessage or systemMessageFrom, so no "
                                           "YAML says what it is told to do",
                                           name)
                             : fmt::format("declarative kagent {} has no systemMessage or systemMessageFrom: kagent "
                                           "does not read its `{}`, so the agent runs without those instructions",
                                           name, ignored));
    }
  }
};

}  // namespace declarative_agents_check
}  // namespace

std::unique_ptr<engine::Check> make_declarative_agents_check() {
  return engine::make_check<declarative_agents_check::DeclarativeAgentsCheck>();
}

}  // namespace constable::checks::aiops
