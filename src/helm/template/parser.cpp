#include "helm/template/parser.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <memory_resource>

#include <fmt/format.h>

#include "helm/template/lexer.hpp"

namespace constable::helm::tmpl {

namespace {

// Go's number literal rules (text/template/parse.newNumber), without complex numbers.
bool parse_number(std::string_view text, Expr& e) {
  std::string clean;
  for (char c : text)
    if (c != '_') clean += c;
  std::string_view s = clean;
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.ends_with("i")) return false;  // imaginary numbers are not supported
  int base = 10;
  std::string_view body = s;
  if (body.size() > 1 && body[0] == '0') {
    const char p = static_cast<char>(body[1] | 0x20);
    if (p == 'x') base = 16;
    else if (p == 'o') base = 8;
    else if (p == 'b') base = 2;
    if (base != 10) body.remove_prefix(2);
    else if (body.find_first_of(".eE") == std::string_view::npos) {
      base = 8;
      body.remove_prefix(1);
    }
  }
  const bool floaty = base == 10 && s.find_first_of(".eE") != std::string_view::npos;
  if (!floaty) {
    std::uint64_t u = 0;
    const auto r = std::from_chars(body.data(), body.data() + body.size(), u, base);
    if (r.ec == std::errc() && r.ptr == body.data() + body.size() && !body.empty()) {
      if (!negative && u <= static_cast<std::uint64_t>(INT64_MAX)) {
        e.is_int = true;
        e.int_value = static_cast<std::int64_t>(u);
      } else if (negative && u <= static_cast<std::uint64_t>(INT64_MAX) + 1) {
        e.is_int = true;
        e.int_value = static_cast<std::int64_t>(0 - u);
      }
      e.is_float = true;
      e.float_value = negative ? -static_cast<double>(u) : static_cast<double>(u);
      return true;
    }
    if (base == 8 && body.empty()) {  // "0"
      e.is_int = e.is_float = true;
      return true;
    }
    return false;
  }
  double d = 0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), d);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size()) return false;
  if (negative) d = -d;
  e.is_float = true;
  e.float_value = d;
  e.prefer_float = true;
  if (std::trunc(d) == d && std::fabs(d) < 9.2e18) {
    e.is_int = true;
    e.int_value = static_cast<std::int64_t>(d);
  }
  return true;
}

std::uint32_t decode_rune(std::string_view s) {
  const auto c = static_cast<unsigned char>(s[0]);
  if (c < 0x80 || s.size() == 1) return c;
  if ((c >> 5) == 6 && s.size() >= 2) return ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(s[1]) & 0x3Fu);
  if ((c >> 4) == 14 && s.size() >= 3)
    return ((c & 0x0Fu) << 12) | ((static_cast<unsigned char>(s[1]) & 0x3Fu) << 6) |
           (static_cast<unsigned char>(s[2]) & 0x3Fu);
  if (s.size() >= 4)
    return ((c & 0x07u) << 18) | ((static_cast<unsigned char>(s[1]) & 0x3Fu) << 12) |
           ((static_cast<unsigned char>(s[2]) & 0x3Fu) << 6) | (static_cast<unsigned char>(s[3]) & 0x3Fu);
  return c;
}

struct ParseError {
  std::string message;
  std::size_t offset = 0;
};

class Parser {
 public:
  Parser(std::string_view name, std::string_view file, std::string_view text,
         const std::function<bool(std::string_view)>& is_function)
      : name_(name), file_(file), lines_(text), is_function_(is_function),
        // A chunk the size of the text to start with holds the nodes of most
        // templates; a large one grows the arena a few times, not per node.
        arena_(std::make_shared<std::pmr::monotonic_buffer_resource>(std::max<std::size_t>(4096, text.size()))),
        tokens_(lex(text, *arena_)) {}

  Result<Parsed> run() {
    Parsed out;
    out.main = std::make_shared<Tree>(arena_);
    out.main->name = std::string(name_);
    out.main->file = std::string(file_);
    defines_ = &out.defines;
    vars_ = {"$"};
    if (!parse_list(out.main->root, /*top=*/true)) return to_error();
    return out;
  }

 private:
  enum class End { eof, end, else_ };

  // A node, pipeline or expression in the arena, never destroyed (its lists
  // are the arena's too).
  template <class T>
  T* make() {
    return std::pmr::polymorphic_allocator<T>(arena_.get()).template new_object<T>(arena_.get());
  }

