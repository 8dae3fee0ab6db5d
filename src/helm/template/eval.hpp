#pragma once
// Executes parsed templates as text/template does with Helm's options
// (missingkey=zero; `and`/`or` short-circuit; break/continue; range over
// ints). Output is recorded with spans mapping every byte back to the
// template node that wrote it and, where a value was interpolated, to the
// values file line it came from.

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "helm/template/ast.hpp"
#include "helm/template/functions.hpp"
#include "helm/value.hpp"

namespace constable::helm::tmpl {

// A run of output written by one node.
struct Span {
  std::size_t begin = 0;        // offset in Output::text
  const std::string* file = nullptr;
  int line = 0;
  int column = 0;
  bool verbatim = false;  // template text: line advances with each newline
  Origin value;           // the interpolated value's origin, if any
};

struct Output {
  std::string text;
  std::vector<Span> spans;
  void write(std::string_view s, const Span& span);
};

// All named templates visible to a render (files and defines); later
// additions replace earlier ones, like text/template's AddParseTree.
class TemplateSet {
 public:
  void add(std::shared_ptr<const Tree> tree);
  const Tree* find(std::string_view name) const;
  // Adds `tree`, returning the tree it shadows (null if none), so that a
  // temporary definition (inside `tpl`) can be undone with restore().
  std::shared_ptr<const Tree> swap_in(std::shared_ptr<const Tree> tree);
  void restore(const std::string& name, std::shared_ptr<const Tree> previous);
  // Stable storage for file names referenced by spans.
  const std::string* intern(const std::string& file);

 private:
  std::unordered_map<std::string, std::shared_ptr<const Tree>> trees_;
  std::map<std::string, std::unique_ptr<std::string>, std::less<>> files_;
};

struct Limits {
  int max_depth = 1000;                         // nested include/template/tpl (Helm: 1000)
  std::size_t max_output = 64u * 1024 * 1024;   // bytes per template file
  std::uint64_t max_steps = 20'000'000;         // nodes, iterations and calls per render
  std::size_t max_items = 1'000'000;            // generated list/string sizes (until, repeat, ...)
  // Blocks and pipelines being executed inside each other, across include,
  // template and tpl: the evaluator recurses once per level, and
  // max_depth calls of 1000-deep trees would overflow any stack.
  int max_nesting = 10'000;
};

class Evaluator {
 public:
  Evaluator(TemplateSet& templates, const FunctionTable& functions, Limits limits, Determinism determinism);

  // Runs `tree` with `data` as dot and $.
  Expected<void> execute(const Tree& tree, const Value& data, Output& out);
  // Runs the template called `name` (include); the caller's errors keep their
  // locations. The output keeps the origin of the one value it consists of
  // (`{{ default .Release.Namespace .Values.override | trunc 63 }}`), so a
  // value's origin survives the named templates charts wrap values in.
  Expected<Value> execute_named(std::string_view name, const Value& data);
  // Parses and runs `text` as Helm's `tpl` does: its defines are visible
  // only inside it.
  Expected<std::string> execute_text(std::string_view text, std::string_view name, const Value& data);

  const FunctionTable& functions() const { return functions_; }
  TemplateSet& templates() { return templates_; }

 private:
  struct Frame;
  enum class Flow : std::uint8_t { normal, break_, continue_ };
  struct Slot {
    Value value;
    bool typed_nil = false;  // a nil interface{} from a map lookup (not an invalid value)
    bool boxed = false;      // came out of a map: its static type is interface {}
  };

  Expected<Flow> run_list(Frame& f, const NodeList& list, const Value& dot);
  Expected<Flow> run_node(Frame& f, const Node& node, const Value& dot);
  Expected<Flow> run_if_with(Frame& f, const Node& node, const Value& dot);
  Expected<Flow> run_range(Frame& f, const Node& node, const Value& dot);
  Expected<void> run_template(Frame& f, const Node& node, const Value& dot);
  Expected<Value> eval_pipeline(Frame& f, const Pipeline& pipe, const Value& dot);
  Expected<Slot> eval_command(Frame& f, const Command& cmd, const Value& dot, const Slot* final);
  // `dot` is what the arguments of a method call (.Files.Get .) are evaluated with.
  Expected<Slot> eval_field_chain(Frame& f, const Expr& node, Slot receiver, std::size_t first_ident,
                                  const Command* cmd, const Slot* final, const Value& dot);
  Expected<Slot> eval_function(Frame& f, const Expr& ident, const Command& cmd, const Value& dot,
                               const Slot* final);
  Expected<Slot> eval_operand(Frame& f, const Expr& e, const Value& dot);
  Expected<Value> eval_arg(Frame& f, const Expr& e, Param type, const Value& dot);
  Expected<Value> validate(Frame& f, const Expr& at, const Slot& slot, Param type);
  Expected<void> step(Frame& f, const Pos& pos);
  // One more level of nesting (see Limits::max_nesting); Leave undoes it.
  Expected<void> enter(Frame& f, const Pos& pos);
  struct Leave {
    int& nesting;
    ~Leave() { --nesting; }
  };
  TemplateError error_at(const Frame& f, Pos pos, std::string context, std::string message,
                         ErrorKind kind = ErrorKind::render) const;
  Value& lookup_var(Frame& f, std::string_view name);

  TemplateSet& templates_;
  const FunctionTable& functions_;
  Limits limits_;
  Determinism determinism_;
  std::uint64_t steps_ = 0;
  std::uint64_t random_state_ = 0;
  std::uint64_t generated_ = 0;  // keys and certificates (functions_crypto.cpp)
  int depth_ = 0;
  int nesting_ = 0;
  std::unordered_map<std::string, int> included_;
};

// Go's String() of an expression / command / pipeline, for error contexts.
std::string to_source(const Expr& e);
std::string to_source(const Command& c);
std::string to_source(const Pipeline& p);

}  // namespace constable::helm::tmpl
