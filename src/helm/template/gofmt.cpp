#include "helm/template/gofmt.hpp"

#include <cmath>

#include <fmt/format.h>

#include "helm/template/functions.hpp"

namespace constable::helm::tmpl {

namespace {

struct Spec {
  bool minus = false;
  bool plus = false;
  bool sharp = false;
  bool space = false;
  bool zero = false;
  int width = -1;
  int precision = -1;
  char verb = 'v';
};

std::size_t rune_count(std::string_view s) {
  std::size_t n = 0;
  for (char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}

std::string pad(std::string s, const Spec& spec, bool numeric = false) {
  if (spec.width < 0) return s;
  const std::size_t len = rune_count(s);
  if (len >= static_cast<std::size_t>(spec.width)) return s;
  const std::size_t fill = static_cast<std::size_t>(spec.width) - len;
  if (spec.minus) return s + std::string(fill, ' ');
  if (spec.zero && numeric) {
    std::size_t sign = (!s.empty() && (s[0] == '-' || s[0] == '+' || s[0] == ' ')) ? 1 : 0;
    return s.substr(0, sign) + std::string(fill, '0') + s.substr(sign);
  }
  if (spec.zero && !numeric) return std::string(fill, '0') + s;
  return std::string(fill, ' ') + s;
}

std::string bad_verb(const Value& v, char verb) {
  if (v.is_nil()) return fmt::format("%!{}(<nil>)", verb);
  return fmt::format("%!{}({}={})", verb, type_name(v), format_v(v));
}

std::string format_int(std::int64_t i, const Spec& spec) {
  const bool negative = i < 0;
  const std::uint64_t u = negative ? 0 - static_cast<std::uint64_t>(i) : static_cast<std::uint64_t>(i);
  std::string digits;
  switch (spec.verb) {
    case 'd':
    case 'v': digits = fmt::format("{}", u); break;
    case 'x': digits = fmt::format("{:x}", u); break;
    case 'X': digits = fmt::format("{:X}", u); break;
    case 'o': digits = fmt::format("{:o}", u); break;
    case 'O': digits = fmt::format("{:o}", u); break;
    case 'b': digits = fmt::format("{:b}", u); break;
    default: break;
  }
  if (spec.precision >= 0 && digits.size() < static_cast<std::size_t>(spec.precision))
    digits = std::string(static_cast<std::size_t>(spec.precision) - digits.size(), '0') + digits;
  if (spec.precision == 0 && u == 0) digits.clear();
  std::string_view prefix;
  if (spec.sharp) {
    if (spec.verb == 'x') prefix = "0x";
    if (spec.verb == 'X') prefix = "0X";
    if (spec.verb == 'o' && (digits.empty() || digits[0] != '0')) prefix = "0";
    if (spec.verb == 'b') prefix = "0b";
  }
  if (spec.verb == 'O') prefix = "0o";
  const std::string_view sign = negative ? "-" : spec.plus ? "+" : spec.space ? " " : "";
  auto joined = [&]() {
    std::string out;
    out.reserve(sign.size() + prefix.size() + digits.size());
    out.append(sign).append(prefix).append(digits);
    return out;
  };
  Spec padded = spec;
  if (spec.precision >= 0) padded.zero = false;
  if (padded.zero && !padded.minus && padded.width > 0) {
    const std::size_t used = sign.size() + prefix.size() + digits.size();
    if (used < static_cast<std::size_t>(padded.width))
      digits = std::string(static_cast<std::size_t>(padded.width) - used, '0') + digits;
    return joined();
  }
  return pad(joined(), padded);
}

std::string format_float(double f, const Spec& spec) {
  std::string s;
  char verb = spec.verb == 'v' ? 'g' : spec.verb;
  if (std::isinf(f) || std::isnan(f)) {
    s = std::isnan(f) ? "NaN" : f > 0 ? (spec.plus ? "+Inf" : "+Inf") : "-Inf";
    if (!spec.plus && s == "+Inf") s = "+Inf";
    Spec p = spec;
    p.zero = false;
    return pad(s, p);
  }
  const int prec = spec.precision;
  switch (verb) {
    case 'f':
    case 'F': s = fmt::format("{:.{}f}", f, prec < 0 ? 6 : prec); break;
    case 'e': s = fmt::format("{:.{}e}", f, prec < 0 ? 6 : prec); break;
    case 'E': s = fmt::format("{:.{}E}", f, prec < 0 ? 6 : prec); break;
    case 'g':
    case 'G':
      if (prec < 0)
        s = go_float_shortest(f, 'g');
      else
        s = fmt::format("{:.{}g}", f, prec == 0 ? 1 : prec);
      if (verb == 'G')
        for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      break;
    default: break;
  }
  if (f >= 0 && !std::signbit(f)) {
    if (spec.plus) s = "+" + s;
    else if (spec.space) s = " " + s;
  }
  if (spec.zero && !spec.minus && spec.width > 0) {
    const std::size_t sign = (s[0] == '-' || s[0] == '+' || s[0] == ' ') ? 1 : 0;
    if (s.size() < static_cast<std::size_t>(spec.width))
      s.insert(sign, std::string(static_cast<std::size_t>(spec.width) - s.size(), '0'));
    return s;
  }
  return pad(s, spec);
}

std::string hex_string(std::string_view s, const Spec& spec) {
  std::string out;
  const bool upper = spec.verb == 'X';
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (spec.space && i > 0) out += ' ';
    if (spec.sharp && (spec.space || i == 0)) out += upper ? "0X" : "0x";
    out += upper ? fmt::format("{:02X}", static_cast<unsigned char>(s[i])) : fmt::format("{:02x}", static_cast<unsigned char>(s[i]));
  }
  return out;
}

std::string format_one(const Value& v, const Spec& spec);

std::string format_collection(const Value& v, const Spec& spec) {
  std::string out;
  if (v.kind == Kind::list) {
    out = "[";
    for (std::size_t i = 0; i < v.list->size(); ++i) {
      if (i) out += ' ';
      out += format_one((*v.list)[i], spec);
    }
    out += "]";
  } else {
    out = "map[";
    bool first = true;
    for (const auto& [k, item] : *v.dict) {
      if (!first) out += ' ';
      first = false;
      out += format_one(Value::of(k), spec);
      out += ':';
      out += format_one(item, spec);
    }
    out += "]";
  }
  return out;
}

std::string format_one(const Value& v, const Spec& spec) {
  const char verb = spec.verb;
  if (verb == 'T') return pad(type_name(v), spec);
  if (v.is_nil()) {
    if (verb == 'v') return pad("<nil>", spec);
    return bad_verb(v, verb);
  }
  switch (v.kind) {
    case Kind::boolean:
      if (verb == 'v' || verb == 't') return pad(v.boolean ? "true" : "false", spec);
      return bad_verb(v, verb);
    case Kind::integer:
      switch (verb) {
        case 'v':
        case 'd':
        case 'x':
        case 'X':
        case 'o':
        case 'O':
        case 'b': return format_int(v.integer, spec);
        case 'c': {
          std::string s;
          const auto cp = static_cast<std::uint32_t>(v.integer);
          if (cp < 0x80) s += static_cast<char>(cp);
          else if (cp < 0x800) {
            s += static_cast<char>(0xC0 | (cp >> 6));
            s += static_cast<char>(0x80 | (cp & 0x3F));
          } else {
            s += static_cast<char>(0xE0 | (cp >> 12));
            s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            s += static_cast<char>(0x80 | (cp & 0x3F));
          }
          return pad(s, spec);
        }
        case 'q': return pad(fmt::format("'{}'", static_cast<char>(v.integer)), spec);
        case 'U': return pad(fmt::format("U+{:04X}", v.integer), spec);
        case 'e':
        case 'E':
        case 'f':
        case 'F':
        case 'g':
        case 'G': return bad_verb(v, verb);
        default: return bad_verb(v, verb);
      }
    case Kind::floating:
      switch (verb) {
        case 'v':
        case 'e':
        case 'E':
        case 'f':
        case 'F':
        case 'g':
        case 'G': return format_float(v.floating, spec);
        default: return bad_verb(v, verb);
      }
    case Kind::string:
      switch (verb) {
        case 'v':
        case 's': {
          std::string s = v.string;
          if (spec.precision >= 0) {
            std::size_t runes = 0, i = 0;
            for (; i < s.size(); ++i) {
              if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
                if (runes == static_cast<std::size_t>(spec.precision)) break;
                ++runes;
              }
            }
            s.resize(i);
          }
          return pad(s, spec);
        }
        case 'q': return pad(go_quote(v.string), spec);
        case 'x':
        case 'X': return pad(hex_string(v.string, spec), spec);
        default: return bad_verb(v, verb);
      }
    case Kind::list:
    case Kind::dict: return format_collection(v, spec);
    case Kind::object:
      // fmt prints a []byte as a string for %s, %q, %x and %X.
      if (const auto* bytes = v.object->bytes(); bytes != nullptr && verb != 'v') {
        if (verb == 's' || verb == 'q' || verb == 'x' || verb == 'X') return format_one(Value::of(*bytes), spec);
        return bad_verb(v, verb);
      }
      if (verb == 'v' || verb == 's') return pad(v.object->to_string(), spec);
      return bad_verb(v, verb);
    default: return bad_verb(v, verb);
  }
}

}  // namespace

