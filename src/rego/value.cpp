#include "rego/value.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "formats/yaml/yaml.hpp"

namespace constable::rego {

std::string_view kind_name(Kind kind) {
  switch (kind) {
    case Kind::null: return "null";
    case Kind::boolean: return "boolean";
    case Kind::number: return "number";
    case Kind::string: return "string";
    case Kind::array: return "array";
    case Kind::object: return "object";
    case Kind::set: return "set";
  }
  return "unknown";
}

Number Number::real(double v) {
  // 2^63 as a double: integral values below it in magnitude fit an int64 exactly.
  constexpr double kLimit = 9223372036854775808.0;
  if (std::isfinite(v) && v == std::trunc(v) && v > -kLimit && v < kLimit) {
    return Number(true, static_cast<std::int64_t>(v), v);
  }
  return Number(false, 0, v);
}

std::string Number::to_string() const {
  if (is_integer_) return std::to_string(int_);
  if (!std::isfinite(double_)) return std::isnan(double_) ? "NaN" : (double_ > 0 ? "+Inf" : "-Inf");
  // Shortest text that reads back as the same double, as Go's strconv 'g' with -1 precision.
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, double_);
  (void)ec;
  return std::string(buffer, end);
}

std::optional<Number> Number::parse(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::string_view digits = text;
  if (digits.front() == '-') digits.remove_prefix(1);
  if (digits.empty() || !(digits.front() >= '0' && digits.front() <= '9')) return std::nullopt;
  const bool integral = digits.find_first_of(".eE") == std::string_view::npos;
  if (integral) {
    std::int64_t value = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec == std::errc() && ptr == text.data() + text.size()) return Number::integer(value);
  }
  double value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ptr != text.data() + text.size()) return std::nullopt;
  if (ec == std::errc::result_out_of_range) {
    value = (text.front() == '-' ? -1 : 1) * std::numeric_limits<double>::infinity();
  } else if (ec != std::errc()) {
    return std::nullopt;
  }
  return Number::real(value);
}

int compare(const Number& a, const Number& b) {
  if (a.is_integer() && b.is_integer()) {
    return a.as_integer() < b.as_integer() ? -1 : (a.as_integer() > b.as_integer() ? 1 : 0);
  }
  const double x = a.as_double();
  const double y = b.as_double();
  return x < y ? -1 : (x > y ? 1 : 0);
}

namespace {

const std::string& empty_string() {
  static const std::string empty;
  return empty;
}

const std::vector<Value>& empty_items() {
  static const std::vector<Value> empty;
  return empty;
}

const Object& no_entries() {
  static const Object empty;
  return empty;
}

}  // namespace

Value Value::boolean(bool b) {
  Value v;
  v.kind_ = Kind::boolean;
  v.bool_ = b;
  return v;
}

Value Value::number(Number n) {
  Value v;
  v.kind_ = Kind::number;
  v.number_ = n;
  return v;
}

Value Value::string(std::string s) {
  Value v;
  v.kind_ = Kind::string;
  v.data_ = std::make_shared<const std::string>(std::move(s));
  return v;
}

Value Value::array(Array items) {
  Value v;
  v.kind_ = Kind::array;
  v.data_ = std::make_shared<const Array>(std::move(items));
  return v;
}

Value Value::set(std::vector<Value> items) {
  std::sort(items.begin(), items.end());
  items.erase(std::unique(items.begin(), items.end()), items.end());
  Value v;
  v.kind_ = Kind::set;
  v.data_ = std::make_shared<const std::vector<Value>>(std::move(items));
  return v;
}

Value Value::object(Object entries) {
  std::stable_sort(entries.begin(), entries.end(),
                   [](const auto& a, const auto& b) { return compare(a.first, b.first) < 0; });
  // Keep the last of equal keys.
  Object unique;
  unique.reserve(entries.size());
  for (auto& entry : entries) {
    if (!unique.empty() && unique.back().first == entry.first) {
      unique.back().second = std::move(entry.second);
    } else {
      unique.push_back(std::move(entry));
    }
  }
  Value v;
  v.kind_ = Kind::object;
  v.data_ = std::make_shared<const Object>(std::move(unique));
  return v;
}

const Value& Value::empty_object() {
  static const Value empty = Value::object({});
  return empty;
}

const Value& Value::empty_set() {
  static const Value empty = Value::set({});
  return empty;
}

const Value& Value::empty_array() {
  static const Value empty = Value::array({});
  return empty;
}

const std::string& Value::as_string() const {
  if (kind_ != Kind::string) return empty_string();
  return *static_cast<const std::string*>(data_.get());
}

const std::vector<Value>& Value::items() const {
  if (kind_ != Kind::array && kind_ != Kind::set) return empty_items();
  return *static_cast<const std::vector<Value>*>(data_.get());
}

const Object& Value::entries() const {
  if (kind_ != Kind::object) return no_entries();
  return *static_cast<const Object*>(data_.get());
}

