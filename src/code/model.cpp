#include "code/model.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "code/builders.hpp"

namespace constable::code {

std::string_view Import::bound_name() const {
  if (!alias.empty()) return alias;
  if (!name.empty() && name != "*") return name;
  const std::string_view whole = module;
  return whole.substr(0, whole.find('.'));
}

const Argument* Call::keyword(std::string_view name) const {
  for (const auto& argument : arguments)
    if (argument.keyword == name) return &argument;
  return nullptr;
}

const Argument* Call::positional(std::size_t index) const {
  for (const auto& argument : arguments) {
    if (!argument.keyword.empty()) continue;
    if (index == 0) return &argument;
    --index;
  }
  return nullptr;
}

std::string_view Call::method() const {
  const std::string_view whole = callee;
  const auto dot = whole.rfind('.');
  return dot == std::string_view::npos ? whole : whole.substr(dot + 1);
}

bool Class::has_base(std::string_view base) const {
  return std::any_of(bases.begin(), bases.end(), [&](const std::string& b) {
    return b == base || (std::string_view(b).ends_with(base) && b.size() > base.size() && b[b.size() - base.size() - 1] == '.');
  });
}

const Argument* Class::keyword(std::string_view keyword_name) const {
  for (const auto& argument : keywords)
    if (argument.keyword == keyword_name) return &argument;
  return nullptr;
}

const Field* Class::field(std::string_view field_name) const {
  for (const auto& f : fields)
    if (f.name == field_name) return &f;
  return nullptr;
}

const JsxAttribute* JsxElement::attribute(std::string_view name) const {
  for (const auto& a : attributes)
    if (a.name == name) return &a;
  return nullptr;
}

const Import* Module::import_binding(std::string_view name) const {
  // The last binding wins, as it does at run time.
  for (auto it = imports.rbegin(); it != imports.rend(); ++it)
    if (it->bound_name() == name) return &*it;
  return nullptr;
}

bool Module::imports_module(std::string_view module) const {
  return std::any_of(imports.begin(), imports.end(), [&](const Import& i) {
    const std::string_view m = i.module;
    return m == module || (m.starts_with(module) && m.size() > module.size() && (m[module.size()] == '.' || m[module.size()] == '/'));
  });
}

std::string Module::qualified(std::string_view dotted) const {
  const auto dot = dotted.find('.');
  const std::string_view head = dotted.substr(0, dot);
  const std::string_view rest = dot == std::string_view::npos ? std::string_view{} : dotted.substr(dot);
  const Import* binding = import_binding(head);
  if (!binding) return std::string(dotted);
  if (binding->name.empty() || binding->name == "*") {
    // `import os.path` binds `os`: `os.path.join` stays as written.
    if (binding->alias.empty()) return std::string(dotted);
    return fmt::format("{}{}", binding->module, rest);
  }
  const char* separator = language == Language::python ? "." : ":";
  return fmt::format("{}{}{}{}", binding->module, separator, binding->name, rest);
}

bool Module::has_directive(std::string_view directive) const {
  return std::find(directives.begin(), directives.end(), directive) != directives.end();
}

const Function* Module::function(std::string_view name) const {
  for (const auto& f : functions)
    if (f.name == name) return &f;
  return nullptr;
}

const Class* Module::class_named(std::string_view name) const {
  for (const auto& c : classes)
    if (c.name == name) return &c;
  return nullptr;
}

Module build_module(Language language, std::string_view text) {
  Module module;
  module.language = language;
  module.source = std::make_shared<const std::string>(text);
  auto tree = SyntaxTree::parse(language, *module.source);
  if (!tree) {
    module.failure = tree.error().message;
    return module;
  }
  module.tree = std::move(*tree);
  const Node root = module.tree->root();
  if (language == Language::python)
    build_python(module, root);
  else
    build_typescript(module, root);
  // Errors anywhere, in parts the model does not describe too: only the
  // subtrees that hold one are entered.
  root.walk([&](const Node& node) {
    if (module.errors.size() >= kMaxSyntaxErrors) return false;
    if (node.is_error()) {
      detail::note_syntax_error(module, node);
      return false;
    }
    return node.has_error();
  });
  return module;
}

std::optional<Module> build_module_for(std::string_view path, std::string_view text) {
  const auto language = language_of(path);
  if (!language) return std::nullopt;
  return build_module(*language, text);
}

namespace detail {

std::string without_whitespace(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text)
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') out += c;
  return out;
}

void note_syntax_error(Module& module, const Node& node) {
  if (module.errors.size() >= kMaxSyntaxErrors) return;
  std::string message;
  if (node.is_error() && node.type() != "ERROR") {
    message = fmt::format("missing `{}`", node.type());
  } else {
    std::string_view shown = node.text();
    if (const auto newline = shown.find('\n'); newline != std::string_view::npos) shown = shown.substr(0, newline);
    if (shown.size() > 40) shown = shown.substr(0, 40);
    message = shown.empty() ? std::string("syntax error") : fmt::format("unexpected `{}`", shown);
  }
  module.errors.push_back({node.range(), std::move(message)});
}

}  // namespace detail

}  // namespace constable::code
