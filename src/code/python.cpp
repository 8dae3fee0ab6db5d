// The model of a Python file, from tree-sitter-python's tree.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "code/builders.hpp"

namespace constable::code {

namespace {

using detail::kMaxModelDepth;
using detail::without_whitespace;

// The value of a plain string literal (`"x"`, `r'x'`, `"""x"""`); nullopt for
// f-strings with interpolations and for concatenations.
std::optional<std::string> string_value(const Node& node) {
  if (!node.is("string")) return std::nullopt;
  std::string value;
  for (std::uint32_t i = 0; i < node.named_child_count(); ++i) {
    const Node part = node.named_child(i);
    if (part.is("interpolation")) return std::nullopt;
    if (part.is("string_content") || part.is("escape_sequence")) value += part.text();
  }
  return value;
}

// `settings.database_url` -> "settings.database_url"; "" when the chain holds
// anything but identifiers (a call, a subscript).
std::string dotted_path(const Node& node) {
  if (node.is("identifier")) return std::string(node.text());
  if (!node.is("attribute")) return {};
  std::string object = dotted_path(node.field("object"));
  if (object.empty()) return {};
  return object + "." + std::string(node.field("attribute").text());
}

class PythonBuilder {
 public:
  explicit PythonBuilder(Module& module) : module_(module) {}

  void visit(const Node& node, int function, int klass, int depth) {
    if (!node || depth > kMaxModelDepth) return;
    const std::string_view type = node.type();
    if (type == "import_statement") return import_statement(node);
    if (type == "import_from_statement") return import_from(node);
    if (type == "decorated_definition") {
      std::vector<Decorator> decorators;
      for (std::uint32_t i = 0; i < node.named_child_count(); ++i) {
        const Node child = node.named_child(i);
        if (child.is("decorator")) decorators.push_back(decorator(child, function, depth));
      }
      const Node definition = node.field("definition");
      if (definition.is("function_definition")) return function_definition(definition, function, klass, std::move(decorators), depth);
      if (definition.is("class_definition")) return class_definition(definition, function, std::move(decorators), depth);
      return visit(definition, function, klass, depth + 1);
    }
    if (type == "function_definition") return function_definition(node, function, klass, {}, depth);
    if (type == "class_definition") return class_definition(node, function, {}, depth);
    if (type == "call") {
      call(node, function, depth);
      return;
    }
    // Module level includes `if`/`try` blocks at the top: they run at import.
    if (type == "expression_statement" && function < 0 && klass < 0) {
      const Node assignment_node = node.named_child(0);
      if (assignment_node.is("assignment")) {
        Assignment assignment{std::string(assignment_node.field("left").text()),
                              std::string(assignment_node.field("right").text()), -1, assignment_node.range(),
                              assignment_node.field("right")};
        if (assignment_node.field("right").is("call")) assignment.call = static_cast<int>(module_.calls.size());
        module_.assignments.push_back(std::move(assignment));
      }
    }
    // A chain of names is recorded whole; its parts are not visited.
    if (type == "attribute" && attribute(node, function)) return;
    if (type == "string") {
      if (auto value = string_value(node)) module_.strings.push_back({std::move(*value), node.range()});
      else module_.strings.push_back({std::string(node.text()), node.range()});
    }
    children(node, function, klass, depth);
  }

 private:
  void children(const Node& node, int function, int klass, int depth) {
    for (std::uint32_t i = 0; i < node.child_count(); ++i) visit(node.child(i), function, klass, depth + 1);
  }

  void import_statement(const Node& node) {
    for (std::uint32_t i = 0; i < node.child_count(); ++i) {
      if (node.field_name_of_child(i) != "name") continue;
      const Node name = node.child(i);
      Import entry;
      entry.range = node.range();
      if (name.is("aliased_import")) {
        entry.module = std::string(name.field("name").text());
        entry.alias = std::string(name.field("alias").text());
      } else {
        entry.module = std::string(name.text());
      }
      module_.imports.push_back(std::move(entry));
    }
  }

  void import_from(const Node& node) {
    const std::string module_name = without_whitespace(node.field("module_name").text());
    for (std::uint32_t i = 0; i < node.child_count(); ++i) {
      const Node child = node.child(i);
      Import entry{module_name, {}, {}, node.range()};
      if (child.is("wildcard_import")) {
        entry.name = "*";
      } else if (node.field_name_of_child(i) == "name") {
        if (child.is("aliased_import")) {
          entry.name = std::string(child.field("name").text());
          entry.alias = std::string(child.field("alias").text());
        } else {
          entry.name = std::string(child.text());
        }
      } else {
        continue;
      }
      module_.imports.push_back(std::move(entry));
    }
  }

  std::vector<Argument> arguments(const Node& list, int function, int depth) {
    std::vector<Argument> out;
    if (!list.is("argument_list")) return out;
    for (std::uint32_t i = 0; i < list.named_child_count(); ++i) {
      const Node argument = list.named_child(i);
      if (argument.is("comment")) continue;
      if (argument.is("keyword_argument")) {
        const Node value = argument.field("value");
        out.push_back({std::string(argument.field("name").text()), std::string(value.text()), string_value(value),
                       argument.range(), value});
        visit(value, function, -1, depth + 1);
      } else {
        out.push_back({{}, std::string(argument.text()), string_value(argument), argument.range(), argument});
        visit(argument, function, -1, depth + 1);
      }
    }
    return out;
  }

