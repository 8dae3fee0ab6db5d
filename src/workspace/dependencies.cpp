// Stack facts from what a repository declares it depends on: a Next.js
// clause must not fire on a Go service, nor a FastAPI clause on a Flask app.
// Read from the dependency manifests themselves (pyproject.toml, Pipfile,
// requirements*.txt, setup.py/setup.cfg, package.json), not from imports, so
// the facts are known before any code is parsed.

#include <array>
#include <cctype>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>
#include <re2/re2.h>

// Debian ships toml++ as a shared object only; this file compiles it in.
#define TOML_HEADER_ONLY 1
#define TOML_EXCEPTIONS 0  // errors as values: parse() returns a result
#define TOML_ENABLE_FORMATTERS 0
#include <toml++/toml.h>

#include "core/text.hpp"
#include "workspace/workspace.hpp"

namespace constable::workspace {

namespace {

struct DependencyFact {
  std::string_view package;  // normalised (PEP 503 for Python, as written for npm)
  std::string_view fact;
};

constexpr std::array kPythonFacts = {
    DependencyFact{"fastapi", "fastapi"},     DependencyFact{"sqlmodel", "sqlmodel"},
    DependencyFact{"sqlalchemy", "sqlalchemy"}, DependencyFact{"alembic", "alembic"},
    DependencyFact{"openai-agents", "openai-agents"}, DependencyFact{"mcp", "mcp"},
    DependencyFact{"fastmcp", "mcp"},
};

constexpr std::array kNpmFacts = {
    DependencyFact{"next", "nextjs"},
    DependencyFact{"react", "react"},
    DependencyFact{"@openai/agents", "openai-agents"},
    DependencyFact{"@modelcontextprotocol/sdk", "mcp"},
};

// PEP 503: lower case, runs of `-`, `_` and `.` as one `-`.
std::string normalise_python_name(std::string_view name) {
  std::string out;
  for (const char c : name) {
    if (c == '-' || c == '_' || c == '.') {
      if (!out.empty() && out.back() != '-') out += '-';
    } else {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return out;
}

// The distribution name at the start of a PEP 508 requirement
// ("fastapi[all]>=0.110 ; python_version>'3.8'" -> "fastapi").
std::string requirement_name(std::string_view requirement) {
  requirement = text::trim(requirement);
  std::size_t end = 0;
  while (end < requirement.size() &&
         (std::isalnum(static_cast<unsigned char>(requirement[end])) || requirement[end] == '-' ||
          requirement[end] == '_' || requirement[end] == '.'))
    ++end;
  return normalise_python_name(requirement.substr(0, end));
}

void add_python_package(StackFacts& stack, std::string_view name) {
  const std::string normalised = normalise_python_name(name);
  for (const auto& entry : kPythonFacts)
    if (normalised == entry.package) stack.facts.insert(std::string(entry.fact));
}

void add_requirement_array(StackFacts& stack, const toml::node* node) {
  const toml::array* array = node ? node->as_array() : nullptr;
  if (!array) return;
  for (const auto& item : *array)
    if (const auto* requirement = item.as_string()) add_python_package(stack, requirement_name(requirement->get()));
}

void add_table_keys(StackFacts& stack, const toml::node* node) {
  const toml::table* table = node ? node->as_table() : nullptr;
  if (!table) return;
  for (const auto& [key, value] : *table) add_python_package(stack, key.str());
}

void add_pyproject(StackFacts& stack, std::string_view text) {
  toml::parse_result parsed = toml::parse(text);
  if (!parsed) return;  // a broken pyproject.toml declares nothing constable can trust
  const toml::table& root = parsed.table();
  // PEP 621, its optional groups, and PEP 735 dependency groups.
  add_requirement_array(stack, root.at_path("project.dependencies").node());
  if (const auto* optional = root.at_path("project.optional-dependencies").as_table())
    for (const auto& [group, requirements] : *optional) add_requirement_array(stack, &requirements);
  if (const auto* groups = root["dependency-groups"].as_table())
    for (const auto& [group, requirements] : *groups) add_requirement_array(stack, &requirements);
  // Poetry, its groups, and uv's development dependencies.
  add_table_keys(stack, root.at_path("tool.poetry.dependencies").node());
  add_table_keys(stack, root.at_path("tool.poetry.dev-dependencies").node());
  if (const auto* groups = root.at_path("tool.poetry.group").as_table())
    for (const auto& [group, table] : *groups)
      if (const auto* t = table.as_table()) add_table_keys(stack, t->get("dependencies"));
  add_requirement_array(stack, root.at_path("tool.uv.dev-dependencies").node());
}

void add_pipfile(StackFacts& stack, std::string_view text) {
  toml::parse_result parsed = toml::parse(text);
  if (!parsed) return;
  add_table_keys(stack, parsed.table().get("packages"));
  add_table_keys(stack, parsed.table().get("dev-packages"));
}

void add_requirements_txt(StackFacts& stack, std::string_view text) {
  for (std::string_view line : text::split_lines(text)) {
    line = text::trim(line);
    if (line.empty() || line.front() == '#' || line.front() == '-') continue;  // comments, -r/-e/--hash options
    add_python_package(stack, requirement_name(line));
  }
}

// setup.py and setup.cfg are code and INI: a requirement is recognised as a
// quoted string (setup.py) or a line (setup.cfg) starting with its name.
void add_setup(StackFacts& stack, std::string_view text) {
  static const RE2 requirement(R"re((?m)(?:^|["'])\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(?:[<>=!~;"'\n]|$))re");
  re2::StringPiece input(text.data(), text.size());
  std::string name;
  while (RE2::FindAndConsume(&input, requirement, &name)) add_python_package(stack, name);
}

void add_package_json(StackFacts& stack, std::string_view text) {
  const nlohmann::json document = nlohmann::json::parse(text, nullptr, false);
  if (!document.is_object()) return;
  for (const char* section : {"dependencies", "devDependencies", "peerDependencies", "optionalDependencies"}) {
    const auto it = document.find(section);
    if (it == document.end() || !it->is_object()) continue;
    for (const auto& entry : kNpmFacts)
      if (it->contains(std::string(entry.package))) stack.facts.insert(std::string(entry.fact));
  }
}

}  // namespace

void add_dependency_facts(StackFacts& stack, const std::vector<File>& files) {
  for (const auto& file : files) {
    const std::string_view name = text::basename(file.path);
    void (*add)(StackFacts&, std::string_view) = nullptr;
    if (name == "pyproject.toml") add = add_pyproject;
    else if (name == "Pipfile") add = add_pipfile;
    else if (name == "setup.py" || name == "setup.cfg") add = add_setup;
    else if (name.starts_with("requirements") && name.ends_with(".txt")) add = add_requirements_txt;
    else if (name == "package.json") add = add_package_json;
    if (!add) continue;
    // A manifest that cannot be read declares nothing; the run says why
    // when a check reads it.
    if (auto content = read_content(file)) add(stack, text::strip_bom(*content));
  }
  // Alembic's own files say so even where it is installed another way.
  for (const auto& file : files) {
    const std::string_view name = text::basename(file.path);
    if (name == "alembic.ini" || (name == "env.py" && file.path.find("alembic") != std::string::npos)) {
      stack.facts.insert("alembic");
      break;
    }
  }
}

}  // namespace constable::workspace
