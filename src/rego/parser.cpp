#include "rego/parser.hpp"

#include "core/text.hpp"

#include <fmt/format.h>

#include <array>
#include <cstdint>
#include <optional>

namespace constable::rego {

namespace {

// Nesting deeper than this is refused: the parser recurses per level.
constexpr int kMaxDepth = 500;
constexpr std::size_t kMaxBodyExpressions = 1000;

enum class Tok : std::uint8_t {
  end,
  ident,
  string,
  number,
  lparen,
  rparen,
  lbracket,
  rbracket,
  lbrace,
  rbrace,
  comma,
  semicolon,
  dot,
  colon,
  assign,  // :=
  unify,   // =
  equal,   // ==
  not_equal,
  lt,
  lte,
  gt,
  gte,
  plus,
  minus,
  star,
  slash,
  percent,
  amp,
  bar,
};

struct Token {
  Tok kind = Tok::end;
  std::string text;  // identifiers and numbers as written; strings unescaped
  Location location;
  bool newline_before = false;
  std::size_t offset = 0;
};

struct Comment {
  std::string text;  // after '#'
  Location location;
};

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  Result<std::vector<Token>> run(std::vector<Comment>& comments) {
    std::vector<Token> tokens;
    bool newline = true;
    while (true) {
      // Whitespace and comments.
      while (pos_ < text_.size()) {
        const char c = text_[pos_];
        if (c == '\n') {
          newline = true;
          advance();
        } else if (c == ' ' || c == '\t' || c == '\r') {
          advance();
        } else if (c == '#') {
          Comment comment{{}, here()};
          advance();
          const auto start = pos_;
          while (pos_ < text_.size() && text_[pos_] != '\n') advance();
          comment.text = std::string(text_.substr(start, pos_ - start));
          if (!comment.text.empty() && comment.text.back() == '\r') comment.text.pop_back();
          comments.push_back(std::move(comment));
        } else {
          break;
        }
      }
      Token token;
      token.location = here();
      token.offset = pos_;
      token.newline_before = newline;
      newline = false;
      if (pos_ >= text_.size()) {
        token.kind = Tok::end;
        tokens.push_back(std::move(token));
        return tokens;
      }
      const char c = text_[pos_];
      if (is_ident_start(c)) {
        const auto start = pos_;
        while (pos_ < text_.size() && is_ident_char(text_[pos_])) advance();
        token.kind = Tok::ident;
        token.text = std::string(text_.substr(start, pos_ - start));
      } else if (c >= '0' && c <= '9') {
        token.kind = Tok::number;
        token.text = lex_number();
      } else if (c == '"') {
        auto s = lex_string();
        if (!s) return std::unexpected(s.error());
        token.kind = Tok::string;
        token.text = std::move(*s);
      } else if (c == '`') {
        advance();
        const auto start = pos_;
        while (pos_ < text_.size() && text_[pos_] != '`') advance();
        if (pos_ >= text_.size()) return error_at(token.location, "unterminated raw string");
        token.kind = Tok::string;
        token.text = std::string(text_.substr(start, pos_ - start));
        advance();
      } else {
        auto kind = lex_operator();
        if (!kind) return error_at(token.location, fmt::format("illegal token '{}'", c));
        token.kind = *kind;
      }
      tokens.push_back(std::move(token));
    }
  }

 private:
  static bool is_ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
  static bool is_ident_char(char c) { return is_ident_start(c) || (c >= '0' && c <= '9'); }

  Location here() const { return {line_, column_}; }
  void advance() {
    if (text_[pos_] == '\n') {
      ++line_;
      column_ = 1;
    } else {
      ++column_;
    }
    ++pos_;
  }
  std::unexpected<Error> error_at(Location at, std::string message) const {
    return std::unexpected(Error{std::move(message), {}, at.line, at.column});
  }

  std::string lex_number() {
    const auto start = pos_;
    auto digits = [&] {
      while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') advance();
    };
    digits();
    if (pos_ + 1 < text_.size() && text_[pos_] == '.' && text_[pos_ + 1] >= '0' && text_[pos_ + 1] <= '9') {
      advance();
      digits();
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      const auto save = pos_;
      const auto save_column = column_;
      advance();
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) advance();
      if (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') {
        digits();
      } else {
        pos_ = save;
        column_ = save_column;
      }
    }
    return std::string(text_.substr(start, pos_ - start));
  }