std::string go_sprint(std::span<const Value> args) {
  std::string out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    // Sprint adds spaces between operands when neither is a string.
    if (i > 0 && !args[i].is_string() && !args[i - 1].is_string()) out += ' ';
    out += format_v(args[i]);
  }
  return out;
}

std::string go_sprintln(std::span<const Value> args) {
  std::string out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (i > 0) out += ' ';
    out += format_v(args[i]);
  }
  out += '\n';
  return out;
}

std::string go_sprintf(std::string_view format, std::span<const Value> args) {
  std::string out;
  std::size_t arg = 0;
  std::size_t i = 0;
  while (i < format.size()) {
    const char c = format[i];
    if (c != '%') {
      out += c;
      ++i;
      continue;
    }
    ++i;
    if (i >= format.size()) {
      out += "%!(NOVERB)";
      break;
    }
    Spec spec;
    for (; i < format.size(); ++i) {
      const char fl = format[i];
      if (fl == '-') spec.minus = true, spec.zero = false;
      else if (fl == '+') spec.plus = true;
      else if (fl == '#') spec.sharp = true;
      else if (fl == ' ') spec.space = true;
      else if (fl == '0') spec.zero = !spec.minus;
      else break;
    }
    auto read_number = [&](int& target) {
      if (i < format.size() && format[i] == '*') {
        ++i;
        if (arg < args.size() && args[arg].kind == Kind::integer) {
          target = static_cast<int>(args[arg].integer);
          if (target < 0 && &target == &spec.width) {
            spec.minus = true;
            target = -target;
          }
        } else {
          out += "%!(BADWIDTH)";
        }
        ++arg;
        return;
      }
      int n = -1;
      while (i < format.size() && format[i] >= '0' && format[i] <= '9') {
        n = (n < 0 ? 0 : n) * 10 + (format[i] - '0');
        if (n > 1000000) n = 1000000;
        ++i;
      }
      if (n >= 0) target = n;
    };
    read_number(spec.width);
    if (i < format.size() && format[i] == '.') {
      ++i;
      spec.precision = 0;
      read_number(spec.precision);
    }
    if (i >= format.size()) {
      out += "%!(NOVERB)";
      break;
    }
    // The verb is one rune.
    std::size_t len = 1;
    const auto lead = static_cast<unsigned char>(format[i]);
    if (lead >= 0xF0) len = 4;
    else if (lead >= 0xE0) len = 3;
    else if (lead >= 0xC0) len = 2;
    const std::string verb_text(format.substr(i, len));
    i += len;
    if (verb_text == "%") {
      out += '%';
      continue;
    }
    spec.verb = len == 1 ? verb_text[0] : '?';
    if (arg >= args.size()) {
      out += "%!" + verb_text + "(MISSING)";
      continue;
    }
    const Value& v = args[arg++];
    if (len != 1) {
      out += "%!" + verb_text + "(" + type_name(v) + "=" + format_v(v) + ")";
      continue;
    }
    out += format_one(v, spec);
  }
  if (arg < args.size()) {
    out += "%!(EXTRA ";
    for (std::size_t k = arg; k < args.size(); ++k) {
      if (k > arg) out += ", ";
      out += args[k].is_nil() ? "<nil>" : type_name(args[k]) + "=" + format_v(args[k]);
    }
    out += ")";
  }
  return out;
}

}  // namespace constable::helm::tmpl
