#pragma once
// Rego values: the JSON types plus sets, immutable and shared. Copying a
// Value copies a pointer, so the evaluator passes documents around freely;
// a collection is never changed after it is built.
//
// Numbers keep an exact 64-bit integer when they are integral and fit, and
// fall back to a double otherwise: OPA's numbers are arbitrary precision,
// which no policy of the kind constable runs needs beyond that (documented
// in docs/policies.md).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace constable::yaml {
struct Node;
}

namespace constable::rego {

// The order is OPA's sort order across types.
enum class Kind : std::uint8_t { null, boolean, number, string, array, object, set };

std::string_view kind_name(Kind kind);  // "null", "boolean", ..., as OPA's type errors name them

class Value;
using Array = std::vector<Value>;
using Object = std::vector<std::pair<Value, Value>>;  // sorted by key, keys unique

class Number {
 public:
  Number() = default;
  static Number integer(std::int64_t v) { return Number(true, v, static_cast<double>(v)); }
  static Number real(double v);  // integral doubles that fit become integers
  bool is_integer() const { return is_integer_; }
  std::int64_t as_integer() const { return int_; }
  double as_double() const { return double_; }
  std::string to_string() const;
  // nullopt for a string that is not a JSON number.
  static std::optional<Number> parse(std::string_view text);

 private:
  Number(bool is_integer, std::int64_t i, double d) : is_integer_(is_integer), int_(i), double_(d) {}
  bool is_integer_ = true;
  std::int64_t int_ = 0;
  double double_ = 0;
};

int compare(const Number& a, const Number& b);

class Value {
 public:
  Value() = default;  // null
  static Value null() { return Value(); }
  static Value boolean(bool b);
  static Value number(Number n);
  static Value integer(std::int64_t i) { return number(Number::integer(i)); }
  static Value real(double d) { return number(Number::real(d)); }
  static Value string(std::string s);
  static Value array(Array items);
  static Value set(std::vector<Value> items);  // sorts and removes duplicates
  static Value object(Object entries);         // sorts; a later duplicate key replaces an earlier one
  static const Value& empty_object();
  static const Value& empty_set();
  static const Value& empty_array();

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::null; }
  bool is_bool() const { return kind_ == Kind::boolean; }
  bool is_number() const { return kind_ == Kind::number; }
  bool is_string() const { return kind_ == Kind::string; }
  bool is_array() const { return kind_ == Kind::array; }
  bool is_object() const { return kind_ == Kind::object; }
  bool is_set() const { return kind_ == Kind::set; }
  bool is_collection() const { return kind_ == Kind::array || kind_ == Kind::object || kind_ == Kind::set; }

  bool as_bool() const { return bool_; }
  const Number& as_number() const { return number_; }
  const std::string& as_string() const;
  // Arrays and sets (sorted) share the element list.
  const std::vector<Value>& items() const;
  const Object& entries() const;
  std::size_t size() const;  // elements, entries or characters (code points) of a string

  // Objects: the value of `key`; arrays: the element at an integral number; null pointer otherwise.
  const Value* get(const Value& key) const;
  const Value* get(std::string_view key) const;
  bool contains(const Value& element) const;  // set membership

  // JSON text (sets as arrays, sorted), OPA's compact form for messages.
  std::string to_json() const;
  // Rego literal syntax as `opa eval` prints terms in errors: sets as {1, 2}, "set()" when empty.
  std::string to_rego() const;

  friend bool operator==(const Value& a, const Value& b);
  friend bool operator<(const Value& a, const Value& b);

 private:
  Kind kind_ = Kind::null;
  bool bool_ = false;
  Number number_;
  std::shared_ptr<const void> data_;  // std::string, std::vector<Value> or Object by kind
};

int compare(const Value& a, const Value& b);

// JSON conversion. Objects with non-string keys become strings of their JSON.
Value from_json(const nlohmann::json& json);
nlohmann::json to_json(const Value& value);
// A parsed YAML node as go-yaml resolves its scalars (non-string keys become their text).
Value from_yaml(const yaml::Node* node);
// Parses JSON text; nullopt with a message on error.
std::optional<Value> parse_json(std::string_view text, std::string* error = nullptr);

}  // namespace constable::rego
