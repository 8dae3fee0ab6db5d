#include "helm/template/eval.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "helm/template/parser.hpp"

namespace constable::helm::tmpl {

void Output::write(std::string_view s, const Span& span) {
  if (s.empty()) return;
  Span copy = span;
  copy.begin = text.size();
  spans.push_back(copy);
  text.append(s);
}

void TemplateSet::add(std::shared_ptr<const Tree> tree) {
  auto name = tree->name;
  trees_[std::move(name)] = std::move(tree);
}

std::shared_ptr<const Tree> TemplateSet::swap_in(std::shared_ptr<const Tree> tree) {
  auto& slot = trees_[tree->name];
  auto previous = std::move(slot);
  slot = std::move(tree);
  return previous;
}

void TemplateSet::restore(const std::string& name, std::shared_ptr<const Tree> previous) {
  if (previous)
    trees_[name] = std::move(previous);
  else
    trees_.erase(name);
}

const Tree* TemplateSet::find(std::string_view name) const {
  const auto it = trees_.find(std::string(name));
  return it == trees_.end() ? nullptr : it->second.get();
}

const std::string* TemplateSet::intern(const std::string& file) {
  auto it = files_.find(file);
  if (it == files_.end()) it = files_.emplace(file, std::make_unique<std::string>(file)).first;
  return it->second.get();
}

struct Evaluator::Frame {
  const Tree* tree = nullptr;
  const std::string* file = nullptr;
  std::vector<std::pair<std::string, Value>> vars;
  Output* out = nullptr;
};

Evaluator::Evaluator(TemplateSet& templates, const FunctionTable& functions, Limits limits, Determinism determinism)
    : templates_(templates), functions_(functions), limits_(limits), determinism_(determinism),
      random_state_(determinism.seed) {}

namespace {

std::string param_name(Param p) { return std::string(param_type_name(p)); }

// The origin of the one interpolated value `out` consists of, apart from
// whitespace; none when the output mixes text or several values.
Origin sole_origin(const Output& out) {
  Origin found;
  for (std::size_t i = 0; i < out.spans.size(); ++i) {
    const Span& span = out.spans[i];
    const std::size_t end = i + 1 < out.spans.size() ? out.spans[i + 1].begin : out.text.size();
    const std::string_view written = std::string_view(out.text).substr(span.begin, end - span.begin);
    if (written.find_first_not_of(" \t\r\n") == std::string_view::npos) continue;
    if (!span.value || found) return {};
    found = span.value;
  }
  return found;
}

// At most `max` bytes of `s` (cut on a UTF-8 boundary), "..." when cut: what
// a message quotes of a template's text, so that messages stay short.
std::string excerpt(std::string_view s, std::size_t max) {
  if (s.size() <= max) return std::string(s);
  std::size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return std::string(s.substr(0, end)) + "...";
}

constexpr std::size_t kMaxContextBytes = 200;  // an action's source quoted in a message

// Go's String() of a node, appended to `out`: linear in the node's size
// however deep it nests.
void append_source(std::string& out, const Pipeline& p);

void append_source(std::string& out, const Expr& e) {
  switch (e.type) {
    case Expr::Type::field:
      for (const auto& id : e.idents) out.append(".").append(id);
      return;
    case Expr::Type::variable:
      out += e.idents[0];
      for (std::size_t i = 1; i < e.idents.size(); ++i) out.append(".").append(e.idents[i]);
      return;
    case Expr::Type::identifier: out += e.idents[0]; return;
    case Expr::Type::dot: out += '.'; return;
    case Expr::Type::nil: out += "nil"; return;
    case Expr::Type::boolean: out += e.boolean ? "true" : "false"; return;
    case Expr::Type::number: out += e.text; return;
    case Expr::Type::string: out += go_quote(e.text); return;
    case Expr::Type::pipe:
      out += '(';
      append_source(out, *e.pipe);
      out += ')';
      return;
    case Expr::Type::chain:
      append_source(out, *e.operand);
      for (const auto& id : e.idents) out.append(".").append(id);
      return;
  }
}

void append_source(std::string& out, const Command& c) {
  for (std::size_t i = 0; i < c.args.size(); ++i) {
    if (i > 0) out += ' ';
    append_source(out, *c.args[i]);
  }
}

void append_source(std::string& out, const Pipeline& p) {
  if (!p.decl.empty()) {
    for (std::size_t i = 0; i < p.decl.size(); ++i) out.append(i ? ", " : "").append(p.decl[i]);
    out += p.is_assign ? " = " : " := ";
  }
  for (std::size_t i = 0; i < p.cmds.size(); ++i) {
    if (i > 0) out += " | ";
    append_source(out, p.cmds[i]);
  }
}

}  // namespace

std::string to_source(const Expr& e) {
  std::string s;
  append_source(s, e);
  return s;
}

std::string to_source(const Command& c) {
  std::string s;
  append_source(s, c);
  return s;
}

std::string to_source(const Pipeline& p) {
  std::string s;
  append_source(s, p);
  return s;
}

TemplateError Evaluator::error_at(const Frame& f, Pos pos, std::string context, std::string message,
                                  ErrorKind kind) const {
  TemplateError e;
  e.kind = kind;
  e.file = *f.file;
  e.line = pos.line;
  e.column = pos.column;
  if (kind == ErrorKind::render)
    e.message =
        fmt::format("executing \"{}\" at <{}>: {}", f.tree->name, excerpt(context, kMaxContextBytes), message);
  else
    e.message = std::move(message);
  return e;
}

Expected<void> Evaluator::step(Frame& f, const Pos& pos) {
  if (++steps_ > limits_.max_steps)
    return std::unexpected(error_at(f, pos, "", fmt::format("template execution exceeded the step budget ({})", limits_.max_steps),
                                    ErrorKind::limit));
  if (f.out != nullptr && f.out->text.size() > limits_.max_output)
    return std::unexpected(error_at(f, pos, "", fmt::format("template output exceeded {} bytes", limits_.max_output),
                                    ErrorKind::limit));
  return {};
}

Value& Evaluator::lookup_var(Frame& f, std::string_view name) {
  for (auto it = f.vars.rbegin(); it != f.vars.rend(); ++it)
    if (it->first == name) return it->second;
  return f.vars.front().second;  // the parser guarantees declared variables
}

Expected<void> Evaluator::execute(const Tree& tree, const Value& data, Output& out) {
  Frame f;
  f.tree = &tree;
  f.file = templates_.intern(tree.file);
  f.vars.emplace_back("$", data);
  f.out = &out;
  auto r = run_list(f, tree.root, data);
  if (!r) return std::unexpected(r.error());
  return {};
}

Expected<Value> Evaluator::execute_named(std::string_view name, const Value& data) {
  const Tree* tree = templates_.find(name);
  if (tree == nullptr) {
    auto missing = func_error(fmt::format("template: no template \"{}\" associated with template \"gotpl\"", name));
    missing.error().missing_template = name;
    return missing;
  }
  auto& count = included_[std::string(name)];
  if (count > limits_.max_depth)
    return func_error(fmt::format("rendering template has a nested reference name: {}: unable to execute template", name),
                      ErrorKind::limit);
  if (depth_ >= limits_.max_depth)
    return func_error(fmt::format("exceeded maximum template depth ({})", limits_.max_depth), ErrorKind::limit);
  ++count;
  ++depth_;
  Output out;
  auto r = execute(*tree, data, out);
  --depth_;
  --included_[std::string(name)];
  if (!r) return std::unexpected(r.error());
  const Origin origin = sole_origin(out);
  return Value::of(std::move(out.text)).with_origin(origin);
}

Expected<std::string> Evaluator::execute_text(std::string_view text, std::string_view name, const Value& data) {
  auto parsed = parse(name, name, text, [this](std::string_view n) { return functions_.contains(n); });
  if (!parsed)
    return func_error(fmt::format("parse error at ({}:{}): {}", name, parsed.error().line, parsed.error().message),
                      parsed.error().message.starts_with(kUnknownFunction) ? ErrorKind::unknown_function
                                                                           : ErrorKind::parse);
  if (depth_ >= limits_.max_depth)
    return func_error(fmt::format("exceeded maximum template depth ({})", limits_.max_depth), ErrorKind::limit);
  // Defines inside the text are visible only while it runs (Helm clones the set).
  std::vector<std::pair<std::string, std::shared_ptr<const Tree>>> shadowed;
  for (auto& d : parsed->defines) shadowed.emplace_back(d->name, templates_.swap_in(d));
  ++depth_;
  Output out;
  auto r = execute(*parsed->main, data, out);
  --depth_;
  for (auto it = shadowed.rbegin(); it != shadowed.rend(); ++it) templates_.restore(it->first, std::move(it->second));
  if (!r) {
    const TemplateError& e = r.error();
    const std::string frame = fmt::format("error during tpl function execution for {}: {}:{}:{}: ",
                                          go_quote(excerpt(text, kMaxContextBytes)), e.file, e.line, e.column);
    TemplateError chained;
    chained.kind = e.kind;
    chained.missing_template = e.missing_template;
    chained.nil_path = e.nil_path;
    chained.tpl_frames = e.tpl_frames + 1;
    if (e.tpl_frames < 2) {
      chained.message = frame + e.message;
      chained.outer_frame = frame.size();
    } else {
      // This frame, the count of those in between, then the innermost frame.
      const std::string left_out = fmt::format("[{} nested tpl calls left out] ", e.tpl_frames - 1);
      chained.message = frame + left_out + e.message.substr(std::min(e.outer_frame, e.message.size()));
      chained.outer_frame = frame.size() + left_out.size();
    }
    return std::unexpected(std::move(chained));
  }
  std::string cleaned;
  cleaned.reserve(out.text.size());
  for (std::size_t i = 0; i < out.text.size();) {
    if (out.text.compare(i, 10, "<no value>") == 0)
      i += 10;
    else
      cleaned += out.text[i++];
  }
  return cleaned;
}

Expected<void> Evaluator::enter(Frame& f, const Pos& pos) {
  if (nesting_ >= limits_.max_nesting)
    return std::unexpected(error_at(
        f, pos, "", fmt::format("template execution nested deeper than {} levels (blocks and pipelines, across "
                                "include, template and tpl)",
                                limits_.max_nesting),
        ErrorKind::limit));
  ++nesting_;
  return {};
}

Expected<Evaluator::Flow> Evaluator::run_list(Frame& f, const NodeList& list, const Value& dot) {
  if (list.empty()) return Flow::normal;
  if (auto entered = enter(f, list.front()->pos); !entered) return std::unexpected(entered.error());
  const Leave leave{nesting_};
  for (const auto& node : list) {
    auto r = run_node(f, *node, dot);
    if (!r) return r;
    if (*r != Flow::normal) return r;
  }
  return Flow::normal;
}

Expected<Evaluator::Flow> Evaluator::run_node(Frame& f, const Node& node, const Value& dot) {
  if (auto s = step(f, node.pos); !s) return std::unexpected(s.error());
  switch (node.type) {
    case Node::Type::text:
      f.out->write(node.text, Span{0, f.file, node.pos.line, node.pos.column, true, {}});
      return Flow::normal;
    case Node::Type::action: {
      auto v = eval_pipeline(f, *node.pipe, dot);
      if (!v) return std::unexpected(v.error());
      if (node.pipe->decl.empty())
        f.out->write(format_action(*v), Span{0, f.file, node.pos.line, node.pos.column, false, v->origin});
      return Flow::normal;
    }
    case Node::Type::if_:
    case Node::Type::with: return run_if_with(f, node, dot);
    case Node::Type::range: return run_range(f, node, dot);
    case Node::Type::template_: {
      auto r = run_template(f, node, dot);
      if (!r) return std::unexpected(r.error());
      return Flow::normal;
    }
    case Node::Type::break_: return Flow::break_;
    case Node::Type::continue_: return Flow::continue_;
  }
  return Flow::normal;
}

Expected<Evaluator::Flow> Evaluator::run_if_with(Frame& f, const Node& node, const Value& dot) {
  const std::size_t mark = f.vars.size();
  auto v = eval_pipeline(f, *node.pipe, dot);
  if (!v) return std::unexpected(v.error());
  Expected<Flow> r = Flow::normal;
  if (truth(*v)) {
    r = run_list(f, node.list, node.type == Node::Type::with ? *v : dot);
  } else if (node.has_else) {
    r = run_list(f, node.else_list, dot);
  }
  f.vars.resize(mark);
  return r;
}

Expected<Evaluator::Flow> Evaluator::run_range(Frame& f, const Node& node, const Value& dot) {
  const std::size_t mark = f.vars.size();
  auto collection = eval_pipeline(f, *node.pipe, dot);
  if (!collection) return std::unexpected(collection.error());
  const auto& decl = node.pipe->decl;
  auto iterate = [&](const Value& index, const Value& elem) -> Expected<Flow> {
    if (auto s = step(f, node.pos); !s) return std::unexpected(s.error());
    if (!decl.empty()) {
      if (node.pipe->is_assign) {
        lookup_var(f, decl[0]) = decl.size() > 1 ? index : elem;
        if (decl.size() > 1) lookup_var(f, decl[1]) = elem;
      } else {
        f.vars[f.vars.size() - 1].second = elem;
        if (decl.size() > 1) f.vars[f.vars.size() - 2].second = index;
      }
    }
    const std::size_t inner = f.vars.size();
    auto r = run_list(f, node.list, elem);
    f.vars.resize(inner);
    return r;
  };
  bool any = false;
  const Value& c = *collection;
  auto handle = [&](Expected<Flow> r) -> std::optional<Expected<Flow>> {
    if (!r) return r;
    if (*r == Flow::break_) return Expected<Flow>(Flow::break_);
    return std::nullopt;
  };
  bool stopped = false;
  switch (c.kind) {
    case Kind::list:
      for (std::size_t i = 0; i < c.list->size() && !stopped; ++i) {
        any = true;
        const Value elem = (*c.list)[i];
        if (auto h = handle(iterate(Value::of_int(static_cast<std::int64_t>(i)), elem))) {
          if (!*h) {
            f.vars.resize(mark);
            return *h;
          }
          stopped = true;
        }
      }
      break;
    case Kind::dict: {
      const auto dict = c.dict;  // keep alive while the body may `set` into it
      for (auto it = dict->begin(); it != dict->end() && !stopped; ++it) {
        any = true;
        const Value key = Value::of(it->first);
        const Value elem = it->second;
        if (auto h = handle(iterate(key, elem))) {
          if (!*h) {
            f.vars.resize(mark);
            return *h;
          }
          stopped = true;
        }
      }
      break;
    }
    case Kind::integer:
      if (decl.size() > 1) {
        f.vars.resize(mark);
        return std::unexpected(error_at(f, node.pipe->pos, to_source(*node.pipe),
                                        fmt::format("can't use {} to iterate over more than one variable", c.integer)));
      }
      for (std::int64_t i = 0; i < c.integer && !stopped; ++i) {
        any = true;
        const Value elem = Value::of_int(i, c.int_type);
        if (auto h = handle(iterate(elem, elem))) {
          if (!*h) {
            f.vars.resize(mark);
            return *h;
          }
          stopped = true;
        }
      }
      break;
    case Kind::object:
      if (const auto* entries = c.object->map_entries()) {
        const auto keep_alive = c.object;
        for (auto it = entries->begin(); it != entries->end() && !stopped; ++it) {
          any = true;
          if (auto h = handle(iterate(Value::of(it->first), it->second))) {
            if (!*h) {
              f.vars.resize(mark);
              return *h;
            }
            stopped = true;
          }
        }
        break;
      }
      [[fallthrough]];
    case Kind::nil:
      if (c.kind == Kind::nil) break;
      [[fallthrough]];
    default:
      f.vars.resize(mark);
      return std::unexpected(
          error_at(f, node.pipe->pos, to_source(*node.pipe), fmt::format("range can't iterate over {}", format_v(c))));
  }
  Expected<Flow> r = Flow::normal;
  if (!any && node.has_else) r = run_list(f, node.else_list, dot);
  f.vars.resize(mark);
  if (r && *r == Flow::break_) return Flow::normal;
  return r;
}

Expected<void> Evaluator::run_template(Frame& f, const Node& node, const Value& dot) {
  const Tree* tree = templates_.find(node.text);
  if (tree == nullptr) {
    TemplateError missing = error_at(f, node.pos, fmt::format("template {}", go_quote(node.text)),
                                     fmt::format("template: no template {} associated with template \"gotpl\"",
                                                 go_quote(node.text)));
    missing.missing_template = std::string(node.text);
    return std::unexpected(std::move(missing));
  }
  Value data;
  if (node.pipe) {
    auto v = eval_pipeline(f, *node.pipe, dot);
    if (!v) return std::unexpected(v.error());
    data = *v;
  }
  if (depth_ >= limits_.max_depth)
    return std::unexpected(error_at(f, node.pos, "", fmt::format("exceeded maximum template depth ({})", limits_.max_depth),
                                    ErrorKind::limit));
  Frame inner;
  inner.tree = tree;
  inner.file = templates_.intern(tree->file);
  inner.vars.emplace_back("$", data);
  inner.out = f.out;
  ++depth_;
  auto r = run_list(inner, tree->root, data);
  --depth_;
  if (!r) return std::unexpected(r.error());
  return {};
}

Expected<Value> Evaluator::eval_pipeline(Frame& f, const Pipeline& pipe, const Value& dot) {
  if (auto entered = enter(f, pipe.pos); !entered) return std::unexpected(entered.error());
  const Leave leave{nesting_};
  Slot value;
  bool have = false;
  for (const auto& cmd : pipe.cmds) {
    auto r = eval_command(f, cmd, dot, have ? &value : nullptr);
    if (!r) return std::unexpected(r.error());
    value = Slot{std::move(r->value), false, false};  // results are unwrapped from interface{}
    have = true;
  }
  for (const auto& var : pipe.decl) {
    if (pipe.is_assign)
      lookup_var(f, var) = value.value;
    else
      f.vars.emplace_back(var, value.value);
  }
  return value.value;
}

Expected<Evaluator::Slot> Evaluator::eval_command(Frame& f, const Command& cmd, const Value& dot, const Slot* final) {
  const Expr& first = *cmd.args[0];
  auto not_a_function = [&]() -> Expected<void> {
    if (cmd.args.size() > 1 || final != nullptr)
      return std::unexpected(error_at(f, first.pos, to_source(first),
                                      fmt::format("can't give argument to non-function {}", to_source(first))));
    return {};
  };
  switch (first.type) {
    case Expr::Type::field: return eval_field_chain(f, first, Slot{dot, false, false}, 0, &cmd, final, dot);
    case Expr::Type::chain: {
      auto operand = eval_operand(f, *first.operand, dot);
      if (!operand) return operand;
      return eval_field_chain(f, first, *operand, 0, &cmd, final, dot);
    }
    case Expr::Type::identifier:
      return eval_function(f, first, cmd, dot, final);
    case Expr::Type::pipe: {
      // Since Go 1.14 `(x) arg` is an error, no longer `(x)` with `arg`
      // ignored; Go names the pipeline without its parentheses.
      if (cmd.args.size() > 1 || final != nullptr)
        return std::unexpected(error_at(f, cmd.pos, to_source(cmd),
                                        fmt::format("can't give argument to non-function {}", to_source(*first.pipe))));
      auto v = eval_pipeline(f, *first.pipe, dot);
      if (!v) return std::unexpected(v.error());
      return Slot{*v, false, false};
    }
    case Expr::Type::variable: {
      const Value& v = lookup_var(f, first.idents[0]);
      if (first.idents.size() == 1) {
        if (auto r = not_a_function(); !r) return std::unexpected(r.error());
        return Slot{v, false, false};
      }
      return eval_field_chain(f, first, Slot{v, false, false}, 1, &cmd, final, dot);
    }
    case Expr::Type::nil:
      return std::unexpected(error_at(f, first.pos, "nil", "nil is not a command"));
    default: {
      if (auto r = not_a_function(); !r) return std::unexpected(r.error());
      auto v = eval_arg(f, first, Param::any, dot);
      if (!v) return std::unexpected(v.error());
      return Slot{*v, false, false};
    }
  }
}

Expected<Evaluator::Slot> Evaluator::eval_field_chain(Frame& f, const Expr& node, Slot receiver,
                                                      std::size_t first_ident, const Command* cmd,
                                                      const Slot* final, const Value& dot) {
  const auto& idents = node.idents;
  for (std::size_t i = first_ident; i < idents.size(); ++i) {
    const std::string_view name = idents[i];
    const bool last = i + 1 == idents.size();
    const bool has_args = last && ((cmd != nullptr && cmd->args.size() > 1) || final != nullptr);
    const Value& r = receiver.value;
    if (r.is_nil() && !receiver.typed_nil) return Slot{};  // an invalid value yields nothing (Go)
    if (r.is_nil()) {
      TemplateError nil = error_at(f, node.pos, to_source(node), fmt::format("nil pointer evaluating interface {{}}.{}", name));
      // ".Values.redis.master", "$.Values.x", "(index .Values \"node-exporter\").rbac".
      if (node.type == Expr::Type::chain) nil.nil_path = to_source(*node.operand);
      for (std::size_t k = 0; k < i; ++k) nil.nil_path.append(k == 0 && idents[0].starts_with('$') ? "" : ".").append(idents[k]);
      return std::unexpected(std::move(nil));
    }
    if (r.kind == Kind::dict) {
      if (has_args)
        return std::unexpected(
            error_at(f, node.pos, to_source(node), fmt::format("{} is not a method but has arguments", name)));
      const auto it = r.dict->find(name);
      if (it == r.dict->end())
        receiver = Slot{Value{}, true, true};
      else
        receiver = Slot{it->second, it->second.is_nil(), true};
      continue;
    }
    if (r.kind == Kind::object) {
      const auto object = r.object;
      if (object->has_method(name)) {
        std::vector<Value> args;
        if (cmd != nullptr && last)
          for (std::size_t a = 1; a < cmd->args.size(); ++a) {
            auto v = eval_arg(f, *cmd->args[a], Param::any, dot);
            if (!v) return std::unexpected(v.error());
            args.push_back(std::move(*v));
          }
        if (final != nullptr && last) args.push_back(final->value);
        auto result = object->call_method(name, args);
        if (!result)
          return std::unexpected(error_at(f, node.pos, to_source(node),
                                          fmt::format("error calling {}: {}", name, result.error().message)));
        receiver = Slot{std::move(*result), true, false};
        continue;
      }
      auto field = object->field(name);
      if (!field)
        return std::unexpected(error_at(f, node.pos, to_source(node),
                                        fmt::format("can't evaluate field {} in type {}", name, object->type_name())));
      if (has_args)
        return std::unexpected(error_at(f, node.pos, to_source(node),
                                        fmt::format("{} has arguments but cannot be invoked as function", name)));
      receiver = Slot{std::move(*field), false, false};
      continue;
    }
    return std::unexpected(error_at(f, node.pos, to_source(node),
                                    fmt::format("can't evaluate field {} in type {}", name,
                                                receiver.boxed ? std::string("interface {}") : type_name(r))));
  }
  return receiver;
}

Expected<Evaluator::Slot> Evaluator::eval_function(Frame& f, const Expr& ident, const Command& cmd, const Value& dot,
                                                   const Slot* final) {
  const std::string_view name = ident.idents[0];
  const auto it = functions_.find(name);
  if (it == functions_.end())
    return std::unexpected(error_at(f, ident.pos, std::string(name),
                                    fmt::format("\"{}\" is not a defined function", name),
                                    ErrorKind::unknown_function));
  const Function& fn = it->second;
  if (auto s = step(f, ident.pos); !s) return std::unexpected(s.error());
  // Arguments: the command's operands after the name (when the function is
  // the command's head), then the piped value.
  std::span<const Expr* const> arg_nodes;
  const bool heads_command = cmd.args.size() > 0 && cmd.args[0] == &ident;
  if (heads_command) arg_nodes = std::span<const Expr* const>(cmd.args).subspan(1);
  const std::size_t count = arg_nodes.size() + (final != nullptr ? 1 : 0);
  // The error context, built only when there is an error.
  const auto context = [&] { return heads_command ? to_source(cmd) : std::string(name); };
  const Pos call_pos = heads_command ? cmd.pos : ident.pos;

  if (fn.raw) {  // and / or: short-circuit, returning the deciding operand
    if (count == 0)
      return std::unexpected(
          error_at(f, call_pos, context(), fmt::format("wrong number of args for {}: want at least 1 got 0", name)));
    Value v;
    for (const auto& node : arg_nodes) {
      auto a = eval_arg(f, *node, Param::any, dot);
      if (!a) return std::unexpected(a.error());
      v = std::move(*a);
      if (truth(v) == (name == "or")) return Slot{v, false, false};
    }
    if (final != nullptr) v = final->value;
    return Slot{v, false, false};
  }

  const std::size_t fixed = fn.variadic ? fn.params.size() - 1 : fn.params.size();
  if (fn.variadic ? count < fixed : count != fixed) {
    return std::unexpected(error_at(
        f, call_pos, context(),
        fmt::format("wrong number of args for {}: want {}{} got {}", name, fn.variadic ? "at least " : "", fixed, count)));
  }
  std::vector<Value> args;
  args.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    const Param type = i < fixed ? fn.params[i] : fn.params.back();
    if (i < arg_nodes.size()) {
      auto a = eval_arg(f, *arg_nodes[i], type, dot);
      if (!a) return std::unexpected(a.error());
      args.push_back(std::move(*a));
    } else {
      auto a = validate(f, ident, *final, type);
      if (!a) return std::unexpected(a.error());
      args.push_back(std::move(*a));
    }
  }
  Call call;
  call.evaluator = this;
  call.name = name;
  call.random_state = &random_state_;
  call.generated = &generated_;
  call.determinism = &determinism_;
  call.max_items = limits_.max_items;
  auto result = fn.impl(call, args);
  if (!result) {
    TemplateError e = std::move(result.error());
    if (!e.file.empty()) return std::unexpected(std::move(e));  // from a nested template: keep its location
    const std::size_t inner_size = e.message.size();
    TemplateError located = e.kind == ErrorKind::render
                                ? error_at(f, call_pos, context(), fmt::format("error calling {}: {}", name, e.message))
                                : error_at(f, call_pos, context(), std::move(e.message), e.kind);
    located.missing_template = std::move(e.missing_template);
    located.nil_path = std::move(e.nil_path);
    // A tpl chain's frames move right by the prefix this call added.
    located.tpl_frames = e.tpl_frames;
    if (e.tpl_frames > 0) located.outer_frame = e.outer_frame + (located.message.size() - inner_size);
    return std::unexpected(std::move(located));
  }
  Value v = std::move(*result);
  if (!v.origin)
    for (const auto& a : args)
      if (a.origin && a.kind != Kind::dict && a.kind != Kind::list) {
        v.origin = a.origin;
        break;
      }
  return Slot{std::move(v), true, false};
}