  Result<Parsed> to_error() const {
    return fail(error_.message, std::string(file_), lines_.line(error_.offset), lines_.column(error_.offset));
  }

  bool error(std::string_view message, std::size_t offset) {
    if (error_.message.empty()) error_ = ParseError{std::string(message), offset};
    return false;
  }

  Pos pos(std::size_t offset) const {
    const auto [line, column] = lines_.position(offset);
    return Pos{line, column};
  }

  // Opens one level of nesting (a parenthesized pipeline or a block), or
  // fails past kMaxNesting: deep input must not exhaust the stack, here or
  // when the tree is executed. Leaving a level is Nesting's destructor.
  struct Nesting {
    int& depth;
    ~Nesting() { --depth; }
  };
  bool enter(std::size_t offset) {
    if (depth_ >= kMaxNesting)
      return error(fmt::format("nesting deeper than {} levels (parentheses and if/range/with/define blocks)",
                               kMaxNesting),
                   offset);
    ++depth_;
    return true;
  }

  const Token& peek() const { return tokens_[index_]; }
  const Token& next() { return tokens_[index_ < tokens_.size() - 1 ? index_++ : index_]; }
  const Token& peek_non_space() {
    while (peek().type == Tok::space) next();
    return peek();
  }
  const Token& next_non_space() {
    peek_non_space();
    return next();
  }

  // Parses nodes until eof (top) or an {{end}} / {{else}}; `last_end_` says which.
  bool parse_list(NodeList& list, bool top) {
    while (true) {
      const Token& t = peek();
      if (t.type == Tok::error) return error(t.text, t.offset);
      if (t.type == Tok::eof) {
        if (!top) return error("unexpected EOF", t.offset);
        return true;
      }
      if (t.type == Tok::text) {
        Node* node = make<Node>();
        node->type = Node::Type::text;
        node->pos = pos(t.offset);
        node->text = t.text;  // a view of the template: text is most of its bytes
        list.push_back(node);
        next();
        continue;
      }
      // left delimiter
      const std::size_t action_offset = t.offset;
      next();
      const Token& word = peek_non_space();
      if (word.type == Tok::identifier) {
        const std::string_view keyword = word.text;
        if (keyword == "end" || keyword == "else") {
          if (top) return error(fmt::format("unexpected {{{{{}}}}}", keyword), word.offset);
          next();
          last_end_ = keyword == "end" ? End::end : End::else_;
          last_end_offset_ = word.offset;
          if (keyword == "end" && !expect_right("end")) return false;
          return true;
        }
        if (keyword == "define") {
          if (!top) return error("unexpected <define> in command", word.offset);
          next();
          if (!parse_define(action_offset)) return false;
          continue;
        }
        if (keyword == "if" || keyword == "range" || keyword == "with") {
          next();
          Node* node = make<Node>();
          if (!parse_control(*node, keyword, word.offset)) return false;
          list.push_back(node);
          continue;
        }
        if (keyword == "template" || keyword == "block") {
          next();
          Node* node = make<Node>();
          if (!parse_template(*node, keyword, word.offset, top)) return false;
          list.push_back(node);
          continue;
        }
        if (keyword == "break" || keyword == "continue") {
          next();
          if (range_depth_ == 0) return error(fmt::format("{{{{{}}}}} outside {{{{range}}}}", keyword), word.offset);
          if (!expect_right(keyword)) return false;
          Node* node = make<Node>();
          node->type = keyword == "break" ? Node::Type::break_ : Node::Type::continue_;
          node->pos = pos(word.offset);
          list.push_back(node);
          continue;
        }
      }
      Node* node = make<Node>();
      node->type = Node::Type::action;
      node->pos = pos(word.offset);
      node->pipe = parse_pipeline("command", /*allow_decl=*/true, word.offset);
      if (!node->pipe) return false;
      list.push_back(node);
    }
  }

  bool expect_right(std::string_view context) {
    const Token& t = next_non_space();
    if (t.type == Tok::error) return error(t.text, t.offset);
    if (t.type != Tok::right_delim) return error(fmt::format("unexpected {} in {}", describe(t), context), t.offset);
    return true;
  }

  static std::string describe(const Token& t) {
    switch (t.type) {
      case Tok::eof: return "EOF";
      case Tok::string: return fmt::format("\"{}\"", t.text);
      case Tok::right_paren: return "\")\"";
      case Tok::left_paren: return "\"(\"";
      case Tok::pipe: return "\"|\"";
      default: return fmt::format("<{}>", t.text);
    }
  }