  // Records the call before its arguments, so that an assignment's or a
  // field's call index is the first recorded under it.
  void call(const Node& node, int function, int depth) {
    const std::size_t index = module_.calls.size();
    module_.calls.push_back({without_whitespace(node.field("function").text()), {}, node.range(), function, node});
    // The callee's own reads and calls (`get_session().exec(...)`).
    const Node callee = node.field("function");
    if (!callee.is("identifier") && !callee.is("attribute")) visit(callee, function, -1, depth + 1);
    else if (callee.is("attribute") && dotted_path(callee).empty()) visit(callee.field("object"), function, -1, depth + 1);
    const Node list = node.field("arguments");
    if (list.is("argument_list")) {
      auto parsed = arguments(list, function, depth);
      module_.calls[index].arguments = std::move(parsed);
    } else {
      visit(list, function, -1, depth + 1);  // a generator expression
    }
  }

  Decorator decorator(const Node& node, int function, int depth) {
    Decorator out;
    out.range = node.range();
    const Node expression = node.named_child(0);
    if (expression.is("call")) {
      out.is_call = true;
      out.callee = without_whitespace(expression.field("function").text());
      out.arguments = arguments(expression.field("arguments"), function, depth);
    } else {
      out.callee = without_whitespace(expression.text());
    }
    return out;
  }

  std::vector<Parameter> parameters(const Node& list) {
    std::vector<Parameter> out;
    for (std::uint32_t i = 0; i < list.named_child_count(); ++i) {
      const Node p = list.named_child(i);
      Parameter parameter;
      parameter.range = p.range();
      if (p.is("identifier")) {
        parameter.name = std::string(p.text());
      } else if (p.is("typed_parameter")) {
        parameter.name = std::string(p.named_child(0).text());
        parameter.annotation = std::string(p.field("type").text());
      } else if (p.is("default_parameter") || p.is("typed_default_parameter")) {
        parameter.name = std::string(p.field("name").text());
        parameter.annotation = std::string(p.field("type").text());
        parameter.default_value = std::string(p.field("value").text());
      } else if (p.is("list_splat_pattern") || p.is("dictionary_splat_pattern")) {
        parameter.name = std::string(p.text());
      } else {
        continue;  // `*`, `/`, comments
      }
      out.push_back(std::move(parameter));
    }
    return out;
  }

  void function_definition(const Node& node, int enclosing, int klass, std::vector<Decorator> decorators, int depth) {
    Function f;
    f.name = std::string(node.field("name").text());
    f.name_range = node.field("name").range();
    f.is_async = node.child(0).is("async");
    f.parameters = parameters(node.field("parameters"));
    f.decorators = std::move(decorators);
    f.owner_class = klass;
    f.enclosing = enclosing;
    f.range = node.range();
    f.node = node;
    f.body = node.field("body");
    const int index = static_cast<int>(module_.functions.size());
    module_.functions.push_back(std::move(f));
    // Defaults are evaluated where the function is defined.
    const Node list = node.field("parameters");
    for (std::uint32_t i = 0; i < list.named_child_count(); ++i)
      visit(list.named_child(i).field("value"), enclosing, -1, depth + 1);
    visit(node.field("body"), index, -1, depth + 1);
  }

  void class_definition(const Node& node, int function, std::vector<Decorator> decorators, int depth) {
    Class c;
    c.name = std::string(node.field("name").text());
    c.name_range = node.field("name").range();
    c.decorators = std::move(decorators);
    c.range = node.range();
    c.node = node;
    c.body = node.field("body");
    const Node superclasses = node.field("superclasses");
    for (std::uint32_t i = 0; i < superclasses.named_child_count(); ++i) {
      const Node base = superclasses.named_child(i);
      if (base.is("keyword_argument")) {
        const Node value = base.field("value");
        c.keywords.push_back({std::string(base.field("name").text()), std::string(value.text()), string_value(value),
                              base.range(), value});
      } else if (!base.is("comment")) {
        c.bases.push_back(without_whitespace(base.text()));
      }
    }
    const int index = static_cast<int>(module_.classes.size());
    module_.classes.push_back(std::move(c));
    const Node body = node.field("body");
    for (std::uint32_t i = 0; i < body.named_child_count(); ++i) {
      const Node statement = body.named_child(i);
      const Node assignment = statement.is("expression_statement") ? statement.named_child(0) : Node();
      if (assignment.is("assignment") && assignment.field("left").is("identifier")) {
        Field field;
        field.name = std::string(assignment.field("left").text());
        field.annotation = std::string(assignment.field("type").text());
        const Node value = assignment.field("right");
        field.value = std::string(value.text());
        if (value.is("call")) field.call = static_cast<int>(module_.calls.size());
        field.range = assignment.range();
        module_.classes[static_cast<std::size_t>(index)].fields.push_back(std::move(field));
      }
      visit(statement, function, index, depth + 1);
    }
  }

  // Records `a.b.c` as one read; false when the chain holds more than names.
  bool attribute(const Node& node, int function) {
    std::string path = dotted_path(node);
    if (path.empty()) return false;
    module_.attribute_reads.push_back({std::move(path), node.range(), function});
    return true;
  }

  Module& module_;
};

}  // namespace

void build_python(Module& module, const Node& root) { PythonBuilder(module).visit(root, -1, -1, 0); }

}  // namespace constable::code