  Result<std::string> lex_string() {
    const Location start = here();
    advance();  // opening quote
    std::string out;
    while (true) {
      if (pos_ >= text_.size() || text_[pos_] == '\n') return error_at(start, "unterminated string");
      const char c = text_[pos_];
      if (c == '"') {
        advance();
        return out;
      }
      if (c != '\\') {
        out += c;
        advance();
        continue;
      }
      const Location escape = here();
      advance();
      if (pos_ >= text_.size()) return error_at(start, "unterminated string");
      const char e = text_[pos_];
      advance();
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          auto code = hex4();
          if (!code) return error_at(escape, "invalid \\u escape in string");
          std::uint32_t cp = *code;
          if (cp >= 0xD800 && cp <= 0xDBFF && pos_ + 1 < text_.size() && text_[pos_] == '\\' &&
              text_[pos_ + 1] == 'u') {
            advance();
            advance();
            auto low = hex4();
            if (!low) return error_at(escape, "invalid \\u escape in string");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (*low - 0xDC00);
          }
          text::append_utf8(out, cp);
          break;
        }
        default: return error_at(escape, fmt::format("invalid escape sequence '\\{}' in string", e));
      }
    }
  }

  std::optional<std::uint32_t> hex4() {
    std::uint32_t value = 0;
    for (int i = 0; i < 4; ++i) {
      if (pos_ >= text_.size()) return std::nullopt;
      const char h = text_[pos_];
      int digit = -1;
      if (h >= '0' && h <= '9') digit = h - '0';
      if (h >= 'a' && h <= 'f') digit = h - 'a' + 10;
      if (h >= 'A' && h <= 'F') digit = h - 'A' + 10;
      if (digit < 0) return std::nullopt;
      value = value * 16 + static_cast<std::uint32_t>(digit);
      advance();
    }
    return value;
  }



  std::optional<Tok> lex_operator() {
    const char c = text_[pos_];
    const char next = pos_ + 1 < text_.size() ? text_[pos_ + 1] : '\0';
    auto one = [&](Tok t) {
      advance();
      return t;
    };
    auto two = [&](Tok t) {
      advance();
      advance();
      return t;
    };
    switch (c) {
      case '(': return one(Tok::lparen);
      case ')': return one(Tok::rparen);
      case '[': return one(Tok::lbracket);
      case ']': return one(Tok::rbracket);
      case '{': return one(Tok::lbrace);
      case '}': return one(Tok::rbrace);
      case ',': return one(Tok::comma);
      case ';': return one(Tok::semicolon);
      case '.': return one(Tok::dot);
      case ':': return next == '=' ? two(Tok::assign) : one(Tok::colon);
      case '=': return next == '=' ? two(Tok::equal) : one(Tok::unify);
      case '!':
        if (next == '=') return two(Tok::not_equal);
        return std::nullopt;
      case '<': return next == '=' ? two(Tok::lte) : one(Tok::lt);
      case '>': return next == '=' ? two(Tok::gte) : one(Tok::gt);
      case '+': return one(Tok::plus);
      case '-': return one(Tok::minus);
      case '*': return one(Tok::star);
      case '/': return one(Tok::slash);
      case '%': return one(Tok::percent);
      case '&': return one(Tok::amp);
      case '|': return one(Tok::bar);
      default: return std::nullopt;
    }
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  int line_ = 1;
  int column_ = 1;
};

// Keywords are identifiers the parser reads in context; these may never name a variable.
bool is_reserved(std::string_view name) {
  static constexpr std::array kReserved = {"package", "import", "default", "not", "with", "as", "some",
                                           "else",    "if",     "contains", "in", "every"};
  for (auto word : kReserved) {
    if (name == word) return true;
  }
  return false;
}

struct TermFlags {
  bool allow_in = true;     // `x in xs` (off after `some`/`every`, which read their own `in`)
  bool allow_union = true;  // `a | b` (off for the first element of a literal, where `|` starts a comprehension)
};

class Parser {
 public:
  Parser(std::vector<Token> tokens, std::string file) : tokens_(std::move(tokens)), file_(std::move(file)) {}

  Result<Module> module(std::vector<Comment> comments) {
    Module module;
    module.file = file_;
    if (!at_ident("package")) return error("expected package declaration");
    module.package_location = peek().location;
    next();
    auto package = dotted_path();
    if (!package) return std::unexpected(package.error());
    module.package = std::move(*package);
    if (!module.package.empty() && module.package.front() == "data") module.package.erase(module.package.begin());
    package_ = module.package;
    while (at_ident("import")) {
      auto import = parse_import();
      if (!import) return std::unexpected(import.error());
      if (import->path == std::vector<std::string>{"rego", "v1"}) module.rego_v1 = true;
      module.imports.push_back(std::move(*import));
    }
    rego_v1_ = module.rego_v1;
    while (peek().kind != Tok::end) {
      auto rules = parse_rule();
      if (!rules) return std::unexpected(rules.error());
      for (auto& rule : *rules) module.rules.push_back(std::move(rule));
    }
    module.annotations = annotations(comments, module);
    return module;
  }

