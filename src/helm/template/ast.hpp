#pragma once
// The syntax tree of a Go text/template, as text/template/parse builds it.
// Every node keeps its 1-based line and column in its template file.
//
// A parse allocates its nodes, their lists and the strings it had to make
// (unquoted literals) from one arena its trees share, and views the
// template's text for the rest: the text must outlive the trees. Nodes are
// never destroyed one by one; the arena is released with the last tree. A
// tree of individually allocated nodes and strings made some 800
// allocations a template, and parsing was half of rendering a chart
// (docs/benchmarks.md, "Templates parsed into an arena").

#include <cstdint>
#include <memory>
#include <memory_resource>
#include <string>
#include <string_view>
#include <vector>

namespace constable::helm::tmpl {

struct Pos {
  int line = 0;
  int column = 0;
};

struct Pipeline;

// A list owned by the parse's arena.
template <class T>
using ArenaList = std::pmr::vector<T>;

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
  explicit Expr(std::pmr::memory_resource* arena) : idents(arena) {}
  Type type = Type::dot;
  Pos pos;
  ArenaList<std::string_view> idents;
  std::string_view text;  // string literal value; the source text of numbers and terms (not of `( pipeline )`)
  bool boolean = false;
  // Numbers: Go's NumberNode flags. A literal with an integral value is
  // also an int; prefer_float says it was written as a float ("1.0").
  bool is_int = false;
  bool is_float = false;
  bool prefer_float = false;
  std::int64_t int_value = 0;
  double float_value = 0;
  const Pipeline* pipe = nullptr;
  const Expr* operand = nullptr;
};

struct Command {
  explicit Command(std::pmr::memory_resource* arena = std::pmr::get_default_resource()) : args(arena) {}
  Pos pos;
  ArenaList<const Expr*> args;
};

struct Pipeline {
  explicit Pipeline(std::pmr::memory_resource* arena) : decl(arena), cmds(arena) {}
  Pos pos;
  bool is_assign = false;            // `$x = ...` rather than `$x := ...`
  ArenaList<std::string_view> decl;  // declared or assigned variables
  ArenaList<Command> cmds;
};

using NodeList = ArenaList<const struct Node*>;

struct Node {
  explicit Node(std::pmr::memory_resource* arena) : list(arena), else_list(arena) {}
  enum class Type : std::uint8_t { text, action, if_, range, with, template_, break_, continue_ };
  Type type = Type::text;
  Pos pos;
  std::string_view text;           // text nodes: the text (after trimming); template_: the name
  const Pipeline* pipe = nullptr;  // action, if, range, with, template (may be null)
  NodeList list;
  NodeList else_list;
  bool has_else = false;
};

// One parsed template body (a file or a `define`).
struct Tree {
  explicit Tree(std::shared_ptr<std::pmr::monotonic_buffer_resource> parse_arena)
      : arena(std::move(parse_arena)), root(arena.get()) {}
  std::shared_ptr<std::pmr::monotonic_buffer_resource> arena;  // the parse's, shared by its trees
  std::string name;  // template name ("chart/templates/x.yaml" or the define's name)
  std::string file;  // the file it was written in, for locations
  NodeList root;
};

}  // namespace constable::helm::tmpl
