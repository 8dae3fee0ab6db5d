#include "helm/template/serialize.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "formats/yaml/yaml.hpp"
#include "helm/template/digest.hpp"

namespace constable::helm::tmpl {

namespace {

// ---- encoding/json -------------------------------------------------------

std::string json_float(double f) {
  const double a = std::fabs(f);
  std::string s;
  if (a != 0 && (a < 1e-6 || a >= 1e21)) {
    s = go_float_shortest(f, 'e');
    // clean up e-09 to e-9
    const std::size_t n = s.size();
    if (n >= 4 && s[n - 4] == 'e' && s[n - 3] == '-' && s[n - 2] == '0') s.erase(n - 2, 1);
  } else {
    s = go_float_shortest(f, 'f');
  }
  return s;
}

void json_string(std::string& out, std::string_view s) {
  out += '"';
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '<': out += "\\u003c"; break;
      case '>': out += "\\u003e"; break;
      case '&': out += "\\u0026"; break;
      default:
        if (c < 0x20) {
          out += fmt::format("\\u{:04x}", c);
        } else if (c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
                   (static_cast<unsigned char>(s[i + 2]) == 0xA8 || static_cast<unsigned char>(s[i + 2]) == 0xA9)) {
          out += static_cast<unsigned char>(s[i + 2]) == 0xA8 ? "\\u2028" : "\\u2029";
          i += 2;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

void json_value(std::string& out, const Value& v) {
  switch (v.kind) {
    case Kind::nil: out += "null"; return;
    case Kind::boolean: out += v.boolean ? "true" : "false"; return;
    case Kind::integer: out += std::to_string(v.integer); return;
    case Kind::floating:
      if (std::isnan(v.floating) || std::isinf(v.floating)) {
        out += "null";  // json.Marshal fails; Helm's toJson then yields ""
        return;
      }
      out += json_float(v.floating);
      return;
    case Kind::string: json_string(out, v.string); return;
    case Kind::list: {
      out += '[';
      for (std::size_t i = 0; i < v.list->size(); ++i) {
        if (i) out += ',';
        json_value(out, (*v.list)[i]);
      }
      out += ']';
      return;
    }
    case Kind::dict: {
      out += '{';
      bool first = true;
      for (const auto& [k, item] : *v.dict) {
        if (!first) out += ',';
        first = false;
        json_string(out, k);
        out += ':';
        json_value(out, item);
      }
      out += '}';
      return;
    }
    case Kind::object:
      // encoding/json writes a []byte as base64.
      if (const auto* bytes = v.object->bytes()) json_string(out, base64_encode(*bytes));
      else json_string(out, v.object->to_string());
      return;
  }
}

// ---- JSON round trip -----------------------------------------------------

// What yaml.Unmarshal makes of the JSON encoding of `v`: integral numbers
// become ints, others stay floats.
Value normalise(const Value& v) {
  switch (v.kind) {
    case Kind::floating: {
      if (std::isnan(v.floating) || std::isinf(v.floating)) return Value{};
      const std::string text = json_float(v.floating);
      if (text.find_first_of(".eE") == std::string::npos) {
        try {
          return Value::of_int(std::stoll(text), IntType::go_int64);
        } catch (...) {
          return Value::of_float(v.floating);
        }
      }
      return Value::of_float(std::stod(text));
    }
    case Kind::list: {
      List items;
      for (const auto& item : *v.list) items.push_back(normalise(item));
      return Value::of(std::move(items));
    }
    case Kind::dict: {
      Dict d;
      for (const auto& [k, item] : *v.dict) d.emplace(k, normalise(item));
      return Value::of(std::move(d));
    }
    case Kind::object:
      if (const auto* bytes = v.object->bytes()) return Value::of(base64_encode(*bytes));
      return Value::of(v.object->to_string());
    default: return v;
  }
}

// ---- go-yaml v2 emitter --------------------------------------------------

constexpr int kBestWidth = 80;
constexpr int kBestIndent = 2;

std::size_t utf8_width(unsigned char c) {
  if ((c & 0x80) == 0) return 1;
  if ((c & 0xE0) == 0xC0) return 2;
  if ((c & 0xF0) == 0xE0) return 3;
  if ((c & 0xF8) == 0xF0) return 4;
  return 1;
}

bool is_break_at(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c == '\r' || c == '\n') return true;
  if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x85) return true;
  if (c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
      (static_cast<unsigned char>(s[i + 2]) == 0xA8 || static_cast<unsigned char>(s[i + 2]) == 0xA9))
    return true;
  return false;
}

bool is_printable_at(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  const auto n1 = i + 1 < s.size() ? static_cast<unsigned char>(s[i + 1]) : 0;
  const auto n2 = i + 2 < s.size() ? static_cast<unsigned char>(s[i + 2]) : 0;
  return c == 0x0A || (c >= 0x20 && c <= 0x7E) || (c == 0xC2 && n1 >= 0xA0) || (c > 0xC2 && c < 0xED) ||
         (c == 0xED && n1 < 0xA0) || c == 0xEE ||
         (c == 0xEF && !(n1 == 0xBB && n2 == 0xBF) && !(n1 == 0xBF && (n2 == 0xBE || n2 == 0xBF))) ||
         (c >= 0xF0 && c <= 0xF4);
}

bool is_blankz_at(std::string_view s, std::size_t i) {
  if (i >= s.size()) return true;
  return s[i] == ' ' || s[i] == '\t' || s[i] == '\0' || is_break_at(s, i);
}

struct Analysis {
  bool multiline = false;
  bool block_plain_allowed = true;
  bool single_quoted_allowed = true;
  bool block_allowed = true;
};

Analysis analyze(std::string_view value) {
  Analysis a;
  if (value.empty()) {
    a.block_plain_allowed = true;
    a.block_allowed = false;
    return a;
  }
  bool block_indicators = false, flow_indicators = false, line_breaks = false, special = false;
  bool leading_space = false, leading_break = false, trailing_space = false, trailing_break = false;
  bool break_space = false, space_break = false, previous_space = false, previous_break = false;
  if (value.starts_with("---") || value.starts_with("...")) block_indicators = flow_indicators = true;
  bool preceded_by_whitespace = true;
  for (std::size_t i = 0, w = 0; i < value.size(); i += w) {
    w = utf8_width(static_cast<unsigned char>(value[i]));
    const bool followed_by_whitespace = i + w >= value.size() || value[i + w] == ' ' || value[i + w] == '\t';
    const char c = value[i];
    if (i == 0) {
      switch (c) {
        case '#': case ',': case '[': case ']': case '{': case '}': case '&': case '*': case '!':
        case '|': case '>': case '\'': case '"': case '%': case '@': case '`':
          flow_indicators = block_indicators = true;
          break;
        case '?': case ':':
          flow_indicators = true;
          if (followed_by_whitespace) block_indicators = true;
          break;
        case '-':
          if (followed_by_whitespace) flow_indicators = block_indicators = true;
          break;
        default: break;
      }
    } else {
      switch (c) {
        case ',': case '?': case '[': case ']': case '{': case '}': flow_indicators = true; break;
        case ':':
          flow_indicators = true;
          if (followed_by_whitespace) block_indicators = true;
          break;
        case '#':
          if (preceded_by_whitespace) flow_indicators = block_indicators = true;
          break;
        default: break;
      }
    }
    if (!is_printable_at(value, i)) special = true;
    if (c == ' ') {
      if (i == 0) leading_space = true;
      if (i + w == value.size()) trailing_space = true;
      if (previous_break) break_space = true;
      previous_space = true;
      previous_break = false;
    } else if (is_break_at(value, i)) {
      line_breaks = true;
      if (i == 0) leading_break = true;
      if (i + w == value.size()) trailing_break = true;
      if (previous_space) space_break = true;
      previous_space = false;
      previous_break = true;
    } else {
      previous_space = previous_break = false;
    }
    preceded_by_whitespace = is_blankz_at(value, i);
  }
  a.multiline = line_breaks;
  if (leading_space || leading_break || trailing_space || trailing_break) a.block_plain_allowed = false;
  if (trailing_space) a.block_allowed = false;
  if (break_space) a.block_plain_allowed = a.single_quoted_allowed = false;
  if (space_break || special) a.block_plain_allowed = a.single_quoted_allowed = a.block_allowed = false;
  if (line_breaks) a.block_plain_allowed = false;
  if (block_indicators) a.block_plain_allowed = false;
  (void)flow_indicators;
  return a;
}

bool looks_like_timestamp(std::string_view s) {
  static const RE2 re(R"(\d{4}-\d{1,2}-\d{1,2}(([Tt]\d{1,2}:\d{1,2}:\d{1,2}(\.\d*)?(Z|[+-]\d{2}:\d{2}))|( \d{1,2}:\d{1,2}:\d{1,2}(\.\d*)?))?)");
  return RE2::FullMatch(re2::StringPiece(s.data(), s.size()), re);
}

bool is_base60_float(std::string_view s) {
  static const RE2 re(R"([-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?)");
  return RE2::FullMatch(re2::StringPiece(s.data(), s.size()), re);
}

// Whether go-yaml would read the plain scalar as something other than a string.
bool resolves_to_non_string(std::string_view s) {
  if (s == "<<") return true;
  if (yaml::resolve_plain(s) != yaml::ScalarType::string) return true;
  return looks_like_timestamp(s) || is_base60_float(s);
}

// go-yaml's keyList ordering: digit runs compare numerically, letters
// before... non-letters first.
bool key_less(std::string_view a, std::string_view b) {
  std::size_t i = 0;
  const auto is_letter = [](unsigned char c) { return std::isalpha(c) != 0 || c >= 0x80; };
  const auto is_digit = [](unsigned char c) { return c >= '0' && c <= '9'; };
  for (; i < a.size() && i < b.size(); ++i) {
    const auto ca = static_cast<unsigned char>(a[i]);
    const auto cb = static_cast<unsigned char>(b[i]);
    if (ca == cb) continue;
    const bool al = is_letter(ca), bl = is_letter(cb);
    if (al && bl) return ca < cb;
    if (al || bl) return bl;
    std::int64_t an = 0, bn = 0;
    if (ca == '0' || cb == '0') {
      for (std::size_t j = i; j-- > 0 && is_digit(static_cast<unsigned char>(a[j]));) {
        if (a[j] != '0') {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    std::size_t ai = i, bi = i;
    for (; ai < a.size() && is_digit(static_cast<unsigned char>(a[ai])); ++ai) an = an * 10 + (a[ai] - '0');
    for (; bi < b.size() && is_digit(static_cast<unsigned char>(b[bi])); ++bi) bn = bn * 10 + (b[bi] - '0');
    if (an != bn) return an < bn;
    if (ai != bi) return ai < bi;
    return ca < cb;
  }
  return a.size() < b.size();
}

class Emitter {
 public:
  std::string out;

  void document(const Value& v) {
    node(v, -1, Context::root);
    if (out.empty() || out.back() != '\n') put_break();
  }

 private:
  enum class Context { root, mapping_value, sequence_item, key };
  int column_ = 0;
  bool whitespace_ = true;
  bool indention_ = true;

  void put(char c) {
    out += c;
    ++column_;
  }
  void put_break() {
    out += '\n';
    column_ = 0;
  }
  void write_raw(std::string_view s) {
    for (std::size_t i = 0; i < s.size(); ++i) {
      out += s[i];
      if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) ++column_;
    }
  }
  void write_indent(int indent) {
    if (indent < 0) indent = 0;
    if (!indention_ || column_ > indent || (column_ == indent && !whitespace_)) put_break();
    while (column_ < indent) put(' ');
    whitespace_ = true;
    indention_ = true;
  }
  void indicator(std::string_view s, bool need_whitespace, bool is_whitespace, bool is_indention) {
    if (need_whitespace && !whitespace_) put(' ');
    write_raw(s);
    whitespace_ = is_whitespace;
    indention_ = indention_ && is_indention;
  }

  static bool empty_collection(const Value& v) {
    return (v.kind == Kind::list && v.list->empty()) || (v.kind == Kind::dict && v.dict->empty());
  }

  // `indent` is the indentation of the enclosing block collection (-1 at the root).
  void node(const Value& v, int indent, Context ctx) {
    if (v.kind == Kind::dict && !v.dict->empty()) {
      mapping(v, indent < 0 ? 0 : indent + kBestIndent);
    } else if (v.kind == Kind::list && !v.list->empty()) {
      const bool indentless = ctx == Context::mapping_value && !indention_;
      sequence(v, indent < 0 ? 0 : indentless ? indent : indent + kBestIndent);
    } else if (v.kind == Kind::dict) {
      indicator("{}", true, false, false);
    } else if (v.kind == Kind::list) {
      indicator("[]", true, false, false);
    } else {
      scalar(v, indent < 0 ? kBestIndent : indent + kBestIndent, ctx == Context::key);
    }
  }

  void mapping(const Value& v, int indent) {
    std::vector<const std::pair<const std::string, Value>*> entries;
    for (const auto& e : *v.dict) entries.push_back(&e);
    std::stable_sort(entries.begin(), entries.end(),
                     [](const auto* x, const auto* y) { return key_less(x->first, y->first); });
    for (const auto* e : entries) {
      write_indent(indent);
      scalar(Value::of(e->first), indent + kBestIndent, true);
      indicator(":", false, false, false);
      node(e->second, indent, Context::mapping_value);
    }
  }

  void sequence(const Value& v, int indent) {
    for (const auto& item : *v.list) {
      write_indent(indent);
      indicator("-", true, false, true);
      node(item, indent, Context::sequence_item);
    }
  }

  void scalar(const Value& v, int indent, bool simple_key) {
    switch (v.kind) {
      case Kind::nil: return plain("null", indent, simple_key);
      case Kind::boolean: return plain(v.boolean ? "true" : "false", indent, simple_key);
      case Kind::integer: return plain(std::to_string(v.integer), indent, simple_key);
      case Kind::floating: {
        std::string s = go_float_shortest(v.floating, 'g');
        if (s == "+Inf") s = ".inf";
        if (s == "-Inf") s = "-.inf";
        if (s == "NaN") s = ".nan";
        return plain(s, indent, simple_key);
      }
      case Kind::string: return string(v.string, indent, simple_key);
      default: return string(format_v(v), indent, simple_key);
    }
  }

  void string(const std::string& s, int indent, bool simple_key) {
    const bool can_plain = !resolves_to_non_string(s);
    enum class Style { plain, single, dbl, literal } style;
    if (s.find('\n') != std::string::npos)
      style = Style::literal;
    else if (can_plain)
      style = Style::plain;
    else
      style = Style::dbl;
    const Analysis a = analyze(s);
    if (simple_key && a.multiline) style = Style::dbl;
    if (style == Style::plain) {
      if (!a.block_plain_allowed) style = Style::single;
      if (s.empty() && simple_key) style = Style::single;
    }
    if (style == Style::single && !a.single_quoted_allowed) style = Style::dbl;
    if (style == Style::literal && (!a.block_allowed || simple_key)) style = Style::dbl;
    const bool allow_breaks = !simple_key;
    switch (style) {
      case Style::plain: plain(s, indent, !allow_breaks); break;
      case Style::single: single_quoted(s, indent, allow_breaks); break;
      case Style::dbl: double_quoted(s, indent, allow_breaks); break;
      case Style::literal: literal(s, indent); break;
    }
  }

  void plain(std::string_view s, int indent, bool simple_key) {
    if (!whitespace_) put(' ');
    bool spaces = false;
    for (std::size_t i = 0; i < s.size();) {
      if (s[i] == ' ') {
        if (!simple_key && !spaces && column_ > kBestWidth && !(i + 1 < s.size() && s[i + 1] == ' ')) {
          write_indent(indent);
          ++i;
        } else {
          put(' ');
          ++i;
        }
        spaces = true;
      } else {
        const std::size_t w = utf8_width(static_cast<unsigned char>(s[i]));
        write_raw(s.substr(i, w));
        i += w;
        indention_ = false;
        spaces = false;
      }
    }
    whitespace_ = false;
    indention_ = false;
  }

  void single_quoted(std::string_view s, int indent, bool allow_breaks) {
    indicator("'", true, false, false);
    bool spaces = false;
    for (std::size_t i = 0; i < s.size();) {
      if (s[i] == ' ') {
        if (allow_breaks && !spaces && column_ > kBestWidth && i != 0 && i != s.size() - 1 &&
            !(i + 1 < s.size() && s[i + 1] == ' ')) {
          write_indent(indent);
        } else {
          put(' ');
        }
        ++i;
        spaces = true;
      } else {
        if (s[i] == '\'') put('\'');
        const std::size_t w = utf8_width(static_cast<unsigned char>(s[i]));
        write_raw(s.substr(i, w));
        i += w;
        indention_ = false;
        spaces = false;
      }
    }
    indicator("'", false, false, false);
  }

  void double_quoted(std::string_view s, int indent, bool allow_breaks) {
    indicator("\"", true, false, false);
    bool spaces = false;
    for (std::size_t i = 0; i < s.size();) {
      const auto c = static_cast<unsigned char>(s[i]);
      const bool bom = c == 0xEF && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xBB &&
                       static_cast<unsigned char>(s[i + 2]) == 0xBF;
      if (!is_printable_at(s, i) || bom || is_break_at(s, i) || c == '"' || c == '\\') {
        std::size_t w = utf8_width(c);
        std::uint32_t v = w == 1 ? c : w == 2 ? (c & 0x1Fu) : w == 3 ? (c & 0x0Fu) : (c & 0x07u);
        for (std::size_t k = 1; k < w && i + k < s.size(); ++k) v = (v << 6) + (static_cast<unsigned char>(s[i + k]) & 0x3Fu);
        i += w;
        put('\\');
        switch (v) {
          case 0x00: put('0'); break;
          case 0x07: put('a'); break;
          case 0x08: put('b'); break;
          case 0x09: put('t'); break;
          case 0x0A: put('n'); break;
          case 0x0B: put('v'); break;
          case 0x0C: put('f'); break;
          case 0x0D: put('r'); break;
          case 0x1B: put('e'); break;
          case 0x22: put('"'); break;
          case 0x5C: put('\\'); break;
          case 0x85: put('N'); break;
          case 0xA0: put('_'); break;
          case 0x2028: put('L'); break;
          case 0x2029: put('P'); break;
          default:
            if (v <= 0xFF) write_raw(fmt::format("x{:02X}", v));
            else if (v <= 0xFFFF) write_raw(fmt::format("u{:04X}", v));
            else write_raw(fmt::format("U{:08X}", v));
        }
        spaces = false;
      } else if (c == ' ') {
        if (allow_breaks && !spaces && column_ > kBestWidth && i != 0 && i != s.size() - 1) {
          write_indent(indent);
          if (i + 1 < s.size() && s[i + 1] == ' ') put('\\');
          ++i;
        } else {
          put(' ');
          ++i;
        }
        spaces = true;
      } else {
        const std::size_t w = utf8_width(c);
        write_raw(s.substr(i, w));
        i += w;
        spaces = false;
      }
    }
    indicator("\"", false, false, false);
  }

  void literal(std::string_view s, int indent) {
    indicator("|", true, false, false);
    if (!s.empty() && (s[0] == ' ' || is_break_at(s, 0))) write_raw(std::to_string(kBestIndent));
    // Chomping: "-" without a final newline, "+" with more than one.
    if (s.empty() || !is_break_at(s, s.size() - 1)) {
      write_raw("-");
    } else if (s.size() == 1 || is_break_at(s, s.size() - 2)) {
      write_raw("+");
    }
    put_break();
    indention_ = true;
    whitespace_ = true;
    bool breaks = true;
    for (std::size_t i = 0; i < s.size();) {
      if (is_break_at(s, i)) {
        const std::size_t w = utf8_width(static_cast<unsigned char>(s[i]));
        if (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') {
          put_break();
          i += 2;
        } else {
          put_break();
          i += w;
        }
        indention_ = true;
        breaks = true;
      } else {
        if (breaks) {
          write_indent(indent);
          breaks = false;
        }
        const std::size_t w = utf8_width(static_cast<unsigned char>(s[i]));
        write_raw(s.substr(i, w));
        i += w;
        indention_ = false;
      }
    }
  }
};

}  // namespace

std::string to_json(const Value& v) {
  std::string out;
  json_value(out, v);
  return out;
}

std::string to_yaml_document(const Value& v) {
  Emitter e;
  e.document(normalise(v));
  return std::move(e.out);
}

}  // namespace constable::helm::tmpl