Expected<Evaluator::Slot> Evaluator::eval_operand(Frame& f, const Expr& e, const Value& dot) {
  switch (e.type) {
    case Expr::Type::field: return eval_field_chain(f, e, Slot{dot, false, false}, 0, nullptr, nullptr, dot);
    case Expr::Type::variable: {
      const Value& v = lookup_var(f, e.idents[0]);
      if (e.idents.size() == 1) return Slot{v, false, false};
      return eval_field_chain(f, e, Slot{v, false, false}, 1, nullptr, nullptr, dot);
    }
    case Expr::Type::chain: {
      if (e.operand->type == Expr::Type::nil)
        return std::unexpected(error_at(f, e.pos, to_source(e), "indirection through explicit nil in " + to_source(e)));
      auto operand = eval_operand(f, *e.operand, dot);
      if (!operand) return operand;
      return eval_field_chain(f, e, *operand, 0, nullptr, nullptr, dot);
    }
    case Expr::Type::identifier: {
      static const Command kEmpty;
      return eval_function(f, e, kEmpty, dot, nullptr);
    }
    case Expr::Type::pipe: {
      auto v = eval_pipeline(f, *e.pipe, dot);
      if (!v) return std::unexpected(v.error());
      return Slot{*v, false, false};
    }
    default: {
      auto v = eval_arg(f, e, Param::any, dot);
      if (!v) return std::unexpected(v.error());
      return Slot{*v, false, false};
    }
  }
}

