#include "helm/value.hpp"

#include <charconv>
#include <cmath>

#include <fmt/format.h>

namespace constable::helm {

Value Value::of(bool b) {
  Value v;
  v.kind = Kind::boolean;
  v.boolean = b;
  return v;
}

Value Value::of_int(std::int64_t i, IntType type) {
  Value v;
  v.kind = Kind::integer;
  v.integer = i;
  v.int_type = type;
  return v;
}

Value Value::of_float(double f) {
  Value v;
  v.kind = Kind::floating;
  v.floating = f;
  return v;
}

Value Value::of(std::string s) {
  Value v;
  v.kind = Kind::string;
  v.string = std::move(s);
  return v;
}

Value Value::of(List l, bool of_strings) {
  Value v;
  v.kind = Kind::list;
  v.list = std::make_shared<List>(std::move(l));
  v.string_list = of_strings;
  return v;
}

Value Value::of(Dict d) {
  Value v;
  v.kind = Kind::dict;
  v.dict = std::make_shared<Dict>(std::move(d));
  return v;
}

Value Value::of(std::shared_ptr<const Object> o) {
  Value v;
  v.kind = Kind::object;
  v.object = std::move(o);
  return v;
}

Result<Value> Object::call_method(std::string_view name, std::span<const Value> /*args*/) const {
  return fail(fmt::format("can't call method {} on type {}", name, type_name()));
}

bool truth(const Value& v) {
  switch (v.kind) {
    case Kind::nil: return false;
    case Kind::boolean: return v.boolean;
    case Kind::integer: return v.integer != 0;
    case Kind::floating: return v.floating != 0;
    case Kind::string: return !v.string.empty();
    case Kind::list: return v.list && !v.list->empty();
    case Kind::dict: return v.dict && !v.dict->empty();
    case Kind::object:
      if (const auto* entries = v.object->map_entries()) return !entries->empty();
      if (const auto* b = v.object->bytes()) return !b->empty();
      return true;
  }
  return false;
}

namespace {

class BytesObject : public Object {
 public:
  explicit BytesObject(std::string bytes) : bytes_(std::move(bytes)) {}
  std::string type_name() const override { return "[]uint8"; }
  std::optional<Value> field(std::string_view) const override { return std::nullopt; }
  std::string to_string() const override {
    std::string out = "[";
    for (std::size_t i = 0; i < bytes_.size(); ++i) {
      if (i > 0) out += ' ';
      out += std::to_string(static_cast<unsigned char>(bytes_[i]));
    }
    return out + "]";
  }
  const std::string* bytes() const override { return &bytes_; }

 private:
  std::string bytes_;
};

}  // namespace

Value make_bytes(std::string bytes) {
  return Value::of(std::shared_ptr<const Object>(std::make_shared<BytesObject>(std::move(bytes))));
}

std::string go_float_shortest(double f, char verb) {
  if (std::isnan(f)) return "NaN";
  if (std::isinf(f)) return f > 0 ? "+Inf" : "-Inf";
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, f, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<std::size_t>(res.ptr - buf));
  bool negative = false;
  if (!sci.empty() && sci[0] == '-') {
    negative = true;
    sci.remove_prefix(1);
  }
  const auto e_at = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e_at))
    if (c != '.') digits += c;
  int exponent = 0;
  std::from_chars(sci.data() + e_at + 1 + (sci[e_at + 1] == '+' ? 1 : 0), sci.data() + sci.size(), exponent);
  const int nd = static_cast<int>(digits.size());
  const int dp = exponent + 1;  // position of the decimal point in digits
  auto fmt_e = [&]() {
    std::string out = negative ? "-" : "";
    out += digits[0];
    if (nd > 1) {
      out += '.';
      out += digits.substr(1);
    }
    const int e = digits == "0" ? 0 : dp - 1;
    out += fmt::format("e{}{:02d}", e < 0 ? '-' : '+', std::abs(e));
    return out;
  };
  auto fmt_f = [&]() {
    std::string out = negative ? "-" : "";
    if (dp <= 0) {
      out += "0.";
      out.append(static_cast<std::size_t>(-dp), '0');
      out += digits;
    } else if (dp >= nd) {
      out += digits;
      out.append(static_cast<std::size_t>(dp - nd), '0');
    } else {
      out += digits.substr(0, static_cast<std::size_t>(dp));
      out += '.';
      out += digits.substr(static_cast<std::size_t>(dp));
    }
    return out;
  };
  if (verb == 'e') return fmt_e();
  if (verb == 'f') return fmt_f();
  if (digits == "0") return negative ? "-0" : "0";
  const int exp = dp - 1;
  if (exp < -4 || exp >= 6) return fmt_e();  // shortest %g decides with precision 6
  return fmt_f();
}

