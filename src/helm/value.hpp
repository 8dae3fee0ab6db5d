#pragma once
// The values a Helm template computes with, modelled on the Go types Helm
// really passes around: nil, bool, int / int64 (distinct, because Go's typed
// function parameters and %T tell them apart), float64 (every number read
// from a values file — sigs.k8s.io/yaml goes through JSON), string, lists
// ([]interface{} or []string), dicts (map[string]interface{}, iterated in
// sorted key order as text/template does) and native objects (.Files,
// .Capabilities, .Chart, semver versions, times).
//
// Lists and dicts have reference semantics, like Go slices and maps: `set`
// on a dict is visible through every copy of the Value.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace constable::helm {

// Where a value came from: a values file (or --set) and line. `file` points
// into storage owned by the render that created the value.
struct Origin {
  const std::string* file = nullptr;
  int line = 0;
  explicit operator bool() const { return file != nullptr; }
};

struct Value;
using List = std::vector<Value>;
using Dict = std::map<std::string, Value, std::less<>>;

enum class Kind : std::uint8_t { nil, boolean, integer, floating, string, list, dict, object };
// Go's int and int64: template number literals and `int`/`len` give int,
// Sprig's arithmetic gives int64.
enum class IntType : std::uint8_t { go_int, go_int64 };

class Object;

struct Value {
  Kind kind = Kind::nil;
  IntType int_type = IntType::go_int;
  bool string_list = false;  // list: []string rather than []interface{}
  bool boolean = false;
  std::int64_t integer = 0;
  double floating = 0;
  std::string string;
  std::shared_ptr<List> list;
  std::shared_ptr<Dict> dict;
  std::shared_ptr<const Object> object;
  Origin origin;

  static Value nil() { return Value{}; }
  static Value of(bool b);
  static Value of_int(std::int64_t i, IntType type = IntType::go_int);
  static Value of_float(double f);
  static Value of(std::string s);
  static Value of(const char* s) { return of(std::string(s)); }
  static Value of(std::string_view s) { return of(std::string(s)); }
  static Value of(List l, bool of_strings = false);
  static Value of(Dict d);
  static Value of(std::shared_ptr<const Object> o);
  static Value empty_dict() { return of(Dict{}); }

  bool is_nil() const { return kind == Kind::nil; }
  bool is_string() const { return kind == Kind::string; }
  bool is_list() const { return kind == Kind::list; }
  bool is_dict() const { return kind == Kind::dict; }
  bool is_number() const { return kind == Kind::integer || kind == Kind::floating; }

  Value with_origin(Origin o) const {
    Value v = *this;
    v.origin = o;
    return v;
  }
};

// A value implemented natively (Go structs and types with methods).
class Object {
 public:
  virtual ~Object() = default;
  // The Go type name for %T and error messages ("*chart.Metadata").
  virtual std::string type_name() const = 0;
  // A field, or the result of a method called without arguments; nullopt
  // when the type has no such field ("can't evaluate field X in type T").
  virtual std::optional<Value> field(std::string_view name) const = 0;
  // Whether `name` is a method that takes arguments (.Files.Get "x").
  virtual bool has_method(std::string_view /*name*/) const { return false; }
  virtual Result<Value> call_method(std::string_view name, std::span<const Value> args) const;
  // How %v prints it (a Go String() method, or the struct's fields).
  virtual std::string to_string() const = 0;
  // A Go map type (chartutil.Files is map[string][]byte): its entries in
  // key order, for range, len, index and truth. Null for other types.
  virtual const std::vector<std::pair<std::string, Value>>* map_entries() const { return nullptr; }
  // A []byte: its bytes, for toString, printf "%s", len and truth. Null for other types.
  virtual const std::string* bytes() const { return nullptr; }
};

// A Go []byte (what ranging over .Files.Glob yields): prints as %v does,
// `[104 105]`, and converts to its text where Go and Sprig do.
Value make_bytes(std::string bytes);

// Go's notion of truth in `if`: false, 0, nil, empty string/list/dict.
bool truth(const Value& v);
// Sprig's `empty` (same as !truth for our types).
inline bool empty(const Value& v) { return !truth(v); }

// fmt's %v (and Sprint of one operand): `map[a:1 b:2]`, `[a b]`, `<nil>`,
// floats as %g with Go's shortest representation (1e+06, 3, 0.1).
std::string format_v(const Value& v);
// What a template action prints: like %v but a nil value prints as
// "<no value>" (which Helm afterwards removes).
std::string format_action(const Value& v);
// Go's %T: "string", "int", "int64", "float64", "bool",
// "map[string]interface {}", "[]interface {}", "[]string", "<nil>".
std::string type_name(const Value& v);
// reflect.Kind names as Sprig's kindOf gives them: "string", "int",
// "int64", "float64", "bool", "map", "slice", "invalid", "ptr", "struct".
std::string kind_name(const Value& v);

// Go's strconv.FormatFloat(f, 'g'|'e'|'f', -1, 64): shortest representation.
std::string go_float_shortest(double f, char verb);

// Sprig's strval: strings as they are, everything else as %v.
std::string to_go_string(const Value& v);

// Deep equality (reflect.DeepEqual on our types; int and float differ).
bool deep_equal(const Value& a, const Value& b);
// A deep copy of lists and dicts (origins kept).
Value deep_copy(const Value& v);

}  // namespace constable::helm