std::size_t Value::size() const {
  switch (kind_) {
    case Kind::array:
    case Kind::set: return items().size();
    case Kind::object: return entries().size();
    case Kind::string: {
      std::size_t count = 0;
      for (unsigned char c : as_string()) count += (c & 0xC0) != 0x80 ? 1 : 0;
      return count;
    }
    default: return 0;
  }
}

const Value* Value::get(const Value& key) const {
  // Most lookups are by a string key: compare the strings only.
  if (kind_ == Kind::object && key.kind_ == Kind::string) return get(std::string_view(key.as_string()));
  if (kind_ == Kind::object) {
    const auto& list = entries();
    auto it = std::lower_bound(list.begin(), list.end(), key,
                               [](const auto& entry, const Value& k) { return compare(entry.first, k) < 0; });
    if (it != list.end() && it->first == key) return &it->second;
    return nullptr;
  }
  if (kind_ == Kind::array && key.is_number() && key.as_number().is_integer()) {
    const auto index = key.as_number().as_integer();
    const auto& list = items();
    if (index >= 0 && static_cast<std::size_t>(index) < list.size()) return &list[static_cast<std::size_t>(index)];
    return nullptr;
  }
  if (kind_ == Kind::set) {
    const auto& list = items();
    auto it = std::lower_bound(list.begin(), list.end(), key);
    if (it != list.end() && *it == key) return &*it;
  }
  return nullptr;
}

const Value* Value::get(std::string_view key) const {
  if (kind_ != Kind::object) return nullptr;
  const auto& list = entries();
  // Strings sort after null, booleans and numbers, before collections: compare within strings only.
  auto it = std::lower_bound(list.begin(), list.end(), key, [](const auto& entry, std::string_view k) {
    if (entry.first.kind() != Kind::string) return entry.first.kind() < Kind::string;
    return std::string_view(entry.first.as_string()) < k;
  });
  if (it != list.end() && it->first.is_string() && it->first.as_string() == key) return &it->second;
  return nullptr;
}

bool Value::contains(const Value& element) const {
  if (kind_ != Kind::set) return false;
  const auto& list = items();
  return std::binary_search(list.begin(), list.end(), element);
}

int compare(const Value& a, const Value& b) {
  if (a.kind() != b.kind()) return a.kind() < b.kind() ? -1 : 1;
  switch (a.kind()) {
    case Kind::null: return 0;
    case Kind::boolean: return a.as_bool() == b.as_bool() ? 0 : (a.as_bool() ? 1 : -1);
    case Kind::number: return compare(a.as_number(), b.as_number());
    case Kind::string: {
      const int c = a.as_string().compare(b.as_string());
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    case Kind::array:
    case Kind::set: {
      const auto& x = a.items();
      const auto& y = b.items();
      if (&x == &y) return 0;
      for (std::size_t i = 0; i < x.size() && i < y.size(); ++i) {
        if (int c = compare(x[i], y[i]); c != 0) return c;
      }
      return x.size() == y.size() ? 0 : (x.size() < y.size() ? -1 : 1);
    }
    case Kind::object: {
      const auto& x = a.entries();
      const auto& y = b.entries();
      if (&x == &y) return 0;
      for (std::size_t i = 0; i < x.size() && i < y.size(); ++i) {
        if (int c = compare(x[i].first, y[i].first); c != 0) return c;
        if (int c = compare(x[i].second, y[i].second); c != 0) return c;
      }
      return x.size() == y.size() ? 0 : (x.size() < y.size() ? -1 : 1);
    }
  }
  return 0;
}

bool operator==(const Value& a, const Value& b) { return compare(a, b) == 0; }
bool operator<(const Value& a, const Value& b) { return compare(a, b) < 0; }

namespace {

void append_json_string(std::string& out, std::string_view s) {
  out += nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void append_json(std::string& out, const Value& v) {
  switch (v.kind()) {
    case Kind::null: out += "null"; return;
    case Kind::boolean: out += v.as_bool() ? "true" : "false"; return;
    case Kind::number: out += v.as_number().to_string(); return;
    case Kind::string: append_json_string(out, v.as_string()); return;
    case Kind::array:
    case Kind::set: {
      out += '[';
      bool first = true;
      for (const auto& item : v.items()) {
        if (!first) out += ',';
        first = false;
        append_json(out, item);
      }
      out += ']';
      return;
    }
    case Kind::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, value] : v.entries()) {
        if (!first) out += ',';
        first = false;
        if (key.is_string()) {
          append_json_string(out, key.as_string());
        } else {
          append_json_string(out, key.to_json());
        }
        out += ':';
        append_json(out, value);
      }
      out += '}';
      return;
    }
  }
}

