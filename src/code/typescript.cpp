// The model of a TypeScript, TSX or JavaScript file, from
// tree-sitter-typescript's tree.

#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "code/builders.hpp"

namespace constable::code {

namespace {

using detail::kMaxModelDepth;
using detail::without_whitespace;

std::string_view unquote(std::string_view text) {
  if (text.size() >= 2 && (text.front() == '"' || text.front() == '\'' || text.front() == '`') && text.back() == text.front())
    return text.substr(1, text.size() - 2);
  return text;
}

// The value of a string literal, or of a template literal without
// substitutions; nullopt for anything else.
std::optional<std::string> script_string_value(const Node& node) {
  if (node.is("string")) return std::string(unquote(node.text()));
  if (node.is("template_string")) {
    for (std::uint32_t i = 0; i < node.named_child_count(); ++i)
      if (node.named_child(i).is("template_substitution")) return std::nullopt;
    return std::string(unquote(node.text()));
  }
  return std::nullopt;
}

// `process.env.API_KEY` -> "process.env.API_KEY"; "" when the chain holds
// anything but identifiers.
std::string script_dotted_path(const Node& node) {
  if (node.is("identifier") || node.is("this")) return std::string(node.text());
  if (!node.is("member_expression") || node.field("optional_chain")) return {};
  std::string object = script_dotted_path(node.field("object"));
  if (object.empty()) return {};
  return object + "." + std::string(node.field("property").text());
}

bool is_function_value(const Node& node) {
  return node.is("arrow_function") || node.is("function_expression") || node.is("function") ||
         node.is("generator_function");
}

class TypeScriptBuilder {
 public:
  explicit TypeScriptBuilder(Module& module) : module_(module) {}

  void program(const Node& root) {
    // The directive prologue: string statements before anything else.
    for (std::uint32_t i = 0; i < root.named_child_count(); ++i) {
      const Node statement = root.named_child(i);
      if (statement.is("comment") || statement.is("hash_bang_line")) continue;
      if (!statement.is("expression_statement") || !statement.named_child(0).is("string")) break;
      module_.directives.emplace_back(unquote(statement.named_child(0).text()));
    }
    visit(root, -1, -1, 0);
  }

 private:
  void visit(const Node& node, int function, int klass, int depth) {
    if (!node || depth > kMaxModelDepth) return;
    const std::string_view type = node.type();
    if (type == "import_statement") return import_statement(node);
    if (type == "export_statement") export_statement(node);
    if (type == "function_declaration" || type == "generator_function_declaration") {
      return function_node(node, std::string(node.field("name").text()), node.field("name").range(), function, -1, depth);
    }
    if (type == "method_definition") {
      return function_node(node, std::string(node.field("name").text()), node.field("name").range(), function, klass, depth);
    }
    if (type == "variable_declarator") return declarator(node, function, klass, depth);
    if (is_function_value(node)) return function_node(node, {}, node.range(), function, -1, depth);
    if (type == "class_declaration" || type == "class" || type == "abstract_class_declaration")
      return class_node(node, function, depth);
    if (type == "call_expression" || type == "new_expression") return call(node, function, klass, depth);
    // A chain of names is recorded whole; its parts are not visited.
    if (type == "member_expression" && member(node, function)) return;
    if (type == "jsx_opening_element" || type == "jsx_self_closing_element") jsx(node, function);
    if (type == "string" || type == "template_string") {
      auto value = script_string_value(node);
      module_.strings.push_back({value ? std::move(*value) : std::string(unquote(node.text())), node.range()});
    }
    children(node, function, klass, depth);
  }

  void children(const Node& node, int function, int klass, int depth) {
    for (std::uint32_t i = 0; i < node.child_count(); ++i) visit(node.child(i), function, klass, depth + 1);
  }

  void import_statement(const Node& node) {
    Import base;
    base.module = std::string(unquote(node.field("source").text()));
    base.range = node.range();
    for (std::uint32_t i = 0; i < node.child_count(); ++i)
      if (node.child(i).is("type")) base.type_only = true;
    Node clause;
    for (std::uint32_t i = 0; i < node.named_child_count(); ++i) {
      const Node child = node.named_child(i);
      if (child.is("import_clause")) clause = child;
      if (child.is("import_require_clause")) {  // `import x = require("m")`
        Import entry = base;
        entry.module = std::string(unquote(child.field("source").text()));
        entry.name = "default";
        entry.alias = std::string(child.named_child(0).text());
        module_.imports.push_back(std::move(entry));
        return;
      }
    }
    if (!clause) {
      module_.imports.push_back(std::move(base));
      return;
    }
    for (std::uint32_t i = 0; i < clause.named_child_count(); ++i) {
      const Node part = clause.named_child(i);
      if (part.is("identifier")) {
        Import entry = base;
        entry.name = "default";
        entry.alias = std::string(part.text());
        module_.imports.push_back(std::move(entry));
      } else if (part.is("namespace_import")) {
        Import entry = base;
        entry.name = "*";
        entry.alias = std::string(part.named_child(0).text());
        module_.imports.push_back(std::move(entry));
      } else if (part.is("named_imports")) {
        for (std::uint32_t j = 0; j < part.named_child_count(); ++j) {
          const Node specifier = part.named_child(j);
          if (!specifier.is("import_specifier")) continue;
          Import entry = base;
          entry.name = std::string(unquote(specifier.field("name").text()));
          entry.alias = std::string(specifier.field("alias").text());
          for (std::uint32_t k = 0; k < specifier.child_count(); ++k)
            if (specifier.child(k).is("type")) entry.type_only = true;
          module_.imports.push_back(std::move(entry));
        }
      }
    }
  }