  bool parse_define(std::size_t offset) {
    if (!enter(offset)) return false;
    const Nesting nesting{depth_};
    const Token& name = next_non_space();
    if (name.type != Tok::string) return error("name of define must be a string", name.offset);
    auto tree = std::make_shared<Tree>(arena_);
    tree->name = std::string(name.text);
    tree->file = std::string(file_);
    if (!expect_right("define clause")) return false;
    auto saved_vars = vars_;
    vars_ = {"$"};
    if (!parse_list(tree->root, false)) return false;
    if (last_end_ != End::end) return error("unexpected {{else}} in define clause", last_end_offset_);
    vars_ = std::move(saved_vars);
    (void)offset;
    defines_->push_back(std::move(tree));
    return true;
  }

  bool parse_template(Node& node, std::string_view keyword, std::size_t offset, bool top) {
    const Token& name = next_non_space();
    if (name.type != Tok::string)
      return error(fmt::format("unexpected {} in {} clause", describe(name), keyword), name.offset);
    node.type = Node::Type::template_;
    node.pos = pos(offset);
    node.text = name.text;
    if (peek_non_space().type != Tok::right_delim) {
      node.pipe = parse_pipeline(fmt::format("{} clause", keyword), false, offset);
      if (!node.pipe) return false;
    } else {
      next();
    }
    if (keyword == "block") {
      if (!top) return error("unexpected <block> in command", offset);
      if (!enter(offset)) return false;
      const Nesting nesting{depth_};
      auto tree = std::make_shared<Tree>(arena_);
      tree->name = std::string(node.text);
      tree->file = std::string(file_);
      auto saved_vars = vars_;
      vars_ = {"$"};
      if (!parse_list(tree->root, false)) return false;
      if (last_end_ != End::end) return error("unexpected {{else}} in block clause", last_end_offset_);
      vars_ = std::move(saved_vars);
      defines_->push_back(std::move(tree));
    }
    return true;
  }

  bool parse_control(Node& node, std::string_view keyword, std::size_t offset) {
    if (!enter(offset)) return false;
    const Nesting nesting{depth_};
    node.type = keyword == "if" ? Node::Type::if_ : keyword == "range" ? Node::Type::range : Node::Type::with;
    node.pos = pos(offset);
    const std::size_t vars_mark = vars_.size();
    node.pipe = parse_pipeline(keyword, true, offset, keyword == "range");
    if (!node.pipe) return false;
    if (keyword == "range") ++range_depth_;
    if (!parse_list(node.list, false)) return false;
    if (last_end_ == End::else_) {
      node.has_else = true;
      if (keyword == "range") --range_depth_;
      // {{else if ...}} / {{else with ...}} chain into a nested control node.
      const Token& t = peek_non_space();
      if (t.type == Tok::identifier && (t.text == "if" || t.text == "with") && keyword != "range") {
        if (t.text != keyword) return error(fmt::format("expected {{{{else}}}} or {{{{end}}}} in {}", keyword), t.offset);
        const std::size_t chained_offset = t.offset;
        next();
        Node* chained = make<Node>();
        if (!parse_control(*chained, t.text == "if" ? "if" : "with", chained_offset)) return false;
        node.else_list.push_back(chained);
        vars_.resize(vars_mark);
        return true;
      }
      if (!expect_right("else")) return false;
      if (!parse_list(node.else_list, false)) return false;
      if (last_end_ != End::end) return error(fmt::format("expected end; found {{{{else}}}}"), last_end_offset_);
    } else if (keyword == "range") {
      --range_depth_;
    }
    vars_.resize(vars_mark);
    return true;
  }