Expected<Value> Evaluator::eval_arg(Frame& f, const Expr& e, Param type, const Value& dot) {
  const bool any = type == Param::any || type == Param::raw;
  auto wrong = [&](std::string_view expected) -> Expected<Value> {
    return std::unexpected(error_at(f, e.pos, to_source(e), fmt::format("expected {}; found {}", expected, to_source(e))));
  };
  switch (e.type) {
    case Expr::Type::number:
      if (any) {
        if (e.prefer_float) return Value::of_float(e.float_value);
        if (e.is_int) return Value::of_int(e.int_value);
        return std::unexpected(error_at(f, e.pos, to_source(e), fmt::format("{} overflows int", e.text)));
      }
      if (type == Param::go_int || type == Param::go_int64) {
        if (!e.is_int) return wrong("integer");
        return Value::of_int(e.int_value, type == Param::go_int ? IntType::go_int : IntType::go_int64);
      }
      if (type == Param::float64) {
        if (!e.is_float) return wrong("float");
        return Value::of_float(e.float_value);
      }
      break;
    case Expr::Type::string:
      if (any || type == Param::string) return Value::of(e.text);
      break;
    case Expr::Type::boolean:
      if (any || type == Param::boolean) return Value::of(e.boolean);
      break;
    case Expr::Type::nil:
      if (any || type == Param::dict || type == Param::list) return Value{};
      return std::unexpected(error_at(f, e.pos, "nil", fmt::format("cannot assign nil to {}", param_name(type))));
    case Expr::Type::dot: return validate(f, e, Slot{dot, false, false}, type);
    default: {
      auto slot = eval_operand(f, e, dot);
      if (!slot) return std::unexpected(slot.error());
      return validate(f, e, *slot, type);
    }
  }
  // A constant of the wrong kind.
  switch (type) {
    case Param::go_int:
    case Param::go_int64: return wrong("integer");
    case Param::float64: return wrong("float");
    case Param::string: return wrong("string");
    case Param::boolean: return wrong("bool");
    default:
      return std::unexpected(error_at(f, e.pos, to_source(e),
                                      fmt::format("can't handle {} for arg of type {}", to_source(e), param_name(type))));
  }
}

