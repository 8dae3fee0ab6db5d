#pragma once
// The syntax tree of a Go text/template, as text/template/parse builds it.
// Every node keeps its 1-based line and column in its template file.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace constable::helm::tmpl {

struct Pos {
  int line = 0;
  int column = 0;
};

struct Pipeline;

// An operand of a command.
struct Expr {
  enum class Type : std::uint8_t {
    field,       // .A.B
    variable,    // $x.A.B (idents[0] is "$x")
    identifier,  // a function name
    dot,         // .
    nil,         // nil
    boolean,     // true / false
    number,      // 1, 0x1F, 1.5, 'a'
    string,      // "..." or `...` (value in text)
    pipe,        // ( pipeline )
    chain,       // (operand).A.B: operand then idents
  };
  Type type = Type::dot;
  Pos pos;
  std::vector<std::string> idents;
  std::string text;  // string literal value; the source text of numbers and terms (not of `( pipeline )`)
  bool boolean = false;
  // Numbers: Go's NumberNode flags. A literal with an integral value is
  // also an int; prefer_float says it was written as a float ("1.0").
  bool is_int = false;
  bool is_float = false;
  bool prefer_float = false;
  std::int64_t int_value = 0;
  double float_value = 0;
  std::unique_ptr<Pipeline> pipe;
  std::unique_ptr<Expr> operand;
};

struct Command {
  Pos pos;
  std::vector<std::unique_ptr<Expr>> args;
};

struct Pipeline {
  Pos pos;
  bool is_assign = false;          // `$x = ...` rather than `$x := ...`
  std::vector<std::string> decl;   // declared or assigned variables
  std::vector<Command> cmds;
};

struct Node {
  enum class Type : std::uint8_t { text, action, if_, range, with, template_, break_, continue_ };
  Type type = Type::text;
  Pos pos;
  std::string text;               // text nodes: the text (after trimming); template_: the name
  std::unique_ptr<Pipeline> pipe;  // action, if, range, with, template (may be null)
  std::vector<std::unique_ptr<Node>> list;
  std::vector<std::unique_ptr<Node>> else_list;
  bool has_else = false;
};

using NodeList = std::vector<std::unique_ptr<Node>>;

// One parsed template body (a file or a `define`).
struct Tree {
  std::string name;       // template name ("chart/templates/x.yaml" or the define's name)
  std::string file;       // the file it was written in, for locations
  NodeList root;
};

}  // namespace constable::helm::tmpl