  // Parses `[decl :=] cmd | cmd ...` up to the closing delimiter.
  Pipeline* parse_pipeline(std::string_view context, bool allow_decl, std::size_t offset, bool is_range = false) {
    Pipeline* pipe = make<Pipeline>();
    const std::size_t start = peek_non_space().offset;
    pipe->pos = pos(start);
    // Declarations: $x := / $x = / $i, $v :=
    if (allow_decl && peek().type == Tok::variable) {
      const std::size_t save = index_;
      const Token var = next();
      const Token& after = peek_non_space();
      if (after.type == Tok::declare || after.type == Tok::assign) {
        pipe->is_assign = after.type == Tok::assign;
        next();
        if (pipe->is_assign) {
          if (!declared(var.text)) {
            error(fmt::format("undefined variable \"{}\"", var.text), var.offset);
            return nullptr;
          }
        }
        pipe->decl.push_back(var.text);
      } else if (after.type == Tok::comma && is_range) {
        next();
        const Token& second = next_non_space();
        if (second.type != Tok::variable) {
          error(fmt::format("range can only initialize variables"), second.offset);
          return nullptr;
        }
        const Token& op = next_non_space();
        if (op.type != Tok::declare && op.type != Tok::assign) {
          error(fmt::format("expected := or = in range"), op.offset);
          return nullptr;
        }
        pipe->is_assign = op.type == Tok::assign;
        pipe->decl.push_back(var.text);
        pipe->decl.push_back(second.text);
      } else if (after.type == Tok::comma) {
        error(fmt::format("too many declarations in {}", context), after.offset);
        return nullptr;
      } else {
        index_ = save;
      }
    }
    while (true) {
      const Token& t = peek_non_space();
      if (t.type == Tok::error) {
        error(t.text, t.offset);
        return nullptr;
      }
      if (t.type == Tok::right_delim) {
        next();
        break;
      }
      if (t.type == Tok::eof) {
        error(fmt::format("unclosed action"), t.offset);
        return nullptr;
      }
      Command& cmd = pipe->cmds.emplace_back(arena_.get());
      if (!parse_command(cmd, /*in_paren=*/false)) return nullptr;
      // A trailing `|` before `}}` is accepted, as Go's parser does (the
      // command consumes it and the pipeline then ends): `{{ x | trunc 5 | }}`.
      if (peek_non_space().type == Tok::pipe) next();
    }
    // Declarations are visible after the pipeline.
    if (!pipe->is_assign)
      for (const auto& v : pipe->decl) vars_.push_back(v);
    if (pipe->cmds.empty()) {
      error(fmt::format("missing value for {}", context), offset);
      return nullptr;
    }
    if (!check_pipeline(*pipe)) return nullptr;
    return pipe;
  }

  bool check_pipeline(const Pipeline& pipe) {
    const auto& first = pipe.cmds[0].args[0];
    if (first->type == Expr::Type::nil && pipe.cmds[0].args.size() == 1 && pipe.cmds.size() == 1) {
      // `{{nil}}` — Go reports it at execution; we report it at once.
    }
    for (std::size_t i = 1; i < pipe.cmds.size(); ++i) {
      const auto t = pipe.cmds[i].args[0]->type;
      if (t == Expr::Type::boolean || t == Expr::Type::dot || t == Expr::Type::nil || t == Expr::Type::number ||
          t == Expr::Type::string) {
        return error(fmt::format("non executable command in pipeline stage {}", i + 1),
                     offset_of(pipe.cmds[i].args[0]->pos));
      }
    }
    return true;
  }

  std::size_t offset_of(Pos) const { return tokens_[index_ > 0 ? index_ - 1 : 0].offset; }

  bool parse_command(Command& cmd, bool in_paren) {
    cmd.pos = pos(peek_non_space().offset);
    while (true) {
      const Token& t = peek_non_space();
      if (t.type == Tok::right_delim || t.type == Tok::pipe || (in_paren && t.type == Tok::right_paren)) break;
      if (t.type == Tok::error) return error(t.text, t.offset);
      if (t.type == Tok::eof) return error("unclosed action", t.offset);
      auto operand = parse_operand();
      if (!operand) return false;
      cmd.args.push_back(operand);
      // Operands must be separated by spaces.
      const Token& after = peek();
      if (after.type != Tok::space && after.type != Tok::right_delim && after.type != Tok::pipe &&
          after.type != Tok::right_paren) {
        return error(fmt::format("unexpected {} in operand", describe(after)), after.offset);
      }
    }
    if (cmd.args.empty()) return error("empty command", peek().offset);
    return true;
  }

  Expr* parse_operand() {
    Expr* term = parse_term();
    if (!term) return nullptr;
    if (peek().type == Tok::field) {
      Expr* chain = make<Expr>();
      chain->type = Expr::Type::chain;
      chain->pos = term->pos;
      while (peek().type == Tok::field) chain->idents.push_back(next().text);
      switch (term->type) {
        case Expr::Type::field:
        case Expr::Type::variable:
          for (const std::string_view id : chain->idents) term->idents.push_back(id);
          return term;
        case Expr::Type::boolean:
        case Expr::Type::string:
        case Expr::Type::number:
        case Expr::Type::nil:
        case Expr::Type::dot:
          error(fmt::format("unexpected . after term \"{}\"", term->text), term_offset_);
          return nullptr;
        default: break;
      }
      chain->text = term->text;
      chain->operand = term;
      return chain;
    }
    return term;
  }