namespace {

void append_v(std::string& out, const Value& v, bool nested) {
  switch (v.kind) {
    case Kind::nil: out += "<nil>"; return;
    case Kind::boolean: out += v.boolean ? "true" : "false"; return;
    case Kind::integer: out += fmt::format("{}", v.integer); return;
    case Kind::floating: out += go_float_shortest(v.floating, 'g'); return;
    case Kind::string: out += v.string; return;
    case Kind::list: {
      out += '[';
      bool first = true;
      for (const auto& item : *v.list) {
        if (!first) out += ' ';
        first = false;
        append_v(out, item, true);
      }
      out += ']';
      return;
    }
    case Kind::dict: {
      out += "map[";
      bool first = true;
      for (const auto& [key, item] : *v.dict) {
        if (!first) out += ' ';
        first = false;
        out += key;
        out += ':';
        append_v(out, item, true);
      }
      out += ']';
      return;
    }
    case Kind::object: out += v.object->to_string(); return;
  }
  (void)nested;
}

}  // namespace

std::string format_v(const Value& v) {
  std::string out;
  append_v(out, v, false);
  return out;
}

std::string format_action(const Value& v) {
  if (v.is_nil()) return "<no value>";
  return format_v(v);
}

std::string type_name(const Value& v) {
  switch (v.kind) {
    case Kind::nil: return "<nil>";
    case Kind::boolean: return "bool";
    case Kind::integer: return v.int_type == IntType::go_int ? "int" : "int64";
    case Kind::floating: return "float64";
    case Kind::string: return "string";
    case Kind::list: return v.string_list ? "[]string" : "[]interface {}";
    case Kind::dict: return "map[string]interface {}";
    case Kind::object: return v.object->type_name();
  }
  return "<nil>";
}

std::string kind_name(const Value& v) {
  switch (v.kind) {
    case Kind::nil: return "invalid";
    case Kind::boolean: return "bool";
    case Kind::integer: return v.int_type == IntType::go_int ? "int" : "int64";
    case Kind::floating: return "float64";
    case Kind::string: return "string";
    case Kind::list: return "slice";
    case Kind::dict: return "map";
    case Kind::object:
      if (v.object->map_entries() != nullptr) return "map";
      if (v.object->bytes() != nullptr) return "slice";
      return v.object->type_name().starts_with("*") ? "ptr" : "struct";
  }
  return "invalid";
}

std::string to_go_string(const Value& v) {
  if (v.kind == Kind::string) return v.string;
  if (v.kind == Kind::object)
    if (const auto* b = v.object->bytes()) return *b;  // strval: string(v) for []byte
  return format_v(v);
}

bool deep_equal(const Value& a, const Value& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case Kind::nil: return true;
    case Kind::boolean: return a.boolean == b.boolean;
    case Kind::integer: return a.int_type == b.int_type && a.integer == b.integer;
    case Kind::floating: return a.floating == b.floating;
    case Kind::string: return a.string == b.string;
    case Kind::list: {
      if (a.list->size() != b.list->size()) return false;
      for (std::size_t i = 0; i < a.list->size(); ++i)
        if (!deep_equal((*a.list)[i], (*b.list)[i])) return false;
      return true;
    }
    case Kind::dict: {
      if (a.dict->size() != b.dict->size()) return false;
      for (auto ia = a.dict->begin(), ib = b.dict->begin(); ia != a.dict->end(); ++ia, ++ib)
        if (ia->first != ib->first || !deep_equal(ia->second, ib->second)) return false;
      return true;
    }
    case Kind::object: return a.object == b.object;
  }
  return false;
}

Value deep_copy(const Value& v) {
  if (v.kind == Kind::list) {
    List items;
    items.reserve(v.list->size());
    for (const auto& item : *v.list) items.push_back(deep_copy(item));
    Value out = Value::of(std::move(items), v.string_list);
    out.origin = v.origin;
    return out;
  }
  if (v.kind == Kind::dict) {
    Dict entries;
    for (const auto& [key, item] : *v.dict) entries.emplace(key, deep_copy(item));
    Value out = Value::of(std::move(entries));
    out.origin = v.origin;
    return out;
  }
  return v;
}

}  // namespace constable::helm