  Result<Body> query() {
    auto body = body_until(Tok::end);
    if (!body) return std::unexpected(body.error());
    return std::move(**body);
  }

 private:
  const Token& peek(std::size_t ahead = 0) const {
    const auto index = std::min(pos_ + ahead, tokens_.size() - 1);
    return tokens_[index];
  }
  const Token& next() {
    const Token& token = tokens_[pos_];
    if (pos_ + 1 < tokens_.size()) ++pos_;
    return token;
  }
  bool is(Tok kind) const { return peek().kind == kind; }
  bool at_ident(std::string_view word) const { return peek().kind == Tok::ident && peek().text == word; }
  bool accept(Tok kind) {
    if (!is(kind)) return false;
    next();
    return true;
  }

  std::unexpected<Error> error(std::string message) const { return error_at(peek().location, std::move(message)); }
  std::unexpected<Error> error_at(Location at, std::string message) const {
    return std::unexpected(Error{std::move(message), file_, at.line, at.column});
  }
  std::unexpected<Error> unexpected_token(std::string_view wanted) const {
    const auto& token = peek();
    std::string found = token.kind == Tok::end      ? "end of file"
                        : token.kind == Tok::ident  ? fmt::format("'{}'", token.text)
                        : token.kind == Tok::string ? "string"
                        : token.kind == Tok::number ? fmt::format("number {}", token.text)
                                                    : fmt::format("'{}'", token_text(token.kind));
    return error(fmt::format("unexpected {}, expected {}", found, wanted));
  }
  static std::string_view token_text(Tok kind) {
    switch (kind) {
      case Tok::lparen: return "(";
      case Tok::rparen: return ")";
      case Tok::lbracket: return "[";
      case Tok::rbracket: return "]";
      case Tok::lbrace: return "{";
      case Tok::rbrace: return "}";
      case Tok::comma: return ",";
      case Tok::semicolon: return ";";
      case Tok::dot: return ".";
      case Tok::colon: return ":";
      case Tok::assign: return ":=";
      case Tok::unify: return "=";
      case Tok::equal: return "==";
      case Tok::not_equal: return "!=";
      case Tok::lt: return "<";
      case Tok::lte: return "<=";
      case Tok::gt: return ">";
      case Tok::gte: return ">=";
      case Tok::plus: return "+";
      case Tok::minus: return "-";
      case Tok::star: return "*";
      case Tok::slash: return "/";
      case Tok::percent: return "%";
      case Tok::amp: return "&";
      case Tok::bar: return "|";
      default: return "token";
    }
  }

  Result<std::vector<std::string>> dotted_path() {
    std::vector<std::string> path;
    if (!is(Tok::ident)) return unexpected_token("a name");
    path.push_back(next().text);
    while (true) {
      if (is(Tok::dot) && !peek().newline_before) {
        next();
        if (!is(Tok::ident)) return unexpected_token("a name");
        path.push_back(next().text);
      } else if (is(Tok::lbracket) && !peek().newline_before && peek(1).kind == Tok::string &&
                 peek(2).kind == Tok::rbracket) {
        next();
        path.push_back(next().text);
        next();
      } else {
        return path;
      }
    }
  }

  Result<Import> parse_import() {
    Import import;
    import.location = peek().location;
    next();
    auto path = dotted_path();
    if (!path) return std::unexpected(path.error());
    import.path = std::move(*path);
    const auto& root = import.path.front();
    if (root != "data" && root != "input" && root != "future" && root != "rego") {
      return error_at(import.location, fmt::format("invalid import path: must begin with input or data, not {}", root));
    }
    if (at_ident("as") && !peek().newline_before) {
      next();
      if (!is(Tok::ident)) return unexpected_token("an alias name");
      import.alias = next().text;
    } else {
      import.alias = import.path.back();
    }
    return import;
  }

  // --- rules ---------------------------------------------------------------