  Expr* parse_term() {
    const Token& t = next_non_space();
    term_offset_ = t.offset;
    Expr* e = make<Expr>();
    e->pos = pos(t.offset);
    e->text = t.text;
    switch (t.type) {
      case Tok::error: error(t.text, t.offset); return nullptr;
      case Tok::identifier:
        if (t.text == "nil") {
          e->type = Expr::Type::nil;
          return e;
        }
        if (!is_function_(t.text)) {
          error(fmt::format("function \"{}\" not defined", t.text), t.offset);
          return nullptr;
        }
        e->type = Expr::Type::identifier;
        e->idents.push_back(t.text);
        return e;
      case Tok::dot: e->type = Expr::Type::dot; e->text = "."; return e;
      case Tok::variable:
        if (!declared(t.text)) {
          error(fmt::format("undefined variable \"{}\"", t.text), t.offset);
          return nullptr;
        }
        e->type = Expr::Type::variable;
        e->idents.push_back(t.text);
        return e;
      case Tok::field:
        e->type = Expr::Type::field;
        e->idents.push_back(t.text);
        // The source of a field is its token and the dot before it.
        e->text = std::string_view(t.text.data() - 1, t.text.size() + 1);
        return e;
      case Tok::boolean: e->type = Expr::Type::boolean; e->boolean = t.text == "true"; return e;
      case Tok::string: e->type = Expr::Type::string; return e;
      case Tok::char_constant: {
        e->type = Expr::Type::number;
        e->is_int = e->is_float = true;
        e->int_value = decode_rune(t.text);
        e->float_value = static_cast<double>(e->int_value);
        return e;
      }
      case Tok::number:
        e->type = Expr::Type::number;
        if (!parse_number(t.text, *e)) {
          error(fmt::format("illegal number syntax: \"{}\"", t.text), t.offset);
          return nullptr;
        }
        return e;
      case Tok::left_paren: {
        if (!enter(t.offset)) return nullptr;
        const Nesting nesting{depth_};
        e->type = Expr::Type::pipe;
        e->text = {};  // the source is not kept at every level: parsing stays linear
        Pipeline* pipe = make<Pipeline>();
        pipe->pos = e->pos;
        e->pipe = pipe;
        while (true) {
          const Token& n = peek_non_space();
          if (n.type == Tok::right_paren) {
            next();
            break;
          }
          if (n.type == Tok::right_delim || n.type == Tok::eof) {
            error("unclosed left paren", t.offset);
            return nullptr;
          }
          Command& cmd = pipe->cmds.emplace_back(arena_.get());
          if (!parse_command(cmd, true)) return nullptr;
          if (peek_non_space().type == Tok::pipe) next();
        }
        if (pipe->cmds.empty()) {
          error("missing value for parenthesized pipeline", t.offset);
          return nullptr;
        }
        if (!check_pipeline(*pipe)) return nullptr;
        return e;
      }
      default:
        error(fmt::format("unexpected {} in operand", describe(t)), t.offset);
        return nullptr;
    }
  }

  bool declared(std::string_view name) const {
    for (const auto& v : vars_)
      if (v == name) return true;
    return false;
  }

  std::string_view name_;
  std::string_view file_;
  LineIndex lines_;
  const std::function<bool(std::string_view)>& is_function_;
  std::shared_ptr<std::pmr::monotonic_buffer_resource> arena_;  // the trees', once parsed
  std::vector<Token> tokens_;
  std::size_t index_ = 0;
  std::vector<std::string_view> vars_;
  std::vector<std::shared_ptr<Tree>>* defines_ = nullptr;
  ParseError error_;
  End last_end_ = End::eof;
  std::size_t last_end_offset_ = 0;
  int range_depth_ = 0;
  int depth_ = 0;  // open parentheses and blocks
  std::size_t term_offset_ = 0;
};

}  // namespace

Result<Parsed> parse(std::string_view name, std::string_view file, std::string_view text,
                     const std::function<bool(std::string_view)>& is_function) {
  return Parser(name, file, text, is_function).run();
}

}  // namespace constable::helm::tmpl
