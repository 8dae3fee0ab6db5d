#include "checks/agents/agents_support.hpp"

namespace constable::checks::agents {

namespace {

constexpr std::string_view kPythonPackage = "agents";
constexpr std::string_view kNpmPackage = "@openai/agents";

std::string_view without_subscript(std::string_view callee) {
  // `Agent[AirlineAgentContext]` is the generic alias of `Agent`.
  if (const auto bracket = callee.find('['); bracket != std::string_view::npos) return callee.substr(0, bracket);
  return callee;
}

std::string_view unquote(std::string_view text) {
  if (text.size() >= 2 && (text.front() == '"' || text.front() == '\'') && text.back() == text.front())
    return text.substr(1, text.size() - 2);
  return text;
}

}  // namespace

bool uses_agents_sdk(const code::Module& module) {
  for (const auto& import : module.imports) {
    if (module.language == code::Language::python) {
      if (import.module == kPythonPackage || import.module.starts_with("agents.")) return true;
    } else if (import.module == kNpmPackage || import.module.starts_with("@openai/agents-")) {
      return true;
    }
  }
  return false;
}

bool is_sdk_name(const code::Module& module, std::string_view callee, std::string_view name) {
  const std::string qualified = module.qualified(without_subscript(callee));
  const std::string_view q = qualified;
  if (module.language == code::Language::python) {
    if (!q.starts_with("agents.")) return false;
    return q.substr(q.rfind('.') + 1) == name;
  }
  // "@openai/agents:Agent", "@openai/agents-core:tool"
  const auto colon = q.find(':');
  if (colon == std::string_view::npos || !q.starts_with(kNpmPackage)) return false;
  return q.substr(colon + 1) == name;
}

code::Node option(const code::Call& call, std::string_view name) {
  if (const code::Argument* keyword = call.keyword(name)) return keyword->node;
  const code::Argument* first = call.positional(0);
  if (first == nullptr || !first->node.is("object")) return {};
  for (std::uint32_t i = 0; i < first->node.named_child_count(); ++i) {
    const code::Node pair = first->node.named_child(i);
    if (pair.is("pair") && unquote(pair.field("key").text()) == name) return pair.field("value");
    // `{ tools }`: the shorthand names a variable of the same name.
    if (pair.is("shorthand_property_identifier") && pair.text() == name) return pair;
  }
  return {};
}

std::vector<code::Node> elements(const code::Node& list) {
  std::vector<code::Node> out;
  if (!list.is("list") && !list.is("array") && !list.is("tuple")) return out;
  for (std::uint32_t i = 0; i < list.named_child_count(); ++i) {
    const code::Node element = list.named_child(i);
    if (!element.is("comment")) out.push_back(element);
  }
  return out;
}

std::string bound_name(const code::Call& call) {
  code::Node at = call.node.parent();
  if (at.is("await") || at.is("await_expression")) at = at.parent();
  if (at.is("assignment") && at.field("left").is("identifier")) return std::string(at.field("left").text());
  if (at.is("variable_declarator") && at.field("name").is("identifier")) return std::string(at.field("name").text());
  return {};
}

std::string agent_display_name(const code::Call& call) {
  const code::Node name = option(call, "name");
  const std::string_view text = name.text();
  if (!name.is("string") || text.empty() || (text.front() != '"' && text.front() != '\'')) return {};
  return std::string(unquote(text));
}

std::vector<const workspace::File*> sources_mentioning(const engine::RepositoryContext& repository,
                                                       std::string_view word) {
  std::vector<const workspace::File*> out;
  for (const workspace::File& file : repository.workspace().files) {
    if (file.kind != FileKind::source || !code::language_of(file.path)) continue;
    const std::string* text = repository.text(file);
    if (text != nullptr && text->find(word) != std::string::npos) out.push_back(&file);
  }
  return out;
}

std::vector<const code::Call*> agent_constructions(const code::Module& module) {
  std::vector<const code::Call*> out;
  for (const auto& call : module.calls) {
    std::string_view callee = call.callee;
    if (callee.ends_with(".create") && module.language != code::Language::python) callee.remove_suffix(7);
    if (is_sdk_name(module, callee, "Agent") || is_sdk_name(module, callee, "RealtimeAgent")) out.push_back(&call);
  }
  return out;
}

}  // namespace constable::checks::agents
