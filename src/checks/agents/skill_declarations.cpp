// agents/skill-declarations: "Each agent MUST define: Capabilities (JSON
// schema of available skills), Contracts (input/output specifications for
// each skill), Dependencies (required services), SLA Commitments". Bound to
// the first item; the others are read in bind_section. Agent definitions
// judged: Claude Code subagents (`.claude/agents/*.md`), whose YAML front
// matter and Markdown body may declare each part. Agents built in code
// (the OpenAI Agents SDK's Agent(...)) cannot state dependencies or an SLA
// there; their declarations belong in such a file or a specification, so
// code is not judged (docs/checks page says so).

#include <array>
#include <cctype>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "checks/agents/agents_checks.hpp"
#include "core/text.hpp"
#include "formats/yaml/yaml.hpp"

namespace constable::checks::agents {

namespace {
namespace skill_declarations_check {

constexpr engine::CheckInfo kInfo{
    .id = "agents/skill-declarations",
    .domain = "agents",
    .nature = Nature::maintainability,
    .summary = "Declare each agent's capabilities, contracts, dependencies and SLA in its definition",
    .rationale =
        "An agent others delegate to is a service: callers need to know what it can do (its skills as a JSON "
        "schema), what each skill takes and returns, what it depends on, and how fast and how reliably it "
        "answers. A Claude Code subagent file (`.claude/agents/<name>.md`) holds the agent's definition: its "
        "front matter (`capabilities`, `contracts`, `dependencies`, `sla`) or its body's sections declare "
        "them. Agents built in code are not judged by this check: their declarations belong in a file like "
        "this or in the project's specification.",
    .remediation = "Add the missing parts to the agent's front matter (`capabilities:` a JSON schema or the path "
                   "of one, `contracts:`, `dependencies:`, `sla:`) or as sections of its body (`## "
                   "Capabilities`, `## Contracts`, `## Dependencies`, `## SLA`).",
    .bad_example = "---\nname: reviewer\ndescription: Reviews pull requests\ntools: Read, Grep\n---\nYou review "
                   "code.\n",
    .good_example = "---\nname: reviewer\ndescription: Reviews pull requests\ncapabilities: "
                    "schemas/reviewer.json\ncontracts: schemas/reviewer-io.json\ndependencies: [github-api]\n"
                    "sla: {p95_response: 30s, availability: 99%}\n---\nYou review code.\n",
    .parameters = "the parts an agent must define, from the section's items",
    .clause = {.section = "agent skills", .text = "capabilit"},
    .file_kind = FileKind::markdown,
    .stack = "",
    .scope = engine::Scope::files_of_kind,
};

enum class Part : std::uint8_t { capabilities, contracts, dependencies, sla };

struct PartRule {
  Part part;
  std::string_view clause_word;  // in the clause text
  std::string_view what;         // in messages
  std::array<std::string_view, 5> keys;      // front-matter keys that declare it
  std::array<std::string_view, 4> headings;  // words of a body heading that declares it
};

constexpr std::array kParts = {
    PartRule{Part::capabilities, "capabilit", "its capabilities (a JSON schema of its skills)",
             {"capabilities", "skills", "capability_schema", "", ""}, {"capabilit", "skills", "", ""}},
    PartRule{Part::contracts, "contract", "the input/output contract of each skill",
             {"contracts", "contract", "inputs", "input_schema", "output_schema"}, {"contract", "input", "output", ""}},
    PartRule{Part::dependencies, "dependenc", "the services it depends on",
             {"dependencies", "requires", "depends_on", "services", ""}, {"dependenc", "requires", "", ""}},
    PartRule{Part::sla, "sla", "its SLA (response time and availability)",
             {"sla", "slo", "service_level", "", ""}, {"sla", "service level", "response time", "availabilit"}},
};

bool is_agent_definition(std::string_view path) {
  const auto at = path.find(".claude/agents/");
  return (at == 0 || (at != std::string_view::npos && path[at - 1] == '/')) && path.ends_with(".md");
}

class SkillDeclarationsCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }
  bool judges_path(std::string_view path) const override { return is_agent_definition(path); }

  Result<void> bind(const constitution::Clause& clause, const engine::Config&) override {
    bound_ = &clause;
    return {};
  }