  Result<std::vector<RulePtr>> parse_rule() {
    std::vector<RulePtr> out;
    auto rule = std::make_shared<Rule>();
    rule->file = file_;
    rule->location = peek().location;
    if (at_ident("default")) {
      next();
      rule->is_default = true;
    }
    if (!is(Tok::ident) || is_reserved(peek().text)) return unexpected_token("a rule name");
    // Head: a reference (name, .name, ["name"], [key]).
    std::vector<std::string> path{next().text};
    while (!peek().newline_before) {
      if (is(Tok::dot)) {
        next();
        if (!is(Tok::ident)) return unexpected_token("a name");
        path.push_back(next().text);
      } else if (is(Tok::lbracket)) {
        next();
        auto key = term({});
        if (!key) return std::unexpected(key.error());
        if (!accept(Tok::rbracket)) return unexpected_token("]");
        if ((*key)->kind == TermKind::value && (*key)->value.is_string() && !is(Tok::lbracket) && !is(Tok::dot) &&
            !is(Tok::assign) && !is(Tok::unify) && !at_ident("if") && !is(Tok::lbrace) && !at_ident("contains")) {
          // p["name"] with nothing after: a constant path segment would be ambiguous; keep it a key.
          rule->key = *key;
          break;
        }
        if ((*key)->kind == TermKind::value && (*key)->value.is_string() && (is(Tok::lbracket) || is(Tok::dot))) {
          path.push_back((*key)->value.as_string());
          continue;
        }
        rule->key = *key;
        break;
      } else {
        break;
      }
    }
    rule->path = package_;
    rule->path.insert(rule->path.end(), path.begin(), path.end());

    if (is(Tok::lparen) && !rule->key) {
      next();
      rule->kind = RuleKind::function;
      if (!is(Tok::rparen)) {
        while (true) {
          auto arg = term({});
          if (!arg) return std::unexpected(arg.error());
          rule->args.push_back(*arg);
          if (accept(Tok::comma)) continue;
          break;
        }
      }
      if (!accept(Tok::rparen)) return unexpected_token(")");
      // `p() = x { ... }` defines the document p, as OPA reads it: a rule, not a function.
      if (rule->args.empty()) rule->kind = RuleKind::complete;
    }

    if (at_ident("contains")) {
      if (rule->key || rule->kind == RuleKind::function) return error("unexpected contains keyword");
      next();
      auto key = term({});
      if (!key) return std::unexpected(key.error());
      rule->key = *key;
      rule->kind = RuleKind::partial_set;
    }

    bool has_value = false;
    if (is(Tok::assign) || is(Tok::unify)) {
      next();
      auto value = term({});
      if (!value) return std::unexpected(value.error());
      rule->value = *value;
      has_value = true;
    }

    if (rule->kind != RuleKind::function && rule->kind != RuleKind::partial_set) {
      if (rule->key && has_value) {
        rule->kind = RuleKind::partial_object;
      } else if (rule->key) {
        // v0 `p[x] { ... }` is a set; v1 reads `p[x] if ...` as `p[x] := true`.
        rule->kind = rego_v1_ ? RuleKind::partial_object : RuleKind::partial_set;
      } else {
        rule->kind = RuleKind::complete;
      }
    }
    if (!rule->value && rule->kind != RuleKind::partial_set) rule->value = literal(Value::boolean(true), rule->location);
    if (rule->is_default) {
      if (rule->kind == RuleKind::partial_set || rule->kind == RuleKind::partial_object) {
        return error_at(rule->location, "default rules cannot have a key");
      }
      if (!has_value) return error_at(rule->location, "default rule must have a value");
      rule->body = std::make_shared<Body>();
      out.push_back(rule);
      return out;
    }

    auto body = rule_body(has_value || rule->kind == RuleKind::partial_set);
    if (!body) return std::unexpected(body.error());
    rule->body = *body;

    // else chains
    Rule* tail = rule.get();
    while (at_ident("else")) {
      if (rule->kind != RuleKind::complete && rule->kind != RuleKind::function) {
        return error("else keyword cannot be used on multi-value rules");
      }
      auto alternative = std::make_shared<Rule>();
      alternative->location = peek().location;
      next();
      alternative->file = file_;
      alternative->path = rule->path;
      alternative->kind = rule->kind;
      for (const auto& arg : rule->args) alternative->args.push_back(clone(arg));
      bool else_value = false;
      if (is(Tok::assign) || is(Tok::unify)) {
        next();
        auto value = term({});
        if (!value) return std::unexpected(value.error());
        alternative->value = *value;
        else_value = true;
      } else {
        alternative->value = literal(Value::boolean(true), alternative->location);
      }
      auto else_body = rule_body(else_value);
      if (!else_body) return std::unexpected(else_body.error());
      alternative->body = *else_body;
      tail->else_rule = alternative;
      tail = alternative.get();
    }
    out.push_back(rule);
    // v0: further bodies `p { a } { b }` define the same rule again.
    while (is(Tok::lbrace) && !peek().newline_before) {
      auto again = std::make_shared<Rule>(*rule);
      again->else_rule = nullptr;
      // Each definition gets its own head terms: the compiler gives their variables this rule's slots.
      again->args.clear();
      for (const auto& arg : rule->args) again->args.push_back(clone(arg));
      if (rule->key) again->key = clone(rule->key);
      if (rule->value) again->value = clone(rule->value);
      auto extra = block();
      if (!extra) return std::unexpected(extra.error());
      again->body = *extra;
      out.push_back(again);
    }
    return out;
  }

