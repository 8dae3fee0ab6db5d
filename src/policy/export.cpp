#include "policy/export.hpp"

#include <fmt/format.h>

#include "core/text.hpp"
#include "rego/value.hpp"

namespace constable::policy {

namespace {

// "kubernetes/revision-history-limit" -> "ConstableRevisionHistoryLimit".
std::string constraint_kind(std::string_view check_id) {
  std::string out = "Constable";
  bool upper = true;
  for (char c : check_id.substr(check_id.find('/') + 1)) {
    if (c == '-' || c == '_') {
      upper = true;
      continue;
    }
    out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return out;
}

// A block scalar's lines, indented.
std::string indented(std::string_view text, int spaces) {
  std::string out;
  const std::string pad(static_cast<std::size_t>(spaces), ' ');
  for (auto line : text::split_lines(text)) {
    if (!line.empty()) out += pad;
    out += line;
    out += '\n';
  }
  return out;
}

}  // namespace

std::vector<ExportedPolicy> export_gatekeeper(const engine::Plan& plan, const std::string& constitution_version) {
  std::vector<ExportedPolicy> out;
  for (const auto& binding : plan.bindings) {
    if (binding.status != engine::BindingStatus::active || binding.clause == nullptr) continue;
    const auto form = binding.check->gatekeeper_form();
    if (!form) continue;
    const auto& info = binding.check->info();
    const std::string kind = constraint_kind(info.id);
    const std::string name = text::to_lower(kind);
    const std::string package = "constable." + name.substr(std::string_view("constable").size());
    std::string kinds;
    for (auto k : form->kinds) kinds += fmt::format("{}\"{}\"", kinds.empty() ? "" : ", ", k);
    // The parameters as YAML flow (JSON is YAML).
    const auto parameters = rego::parse_json(form->parameters_json);
    const std::string rego = fmt::format("package {}\n\nimport future.keywords\n{}", package, form->rego);
    ExportedPolicy policy;
    policy.check_id = std::string(info.id);
    policy.file_name = fmt::format("{}.yaml", text::slugify(std::string(info.id)));
    policy.yaml = fmt::format(
        "# {} as a Gatekeeper policy, exported by `constable policy export` from the constitution {}.\n"
        "# Clause {} (line {}): \"{}\"\n"
        "apiVersion: templates.gatekeeper.sh/v1\n"
        "kind: ConstraintTemplate\n"
        "metadata:\n"
        "  name: {}\n"
        "  annotations:\n"
        "    metadata.gatekeeper.sh/title: {}\n"
        "    constable.dev/check: {}\n"
        "    constable.dev/clause: {}\n"
        "spec:\n"
        "  crd:\n"
        "    spec:\n"
        "      names:\n"
        "        kind: {}\n"
        "  targets:\n"
        "    - target: admission.k8s.gatekeeper.sh\n"
        "      rego: |\n"
        "{}"
        "---\n"
        "apiVersion: constraints.gatekeeper.sh/v1beta1\n"
        "kind: {}\n"
        "metadata:\n"
        "  name: constitution-{}\n"
        "  annotations:\n"
        "    constable.dev/clause: {}\n"
        "spec:\n"
        "  match:\n"
        "    kinds:\n"
        "      - apiGroups: [\"*\"]\n"
        "        kinds: [{}]\n"
        "  parameters: {}\n",
        info.id, constitution_version, binding.clause->id, binding.clause->line, binding.clause->text, name,
        rego::Value::string(std::string(info.summary)).to_json(), info.id, binding.clause->id, kind, indented(rego, 8),
        kind, name.substr(std::string_view("constable").size()), binding.clause->id, kinds,
        parameters ? parameters->to_json() : std::string("{}"));
    out.push_back(std::move(policy));
  }
  return out;
}

}  // namespace constable::policy