Expected<Value> Evaluator::validate(Frame& f, const Expr& at, const Slot& slot, Param type) {
  if (type == Param::any || type == Param::raw) return slot.value;
  const Value& v = slot.value;
  if (v.is_nil()) {
    if (slot.typed_nil)
      return std::unexpected(error_at(f, at.pos, to_source(at),
                                      fmt::format("wrong type for value; expected {}; got interface {{}}", param_name(type))));
    if (type == Param::dict || type == Param::list) return Value{};
    return std::unexpected(
        error_at(f, at.pos, to_source(at), fmt::format("invalid value; expected {}", param_name(type))));
  }
  bool ok = false;
  switch (type) {
    case Param::string: ok = v.kind == Kind::string; break;
    case Param::go_int: ok = v.kind == Kind::integer && v.int_type == IntType::go_int; break;
    case Param::go_int64: ok = v.kind == Kind::integer && v.int_type == IntType::go_int64; break;
    case Param::float64: ok = v.kind == Kind::floating; break;
    case Param::boolean: ok = v.kind == Kind::boolean; break;
    case Param::dict: ok = v.kind == Kind::dict; break;
    case Param::list: ok = v.kind == Kind::list && !v.string_list; break;
    default: ok = true;
  }
  if (!ok)
    return std::unexpected(error_at(
        f, at.pos, to_source(at),
        fmt::format("wrong type for value; expected {}; got {}", param_name(type), type_name(v))));
  return v;
}

}  // namespace constable::helm::tmpl