  // After a head: `if { ... }`, `if expr`, `{ ... }` (v0), or nothing (a constant).
  Result<BodyPtr> rule_body(bool may_be_empty) {
    if (at_ident("if")) {
      next();
      if (is(Tok::lbrace)) return block();
      auto single = std::make_shared<Body>();
      auto expr = expression();
      if (!expr) return std::unexpected(expr.error());
      single->exprs.push_back(std::move(*expr));
      return single;
    }
    if (is(Tok::lbrace) && !peek().newline_before) return block();
    if (is(Tok::lbrace) && peek().newline_before) {
      // A body on the next line is still this rule's body in v0 style.
      return block();
    }
    (void)may_be_empty;
    return std::make_shared<Body>();
  }

  Result<BodyPtr> block() {
    if (!accept(Tok::lbrace)) return unexpected_token("{");
    auto body = body_until(Tok::rbrace);
    if (!body) return std::unexpected(body.error());
    if (!accept(Tok::rbrace)) return unexpected_token("}");
    if ((*body)->exprs.empty()) return error("found empty body");
    return body;
  }

  // Expressions separated by newlines or ';' up to `close` (not consumed).
  Result<BodyPtr> body_until(Tok close) {
    auto body = std::make_shared<Body>();
    const int saved_nesting = nesting_;
    nesting_ = 0;
    while (!is(close) && !is(Tok::end)) {
      // A body is evaluated one nested call per expression: bounded.
      if (body->exprs.size() >= kMaxBodyExpressions) {
        return error(fmt::format("a body of more than {} expressions", kMaxBodyExpressions));
      }
      auto expr = expression();
      if (!expr) return std::unexpected(expr.error());
      body->exprs.push_back(std::move(*expr));
      if (accept(Tok::semicolon)) continue;
      if (is(close) || peek().newline_before) continue;
      return unexpected_token("end of expression");
    }
    nesting_ = saved_nesting;
    return body;
  }

  Result<Expr> expression() {
    Expr expr;
    expr.location = peek().location;
    if (at_ident("not")) {
      next();
      expr.negated = true;
    }
    if (at_ident("some")) {
      if (expr.negated) return error("unexpected some keyword after not");
      next();
      std::vector<TermPtr> terms;
      while (true) {
        auto t = term({.allow_in = false, .allow_union = true});
        if (!t) return std::unexpected(t.error());
        terms.push_back(*t);
        if (accept(Tok::comma)) continue;
        break;
      }
      if (at_ident("in")) {
        next();
        if (terms.size() > 2) return error_at(expr.location, "some ... in takes at most a key and a value");
        auto collection = term({});
        if (!collection) return std::unexpected(collection.error());
        expr.kind = ExprKind::some_in;
        if (terms.size() == 2) expr.key = terms[0];
        expr.value = terms.back();
        expr.collection = *collection;
      } else {
        for (const auto& t : terms) {
          if (t->kind != TermKind::var) {
            return error_at(t->location, "expected variable names after some (or some ... in ...)");
          }
        }
        expr.kind = ExprKind::some_decl;
        expr.declared = std::move(terms);
      }
      return with_modifiers(std::move(expr));
    }
    if (at_ident("every")) {
      next();
      std::vector<TermPtr> terms;
      while (true) {
        auto t = term({.allow_in = false, .allow_union = true});
        if (!t) return std::unexpected(t.error());
        if ((*t)->kind != TermKind::var) return error_at((*t)->location, "every takes variables before in");
        terms.push_back(*t);
        if (accept(Tok::comma)) continue;
        break;
      }
      if (!at_ident("in")) return unexpected_token("in");
      next();
      if (terms.size() > 2) return error_at(expr.location, "every takes at most a key and a value");
      auto collection = term({});
      if (!collection) return std::unexpected(collection.error());
      auto body = block();
      if (!body) return std::unexpected(body.error());
      expr.kind = ExprKind::every;
      if (terms.size() == 2) expr.key = terms[0];
      expr.value = terms.back();
      expr.collection = *collection;
      expr.body = *body;
      return with_modifiers(std::move(expr));
    }
    auto lhs = term({});
    if (!lhs) return std::unexpected(lhs.error());
    expr.lhs = *lhs;
    if ((is(Tok::unify) || is(Tok::assign)) && !peek().newline_before) {
      expr.kind = is(Tok::unify) ? ExprKind::unify : ExprKind::assign;
      next();
      auto rhs = term({});
      if (!rhs) return std::unexpected(rhs.error());
      expr.rhs = *rhs;
    }
    return with_modifiers(std::move(expr));
  }

  Result<Expr> with_modifiers(Expr expr) {
    while (at_ident("with") && !peek().newline_before) {
      WithModifier with;
      with.location = peek().location;
      next();
      auto target = term({.allow_in = false, .allow_union = false});
      if (!target) return std::unexpected(target.error());
      if (!at_ident("as")) return unexpected_token("as");
      next();
      auto value = term({});
      if (!value) return std::unexpected(value.error());
      with.target = *target;
      with.value = *value;
      expr.withs.push_back(std::move(with));
    }
    return expr;
  }