  Result<void> bind_section(const std::vector<const constitution::Clause*>& section) override {
    clauses_.fill(nullptr);
    for (const constitution::Clause* clause : section) {
      const std::string lower = text::to_lower(clause->text);
      for (const PartRule& rule : kParts) {
        const bool named = rule.part == Part::sla ? lower.starts_with("sla") || lower.find(" sla") != std::string::npos
                                                  : lower.find(rule.clause_word) != std::string::npos;
        if (named && clauses_[static_cast<std::size_t>(rule.part)] == nullptr)
          clauses_[static_cast<std::size_t>(rule.part)] = clause;
      }
    }
    return {};
  }

  std::vector<const constitution::Clause*> also_enforced() const override {
    std::vector<const constitution::Clause*> out;
    for (const constitution::Clause* clause : clauses_)
      if (clause != nullptr && clause != bound_) out.push_back(clause);
    return out;
  }

  std::string bound_parameters() const override {
    std::string out;
    for (const PartRule& rule : kParts)
      if (clauses_[static_cast<std::size_t>(rule.part)] != nullptr)
        out += fmt::format("{}{}", out.empty() ? "" : ", ", rule.keys[0]);
    return out;
  }

  void check(const engine::FileContext& file, engine::Emitter& out) const override {
    if (!is_agent_definition(file.file().path)) return;
    const std::string_view text = file.text();
    // Front matter: the YAML between a first line `---` and the next.
    std::vector<std::string> keys;
    std::string_view body = text;
    int first_line = 1;  // the front matter's `name:` line when there is one
    if (text.starts_with("---\n") || text.starts_with("---\r\n")) {
      const auto end = text.find("\n---", 3);
      if (end != std::string_view::npos) {
        const yaml::Stream front = yaml::parse(text.substr(text.find('\n') + 1, end - text.find('\n')));
        const yaml::Node* root = front.documents.empty() ? nullptr : front.documents[0].root;
        if (root != nullptr && root->is_mapping())
          for (const yaml::Entry& entry : root->entries) {
            keys.push_back(text::to_lower(entry.key->str()));
            if (keys.back() == "name") first_line = entry.key->start.line + 1;  // below the opening `---`
          }
        body = text.substr(end + 4);
      }
    }
    std::vector<std::string> headings;
    for (std::string_view line : text::split_lines(body)) {
      line = text::trim(line);
      if (line.starts_with("#")) headings.push_back(text::to_lower(line));
    }
    const std::string name = std::string(text::basename(file.file().path));
    for (const PartRule& rule : kParts) {
      const constitution::Clause* clause = clauses_[static_cast<std::size_t>(rule.part)];
      if (clause == nullptr) continue;
      bool declared = false;
      for (const std::string_view key : rule.keys)
        for (const std::string& k : keys) declared = declared || (!key.empty() && k == key);
      for (const std::string_view word : rule.headings)
        for (const std::string& h : headings) declared = declared || (!word.empty() && heading_names(h, word));
      if (declared) continue;
      out.emit({.range = SourceRange::at_line(first_line),
                .message = fmt::format("agent definition {} does not declare {}", name, rule.what),
                .clause = clause == bound_ ? nullptr : clause});
    }
  }

 private:
  // `## SLA` names the SLA; `## Classification` does not.
  static bool heading_names(const std::string& heading, std::string_view word) {
    if (word != "sla") return heading.find(word) != std::string::npos;
    for (std::size_t at = heading.find("sla"); at != std::string::npos; at = heading.find("sla", at + 1)) {
      const bool start = at == 0 || !std::isalpha(static_cast<unsigned char>(heading[at - 1]));
      const bool end = at + 3 >= heading.size() || !std::isalpha(static_cast<unsigned char>(heading[at + 3]));
      if (start && end) return true;
    }
    return false;
  }

  const constitution::Clause* bound_ = nullptr;
  std::array<const constitution::Clause*, kParts.size()> clauses_{};
};

}  // namespace skill_declarations_check
}  // namespace

std::unique_ptr<engine::Check> make_skill_declarations_check() {
  return engine::make_check<skill_declarations_check::SkillDeclarationsCheck>();
}

}  // namespace constable::checks::agents