  void export_statement(const Node& node) {
    bool is_default = false;
    for (std::uint32_t i = 0; i < node.child_count(); ++i)
      if (node.child(i).is("default")) is_default = true;
    if (is_default) {
      module_.exports.push_back({"default", node.range()});
      return;
    }
    const Node declaration = node.field("declaration");
    if (declaration) {
      if (declaration.is("lexical_declaration") || declaration.is("variable_declaration")) {
        for (std::uint32_t i = 0; i < declaration.named_child_count(); ++i) {
          const Node declarator = declaration.named_child(i);
          if (declarator.is("variable_declarator"))
            module_.exports.push_back({std::string(declarator.field("name").text()), declarator.range()});
        }
      } else if (const Node name = declaration.field("name")) {
        module_.exports.push_back({std::string(name.text()), node.range()});
      }
      return;
    }
    for (std::uint32_t i = 0; i < node.named_child_count(); ++i) {
      const Node clause = node.named_child(i);
      if (!clause.is("export_clause")) continue;
      for (std::uint32_t j = 0; j < clause.named_child_count(); ++j) {
        const Node specifier = clause.named_child(j);
        if (!specifier.is("export_specifier")) continue;
        const Node alias = specifier.field("alias");
        module_.exports.push_back({std::string(unquote((alias ? alias : specifier.field("name")).text())), specifier.range()});
      }
    }
  }

  // Whether `node` is declared by an export statement (`export function f`,
  // `export const f = ...`, `export default function`).
  static std::pair<bool, bool> export_of(const Node& node) {
    Node at = node.parent();
    if (at.is("variable_declarator")) at = at.parent();
    if (at.is("lexical_declaration") || at.is("variable_declaration")) at = at.parent();
    if (!at.is("export_statement")) return {false, false};
    for (std::uint32_t i = 0; i < at.child_count(); ++i)
      if (at.child(i).is("default")) return {true, true};
    return {true, false};
  }

  std::vector<Parameter> parameters(const Node& node) {
    std::vector<Parameter> out;
    if (const Node single = node.field("parameter")) {  // `x => ...`
      out.push_back({std::string(single.text()), {}, {}, single.range()});
      return out;
    }
    const Node list = node.field("parameters");
    for (std::uint32_t i = 0; i < list.named_child_count(); ++i) {
      const Node p = list.named_child(i);
      if (!p.is("required_parameter") && !p.is("optional_parameter")) continue;
      Parameter parameter;
      parameter.name = std::string(p.field("pattern").text());
      std::string_view annotation = p.field("type").text();
      if (annotation.starts_with(":")) annotation.remove_prefix(1);
      while (annotation.starts_with(" ")) annotation.remove_prefix(1);
      parameter.annotation = std::string(annotation);
      parameter.default_value = std::string(p.field("value").text());
      parameter.range = p.range();
      out.push_back(std::move(parameter));
    }
    return out;
  }

  void function_node(const Node& node, std::string name, SourceRange name_range, int enclosing, int klass, int depth) {
    Function f;
    f.name = std::move(name);
    f.name_range = name_range;
    for (std::uint32_t i = 0; i < node.child_count(); ++i)
      if (node.child(i).is("async")) f.is_async = true;
    f.parameters = parameters(node);
    f.owner_class = klass;
    f.enclosing = enclosing;
    std::tie(f.exported, f.default_export) = export_of(node);
    f.range = node.range();
    f.node = node;
    f.body = node.field("body");
    const int index = static_cast<int>(module_.functions.size());
    module_.functions.push_back(std::move(f));
    const Node list = node.field("parameters");
    for (std::uint32_t i = 0; i < list.named_child_count(); ++i)
      visit(list.named_child(i).field("value"), enclosing, -1, depth + 1);
    visit(node.field("body"), index, -1, depth + 1);
  }