  // --- terms ---------------------------------------------------------------

  // A deep copy of a head term (comprehension bodies are shared: heads rarely hold one).
  static TermPtr clone(const TermPtr& term) {
    auto copy = std::make_shared<Term>(*term);
    for (auto& item : copy->items) item = clone(item);
    for (auto& [k, v] : copy->entries) {
      k = clone(k);
      v = clone(v);
    }
    if (copy->head) copy->head = clone(copy->head);
    if (copy->head_value) copy->head_value = clone(copy->head_value);
    return copy;
  }

  static TermPtr literal(Value value, Location at) {
    auto t = std::make_shared<Term>();
    t->kind = TermKind::value;
    t->value = std::move(value);
    t->location = at;
    return t;
  }

  static TermPtr make_call(std::string name, std::vector<TermPtr> args, Location at) {
    auto t = std::make_shared<Term>();
    t->kind = TermKind::call;
    t->location = at;
    t->items = std::move(args);
    std::size_t start = 0;
    while (true) {
      const auto dot = name.find('.', start);
      t->function.push_back(name.substr(start, dot - start));
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    return t;
  }

  // An operator continues the term only on the same line, unless inside brackets.
  bool continues() const { return nesting_ > 0 || !peek().newline_before; }

  Result<TermPtr> term(TermFlags flags) {
    if (++depth_ > kMaxDepth) return error("expression nested too deeply");
    auto result = membership(flags);
    --depth_;
    return result;
  }

  Result<TermPtr> membership(TermFlags flags) {
    auto lhs = relation(flags);
    if (!lhs) return lhs;
    TermPtr result = *lhs;
    while (flags.allow_in && at_ident("in") && continues()) {
      const Location at = peek().location;
      next();
      auto rhs = relation(flags);
      if (!rhs) return rhs;
      result = make_call("internal.member_2", {result, *rhs}, at);
    }
    // `k, v in xs` is only valid after some/every; a comma here belongs to the caller.
    return result;
  }

  // Binary operators by precedence, loosest first (below `in`); each is the
  // built-in it calls. `|` is left out where it starts a comprehension.
  struct Operator {
    Tok token;
    std::string_view function;
  };
  static constexpr std::array<std::array<Operator, 6>, 5> kOperators = {{
      {{{Tok::equal, "equal"}, {Tok::not_equal, "neq"}, {Tok::lt, "lt"}, {Tok::lte, "lte"}, {Tok::gt, "gt"}, {Tok::gte, "gte"}}},
      {{{Tok::bar, "or"}}},
      {{{Tok::amp, "and"}}},
      {{{Tok::plus, "plus"}, {Tok::minus, "minus"}}},
      {{{Tok::star, "mul"}, {Tok::slash, "div"}, {Tok::percent, "rem"}}},
  }};

  Result<TermPtr> relation(TermFlags flags) { return binary(0, flags); }

  Result<TermPtr> binary(std::size_t level, TermFlags flags) {
    if (level == kOperators.size()) return unary(flags);
    auto lhs = binary(level + 1, flags);
    if (!lhs) return lhs;
    TermPtr result = *lhs;
    while (continues()) {
      std::string_view function;
      for (const auto& op : kOperators[level]) {
        if (!op.function.empty() && is(op.token)) function = op.function;
      }
      if (function.empty() || (function == "or" && !flags.allow_union)) return result;
      const Location at = peek().location;
      next();
      auto rhs = binary(level + 1, flags);
      if (!rhs) return rhs;
      result = make_call(std::string(function), {result, *rhs}, at);
    }
    return result;
  }

  Result<TermPtr> unary(TermFlags flags) {
    if (is(Tok::minus)) {
      const Location at = peek().location;
      next();
      if (is(Tok::number)) {
        auto n = Number::parse("-" + next().text);
        if (!n) return error_at(at, "invalid number");
        return literal(Value::number(*n), at);
      }
      auto operand = primary(flags);
      if (!operand) return operand;
      return make_call("minus", {literal(Value::integer(0), at), *operand}, at);
    }
    return primary(flags);
  }

  Result<TermPtr> primary(TermFlags flags) {
    (void)flags;
    const Token& token = peek();
    const Location at = token.location;
    TermPtr base;
    switch (token.kind) {
      case Tok::number: {
        auto n = Number::parse(token.text);
        if (!n) return error_at(at, fmt::format("invalid number {}", token.text));
        next();
        return literal(Value::number(*n), at);
      }
      case Tok::string: {
        base = literal(Value::string(token.text), at);
        next();
        break;
      }
      case Tok::ident: {
        if (token.text == "true" || token.text == "false") {
          next();
          return literal(Value::boolean(token.text == "true"), at);
        }
        if (token.text == "null") {
          next();
          return literal(Value::null(), at);
        }
        // `contains` is a keyword only in rule heads; contains(s, t) is a built-in.
        if (is_reserved(token.text) && !(token.text == "contains" && peek(1).kind == Tok::lparen)) {
          return unexpected_token("a term");
        }
        if (token.text == "set" && peek(1).kind == Tok::lparen && peek(2).kind == Tok::rparen) {
          next();
          next();
          next();
          auto t = std::make_shared<Term>();
          t->kind = TermKind::set;
          t->location = at;
          return t;
        }
        auto var = std::make_shared<Term>();
        var->kind = TermKind::var;
        var->name = token.text;
        var->location = at;
        next();
        base = var;
        break;
      }
      case Tok::lparen: {
        next();
        ++nesting_;
        auto inner = term({});
        --nesting_;
        if (!inner) return inner;
        if (!accept(Tok::rparen)) return unexpected_token(")");
        base = *inner;
        break;
      }
      case Tok::lbracket: {
        auto array = array_literal();
        if (!array) return array;
        base = *array;
        break;
      }
      case Tok::lbrace: {
        auto object = brace_literal();
        if (!object) return object;
        base = *object;
        break;
      }
      default: return unexpected_token("a term");
    }
    return ref_tail(base);
  }

  // .name, [term] and (args) directly after a term, on the same line.
  Result<TermPtr> ref_tail(TermPtr base) {
    while (!peek().newline_before || nesting_ > 0) {
      if (is(Tok::dot) && !peek().newline_before) {
        next();
        if (!is(Tok::ident)) return unexpected_token("a name after '.'");
        const Location at = peek().location;
        auto segment = literal(Value::string(next().text), at);
        base = extend(base, segment);
      } else if (is(Tok::lbracket) && !peek().newline_before) {
        next();
        ++nesting_;
        auto key = term({});
        --nesting_;
        if (!key) return key;
        if (!accept(Tok::rbracket)) return unexpected_token("]");
        base = extend(base, *key);
      } else if (is(Tok::lparen) && !peek().newline_before && is_callable(*base)) {
        next();
        ++nesting_;
        std::vector<TermPtr> args;
        if (!is(Tok::rparen)) {
          while (true) {
            auto arg = term({});
            if (!arg) {
              --nesting_;
              return arg;
            }
            args.push_back(*arg);
            if (accept(Tok::comma)) {
              if (is(Tok::rparen)) break;  // a trailing comma
              continue;
            }
            break;
          }
        }
        --nesting_;
        if (!accept(Tok::rparen)) return unexpected_token(")");
        auto call = std::make_shared<Term>();
        call->kind = TermKind::call;
        call->location = base->location;
        call->items = std::move(args);
        call->function = callable_name(*base);
        base = call;
      } else {
        break;
      }
    }
    return base;
  }

  static bool is_callable(const Term& t) {
    if (t.kind == TermKind::var) return true;
    if (t.kind != TermKind::ref) return false;
    for (std::size_t i = 1; i < t.items.size(); ++i) {
      if (t.items[i]->kind != TermKind::value || !t.items[i]->value.is_string()) return false;
    }
    return t.items.front()->kind == TermKind::var;
  }

  static std::vector<std::string> callable_name(const Term& t) {
    if (t.kind == TermKind::var) return {t.name};
    std::vector<std::string> name{t.items.front()->name};
    for (std::size_t i = 1; i < t.items.size(); ++i) name.push_back(t.items[i]->value.as_string());
    return name;
  }

  static TermPtr extend(const TermPtr& base, TermPtr segment) {
    if (base->kind == TermKind::ref) {
      auto copy = std::make_shared<Term>(*base);
      copy->items.push_back(std::move(segment));
      return copy;
    }
    auto ref = std::make_shared<Term>();
    ref->kind = TermKind::ref;
    ref->location = base->location;
    ref->items = {base, std::move(segment)};
    return ref;
  }

  Result<TermPtr> array_literal() {
    const Location at = peek().location;
    next();  // [
    ++nesting_;
    auto t = std::make_shared<Term>();
    t->kind = TermKind::array;
    t->location = at;
    if (accept(Tok::rbracket)) {
      --nesting_;
      return t;
    }
    auto first = term({.allow_in = true, .allow_union = false});
    if (!first) return first;
    if (is(Tok::bar)) {
      next();
      auto body = body_until(Tok::rbracket);
      if (!body) return std::unexpected(body.error());
      if (!accept(Tok::rbracket)) return unexpected_token("]");
      --nesting_;
      t->kind = TermKind::array_comprehension;
      t->head = *first;
      t->body = *body;
      return t;
    }
    t->items.push_back(*first);
    while (accept(Tok::comma)) {
      if (is(Tok::rbracket)) break;
      auto item = term({});
      if (!item) return item;
      t->items.push_back(*item);
    }
    --nesting_;
    if (!accept(Tok::rbracket)) return unexpected_token("]");
    return t;
  }

  Result<TermPtr> brace_literal() {
    const Location at = peek().location;
    next();  // {
    ++nesting_;
    auto t = std::make_shared<Term>();
    t->location = at;
    if (accept(Tok::rbrace)) {
      --nesting_;
      t->kind = TermKind::object;
      return t;
    }
    auto first = term({.allow_in = true, .allow_union = false});
    if (!first) return first;
    if (accept(Tok::colon)) {
      auto value = term({.allow_in = true, .allow_union = false});
      if (!value) return value;
      if (is(Tok::bar)) {
        next();
        auto body = body_until(Tok::rbrace);
        if (!body) return std::unexpected(body.error());
        if (!accept(Tok::rbrace)) return unexpected_token("}");
        --nesting_;
        t->kind = TermKind::object_comprehension;
        t->head = *first;
        t->head_value = *value;
        t->body = *body;
        return t;
      }
      t->kind = TermKind::object;
      t->entries.emplace_back(*first, *value);
      while (accept(Tok::comma)) {
        if (is(Tok::rbrace)) break;
        auto key = term({});
        if (!key) return key;
        if (!accept(Tok::colon)) return unexpected_token(":");
        auto item = term({});
        if (!item) return item;
        t->entries.emplace_back(*key, *item);
      }
      --nesting_;
      if (!accept(Tok::rbrace)) return unexpected_token("}");
      return t;
    }
    if (is(Tok::bar)) {
      next();
      auto body = body_until(Tok::rbrace);
      if (!body) return std::unexpected(body.error());
      if (!accept(Tok::rbrace)) return unexpected_token("}");
      --nesting_;
      t->kind = TermKind::set_comprehension;
      t->head = *first;
      t->body = *body;
      return t;
    }
    t->kind = TermKind::set;
    t->items.push_back(*first);
    while (accept(Tok::comma)) {
      if (is(Tok::rbrace)) break;
      auto item = term({});
      if (!item) return item;
      t->items.push_back(*item);
    }
    --nesting_;
    if (!accept(Tok::rbrace)) return unexpected_token("}");
    return t;
  }

  // --- annotations ---------------------------------------------------------

  // Groups `# METADATA` blocks (the comment lines that follow it without a
  // gap) and attaches each to the rule or package on the next line.
  std::vector<Annotation> annotations(const std::vector<Comment>& comments, const Module& module) const {
    std::vector<Annotation> out;
    for (std::size_t i = 0; i < comments.size(); ++i) {
      if (text_trim(comments[i].text) != "METADATA") continue;
      Annotation annotation;
      annotation.location = comments[i].location;
      int line = comments[i].location.line;
      std::size_t j = i + 1;
      // The indentation of YAML lines is relative to the first space after '#'.
      for (; j < comments.size() && comments[j].location.line == line + 1; ++j) {
        std::string_view text = comments[j].text;
        if (!text.empty() && text.front() == ' ') text.remove_prefix(1);
        annotation.yaml += text;
        annotation.yaml += '\n';
        line = comments[j].location.line;
      }
      const int following = line + 1;
      for (const auto& rule : module.rules) {
        if (rule->location.line == following) {
          annotation.rule_path = rule->path;
          break;
        }
      }
      if (module.package_location.line == following) annotation.scope = "package";
      if (!annotation.rule_path.empty()) annotation.scope = "rule";
      out.push_back(std::move(annotation));
      i = j - 1;
    }
    return out;
  }

  static std::string_view text_trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
  }

  std::vector<Token> tokens_;
  std::string file_;
  std::size_t pos_ = 0;
  std::vector<std::string> package_;
  bool rego_v1_ = false;
  int nesting_ = 0;  // inside (), [] or {} literals, where newlines do not end an expression
  int depth_ = 0;
};

}  // namespace

Result<Module> parse_module(std::string_view text, std::string file) {
  std::vector<Comment> comments;
  auto tokens = Lexer(text).run(comments);
  if (!tokens) {
    auto e = tokens.error();
    e.path = file;
    return std::unexpected(std::move(e));
  }
  return Parser(std::move(*tokens), std::move(file)).module(std::move(comments));
}

Result<Body> parse_query(std::string_view text) {
  std::vector<Comment> comments;
  auto tokens = Lexer(text).run(comments);
  if (!tokens) return std::unexpected(tokens.error());
  return Parser(std::move(*tokens), "query").query();
}

}  // namespace constable::rego