void append_rego(std::string& out, const Value& v) {
  switch (v.kind()) {
    case Kind::array: {
      out += '[';
      bool first = true;
      for (const auto& item : v.items()) {
        if (!first) out += ", ";
        first = false;
        append_rego(out, item);
      }
      out += ']';
      return;
    }
    case Kind::set: {
      if (v.items().empty()) {
        out += "set()";
        return;
      }
      out += '{';
      bool first = true;
      for (const auto& item : v.items()) {
        if (!first) out += ", ";
        first = false;
        append_rego(out, item);
      }
      out += '}';
      return;
    }
    case Kind::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, value] : v.entries()) {
        if (!first) out += ", ";
        first = false;
        append_rego(out, key);
        out += ": ";
        append_rego(out, value);
      }
      out += '}';
      return;
    }
    default: append_json(out, v);
  }
}

}  // namespace

std::string Value::to_json() const {
  std::string out;
  append_json(out, *this);
  return out;
}

std::string Value::to_rego() const {
  std::string out;
  append_rego(out, *this);
  return out;
}

Value from_json(const nlohmann::json& json) {
  switch (json.type()) {
    case nlohmann::json::value_t::null:
    case nlohmann::json::value_t::discarded: return Value::null();
    case nlohmann::json::value_t::boolean: return Value::boolean(json.get<bool>());
    case nlohmann::json::value_t::number_integer: return Value::integer(json.get<std::int64_t>());
    case nlohmann::json::value_t::number_unsigned: {
      const auto u = json.get<std::uint64_t>();
      if (u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        return Value::integer(static_cast<std::int64_t>(u));
      }
      return Value::real(static_cast<double>(u));
    }
    case nlohmann::json::value_t::number_float: return Value::real(json.get<double>());
    case nlohmann::json::value_t::string: return Value::string(json.get<std::string>());
    case nlohmann::json::value_t::array: {
      Array items;
      items.reserve(json.size());
      for (const auto& item : json) items.push_back(from_json(item));
      return Value::array(std::move(items));
    }
    case nlohmann::json::value_t::object: {
      Object entries;
      entries.reserve(json.size());
      for (const auto& [key, value] : json.items()) entries.emplace_back(Value::string(key), from_json(value));
      return Value::object(std::move(entries));
    }
    case nlohmann::json::value_t::binary: return Value::null();
  }
  return Value::null();
}

nlohmann::json to_json(const Value& value) {
  switch (value.kind()) {
    case Kind::null: return nullptr;
    case Kind::boolean: return value.as_bool();
    case Kind::number:
      if (value.as_number().is_integer()) return value.as_number().as_integer();
      return value.as_number().as_double();
    case Kind::string: return value.as_string();
    case Kind::array:
    case Kind::set: {
      auto out = nlohmann::json::array();
      for (const auto& item : value.items()) out.push_back(to_json(item));
      return out;
    }
    case Kind::object: {
      auto out = nlohmann::json::object();
      for (const auto& [key, item] : value.entries()) {
        out[key.is_string() ? key.as_string() : key.to_json()] = to_json(item);
      }
      return out;
    }
  }
  return nullptr;
}

namespace {

// Converting a document recurses per level: JSON from a policy's input
// (json.unmarshal of a string in a manifest) is refused past YAML's own bound.
constexpr int kMaxJsonDepth = 1000;

struct TooDeep {};

}  // namespace

std::optional<Value> parse_json(std::string_view text, std::string* error) {
  try {
    const auto refuse_deep = [](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
      if (depth > kMaxJsonDepth) throw TooDeep{};
      return true;
    };
    return from_json(nlohmann::json::parse(text, refuse_deep));
  } catch (const nlohmann::json::exception& e) {
    if (error != nullptr) *error = e.what();
    return std::nullopt;
  } catch (const TooDeep&) {
    if (error != nullptr) *error = fmt::format("nested deeper than {} levels", kMaxJsonDepth);
    return std::nullopt;
  }
}

Value from_yaml(const yaml::Node* node) {
  if (node == nullptr) return Value::null();
  switch (node->kind) {
    case yaml::NodeKind::scalar:
      switch (node->scalar_type()) {
        case yaml::ScalarType::null: return Value::null();
        case yaml::ScalarType::boolean: return Value::boolean(node->as_bool().value_or(false));
        case yaml::ScalarType::integer:
          if (auto i = node->as_int()) return Value::integer(*i);
          return Value::real(node->as_double().value_or(0));
        case yaml::ScalarType::floating: return Value::real(node->as_double().value_or(0));
        case yaml::ScalarType::string: return Value::string(std::string(node->value));
      }
      return Value::string(std::string(node->value));
    case yaml::NodeKind::sequence: {
      Array items;
      for (const auto* item : node->items) items.push_back(from_yaml(item));
      return Value::array(std::move(items));
    }
    case yaml::NodeKind::mapping: {
      Object entries;
      for (const auto& entry : node->entries) {
        Value key = from_yaml(entry.key);
        if (!key.is_string()) key = Value::string(std::string(entry.key->value));
        entries.emplace_back(std::move(key), from_yaml(entry.value));
      }
      return Value::object(std::move(entries));
    }
  }
  return Value::null();
}

}  // namespace constable::rego