  void declarator(const Node& node, int function, int klass, int depth) {
    const Node name = node.field("name");
    const Node value = node.field("value");
    if (function < 0 && klass < 0 && value) {
      Assignment assignment{std::string(name.text()), std::string(value.text()), -1, node.range(), value};
      if (value.is("call_expression") || value.is("await_expression")) assignment.call = static_cast<int>(module_.calls.size());
      module_.assignments.push_back(std::move(assignment));
    }
    if (value.is("call_expression") && without_whitespace(value.field("function").text()) == "require") {
      const Node first = value.field("arguments").named_child(0);
      if (auto source = script_string_value(first)) {
        Import entry;
        entry.module = std::move(*source);
        entry.name = name.is("identifier") ? "default" : "";
        entry.alias = name.is("identifier") ? std::string(name.text()) : std::string();
        entry.range = node.range();
        module_.imports.push_back(std::move(entry));
      }
    }
    visit(name, function, klass, depth + 1);
    if (is_function_value(value)) return function_node(value, std::string(name.text()), name.range(), function, -1, depth + 1);
    visit(value, function, klass, depth + 1);
  }

  void class_node(const Node& node, int function, int depth) {
    Class c;
    c.name = std::string(node.field("name").text());
    c.name_range = node.field("name").range();
    c.range = node.range();
    c.node = node;
    c.body = node.field("body");
    for (std::uint32_t i = 0; i < node.named_child_count(); ++i) {
      const Node heritage = node.named_child(i);
      if (!heritage.is("class_heritage")) continue;
      for (std::uint32_t j = 0; j < heritage.named_child_count(); ++j) {
        const Node clause = heritage.named_child(j);
        if (clause.is("extends_clause")) c.bases.push_back(without_whitespace(clause.field("value").text()));
      }
    }
    const int index = static_cast<int>(module_.classes.size());
    module_.classes.push_back(std::move(c));
    const Node body = node.field("body");
    for (std::uint32_t i = 0; i < body.named_child_count(); ++i) {
      const Node member = body.named_child(i);
      if (member.is("public_field_definition")) {
        Field field;
        field.name = std::string(member.field("name").text());
        std::string_view annotation = member.field("type").text();
        if (annotation.starts_with(":")) annotation.remove_prefix(1);
        while (annotation.starts_with(" ")) annotation.remove_prefix(1);
        field.annotation = std::string(annotation);
        const Node value = member.field("value");
        field.value = std::string(value.text());
        if (value.is("call_expression") || value.is("new_expression")) field.call = static_cast<int>(module_.calls.size());
        field.range = member.range();
        module_.classes[static_cast<std::size_t>(index)].fields.push_back(std::move(field));
      }
      visit(member, function, index, depth + 1);
    }
  }

  void call(const Node& node, int function, int klass, int depth) {
    const Node callee = node.is("new_expression") ? node.field("constructor") : node.field("function");
    const std::size_t index = module_.calls.size();
    module_.calls.push_back({without_whitespace(callee.text()), {}, node.range(), function, node});
    if (!callee.is("identifier") && !callee.is("member_expression")) visit(callee, function, klass, depth + 1);
    else if (callee.is("member_expression") && script_dotted_path(callee).empty()) visit(callee.field("object"), function, klass, depth + 1);
    const Node list = node.field("arguments");
    std::vector<Argument> arguments;
    if (list.is("arguments")) {
      for (std::uint32_t i = 0; i < list.named_child_count(); ++i) {
        const Node argument = list.named_child(i);
        if (argument.is("comment")) continue;
        arguments.push_back({{}, std::string(argument.text()), script_string_value(argument), argument.range(), argument});
        visit(argument, function, klass, depth + 1);
      }
    } else {
      visit(list, function, klass, depth + 1);  // a tagged template
    }
    module_.calls[index].arguments = std::move(arguments);
  }

  // Records `a.b.c` as one read; false when the chain holds more than names.
  bool member(const Node& node, int function) {
    std::string path = script_dotted_path(node);
    if (path.empty()) return false;
    module_.attribute_reads.push_back({std::move(path), node.range(), function});
    return true;
  }

  void jsx(const Node& node, int function) {
    JsxElement element;
    element.tag = without_whitespace(node.field("name").text());
    element.range = node.range();
    element.function = function;
    for (std::uint32_t i = 0; i < node.named_child_count(); ++i) {
      const Node attribute = node.named_child(i);
      if (!attribute.is("jsx_attribute")) continue;
      JsxAttribute a;
      a.name = std::string(attribute.named_child(0).text());
      a.range = attribute.range();
      if (const Node value = attribute.named_child(1)) {
        std::string_view text = value.text();
        if (value.is("string")) text = unquote(text);
        else if (value.is("jsx_expression") && text.size() >= 2) text = text.substr(1, text.size() - 2);
        a.value = std::string(text);
      }
      element.attributes.push_back(std::move(a));
    }
    module_.jsx_elements.push_back(std::move(element));
  }

  Module& module_;
};

}  // namespace

void build_typescript(Module& module, const Node& root) { TypeScriptBuilder(module).program(root); }

}  // namespace constable::code
