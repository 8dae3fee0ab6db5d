#include "helm/values.hpp"

#include <charconv>

#include <fmt/format.h>

namespace constable::helm {

Value value_from_yaml(const yaml::Node* node, const std::string* file) {
  if (node == nullptr) return Value{};
  const Origin origin{file, node->start.line};
  Value out;
  switch (node->kind) {
    case yaml::NodeKind::mapping: {
      Dict d;
      for (const auto& entry : node->entries) {
        std::string key =
            entry.key != nullptr && entry.key->is_scalar() ? std::string(entry.key->value) : std::string();
        if (entry.key != nullptr && entry.key->is_scalar() && entry.key->scalar_type() == yaml::ScalarType::null &&
            entry.key->style == yaml::ScalarStyle::plain)
          key = "null";
        // Own entries come first, so a merged-in (`<<`) key never overrides one.
        d.emplace(std::move(key), value_from_yaml(entry.value, file));
      }
      out = Value::of(std::move(d));
      break;
    }
    case yaml::NodeKind::sequence: {
      List l;
      l.reserve(node->items.size());
      for (const auto* item : node->items) l.push_back(value_from_yaml(item, file));
      out = Value::of(std::move(l));
      break;
    }
    case yaml::NodeKind::scalar:
      switch (node->scalar_type()) {
        case yaml::ScalarType::null: out = Value{}; break;
        case yaml::ScalarType::boolean: out = Value::of(node->as_bool().value_or(false)); break;
        case yaml::ScalarType::integer:
        case yaml::ScalarType::floating:
          // Through JSON: every number is a float64.
          if (auto d = node->as_double())
            out = Value::of_float(*d);
          else
            out = Value::of(node->value);
          break;
        case yaml::ScalarType::string: out = Value::of(node->value); break;
      }
      break;
  }
  out.origin = origin;
  return out;
}

Result<Value> parse_values(std::string_view text, const std::string* file) { return values_from(yaml::parse(text), file); }

Result<Value> values_from(const yaml::Stream& stream, const std::string* file) {
  if (!stream.errors.empty()) {
    const auto& e = stream.errors.front();
    if (e.fatal) return fail(e.message, file ? *file : std::string(), e.mark.line, e.mark.column);
  }
  if (stream.documents.empty() || stream.documents[0].root == nullptr) return Value::empty_dict();
  const yaml::Node* root = stream.documents[0].root;
  if (root->is_scalar() && root->is_null()) return Value::empty_dict();
  if (!root->is_mapping())
    return fail("error unmarshaling JSON: json: cannot unmarshal " +
                    std::string(root->is_sequence() ? "array" : "string") + " into Go value of type map[string]interface {}",
                file ? *file : std::string(), root->start.line, root->start.column);
  return value_from_yaml(root, file);
}

Value value_from_json(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::null: return Value{};
    case nlohmann::json::value_t::boolean: return Value::of(j.get<bool>());
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float: return Value::of_float(j.get<double>());
    case nlohmann::json::value_t::string: return Value::of(j.get<std::string>());
    case nlohmann::json::value_t::array: {
      List l;
      for (const auto& item : j) l.push_back(value_from_json(item));
      return Value::of(std::move(l));
    }
    case nlohmann::json::value_t::object: {
      Dict d;
      for (const auto& [k, item] : j.items()) d[k] = value_from_json(item);
      return Value::of(std::move(d));
    }
    default: return Value{};
  }
}

void merge_values(Dict& dst, const Dict& src) {
  for (const auto& [key, value] : src) {
    if (value.kind == Kind::dict) {
      auto it = dst.find(key);
      if (it != dst.end() && it->second.kind == Kind::dict) {
        Value merged = deep_copy(it->second);
        merge_values(*merged.dict, *value.dict);
        it->second = std::move(merged);
        continue;
      }
    }
    dst[key] = deep_copy(value);
  }
}

void coalesce_into(Dict& user, const Dict& defaults) {
  for (const auto& [key, value] : defaults) {
    auto it = user.find(key);
    if (it == user.end()) {
      user.emplace(key, deep_copy(value));
      continue;
    }
    if (it->second.is_nil()) {
      user.erase(it);  // null removes a default
      continue;
    }
    if (it->second.kind == Kind::dict && value.kind == Kind::dict) {
      Value copy = deep_copy(it->second);
      coalesce_into(*copy.dict, *value.dict);
      it->second = std::move(copy);
    }
  }
}

namespace {

// Helm's pkg/strvals parser, over a string with a cursor.
class SetParser {
 public:
  SetParser(std::string_view in, bool as_string, Origin origin) : in_(in), as_string_(as_string), origin_(origin) {}

  Result<void> parse(Dict& data) {
    while (true) {
      auto r = key(data, 0);
      if (r == Status::ok) continue;
      if (r == Status::eof) return {};
      return fail(error_);
    }
  }

 private:
  enum class Status { ok, eof, error };
  static constexpr int kMaxNesting = 30;
  static constexpr std::size_t kMaxIndex = 65536;

  Status error(std::string message) {
    error_ = std::move(message);
    return Status::error;
  }

  // Reads runes until one in `stop`; backslash escapes the next rune.
  // Returns false at end of input.
  bool until(std::string_view stop, std::string& out, char& last) {
    out.clear();
    while (pos_ < in_.size()) {
      const char c = in_[pos_++];
      if (c == '\\') {
        if (pos_ >= in_.size()) return false;
        out += in_[pos_++];
        continue;
      }
      if (stop.find(c) != std::string_view::npos) {
        last = c;
        return true;
      }
      out += c;
    }
    return false;
  }

  Value typed(const std::string& v) const {
    Value out;
    if (as_string_) {
      out = Value::of(v);
    } else {
      auto lower = v;
      for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (lower == "true") out = Value::of(true);
      else if (lower == "false") out = Value::of(false);
      else if (lower == "null") out = Value{};
      else if (lower == "0") out = Value::of_int(0, IntType::go_int64);
      else {
        std::int64_t i = 0;
        const char* begin = v.data();
        const char* end = v.data() + v.size();
        if (!v.empty() && v[0] == '+') ++begin;
        const auto r = std::from_chars(begin, end, i);
        if (!v.empty() && v[0] != '0' && r.ec == std::errc() && r.ptr == end && begin != end)
          out = Value::of_int(i, IntType::go_int64);
        else
          out = Value::of(v);
      }
    }
    out.origin = origin_;
    return out;
  }

  // A `{a,b}` list, or nullopt (cursor unchanged) when the value is not a list.
  enum class ListStatus { list, not_list, eof, error };
  ListStatus value_list(List& out) {
    if (pos_ >= in_.size()) return ListStatus::eof;
    if (in_[pos_] != '{') return ListStatus::not_list;
    ++pos_;
    std::string item;
    char last = 0;
    while (true) {
      if (!until(",}", item, last)) {
        error_ = "list must terminate with '}'";
        return ListStatus::error;
      }
      out.push_back(typed(item));
      if (last == '}') {
        if (pos_ < in_.size() && in_[pos_] == ',') ++pos_;
        return ListStatus::list;
      }
    }
  }

  Status scalar_value(Value& out) {
    std::string v;
    char last = 0;
    until(",", v, last);
    out = typed(v);
    return Status::ok;
  }

  void set(Dict& data, const std::string& key, Value v) {
    if (key.empty()) return;
    data[key] = std::move(v);
  }

  Status key(Dict& data, int nesting) {
    std::string k;
    char last = 0;
    if (!until("=[,.", k, last)) {
      if (k.empty()) return Status::eof;
      return error(fmt::format("key \"{}\" has no value", k));
    }
    switch (last) {
      case '[': {
        auto index = key_index();
        if (!index) return error("error parsing index: " + error_);
        List list;
        if (auto it = data.find(k); it != data.end() && it->second.kind == Kind::list) list = *it->second.list;
        const Status s = list_item(list, *index, nesting);
        set(data, k, Value::of(std::move(list)));
        return s;
      }
      case '=': {
        List list;
        switch (value_list(list)) {
          case ListStatus::list: set(data, k, Value::of(std::move(list))); return Status::ok;
          case ListStatus::eof: set(data, k, Value::of("").with_origin(origin_)); return Status::eof;
          case ListStatus::error: return Status::error;
          case ListStatus::not_list: {
            Value v;
            scalar_value(v);
            set(data, k, std::move(v));
            return Status::ok;
          }
        }
        return Status::ok;
      }
      case ',':
        set(data, k, Value::of(""));
        return error(fmt::format("key \"{}\" has no value (cannot end with ,)", k));
      case '.': {
        if (++nesting > kMaxNesting) return error(fmt::format("value name nested level is greater than maximum supported nested level of {}", kMaxNesting));
        Value inner = Value::empty_dict();
        if (auto it = data.find(k); it != data.end() && it->second.kind == Kind::dict) inner = it->second;
        const Status s = key(*inner.dict, nesting);
        if (s == Status::ok && inner.dict->empty()) return error(fmt::format("key map \"{}\" has no value", k));
        if (!inner.dict->empty()) set(data, k, inner);
        return s;
      }
      default: return error("unexpected token");
    }
  }

  std::optional<std::size_t> key_index() {
    std::string v;
    char last = 0;
    if (!until("]", v, last)) {
      error_ = "unexpected EOF";
      return std::nullopt;
    }
    long long i = 0;
    const auto r = std::from_chars(v.data(), v.data() + v.size(), i);
    if (r.ec != std::errc() || r.ptr != v.data() + v.size()) {
      error_ = fmt::format("strconv.Atoi: parsing \"{}\": invalid syntax", v);
      return std::nullopt;
    }
    if (i < 0) {
      error_ = fmt::format("negative {} index not allowed", i);
      return std::nullopt;
    }
    return static_cast<std::size_t>(i);
  }

  Status set_index(List& list, std::size_t index, Value v) {
    if (index > kMaxIndex) return error(fmt::format("index of {} is greater than maximum supported index of {}", index, kMaxIndex));
    if (list.size() <= index) list.resize(index + 1);
    list[index] = std::move(v);
    return Status::ok;
  }

  Status list_item(List& list, std::size_t index, int nesting) {
    std::string k;
    char last = 0;
    const bool found = until("[.=", k, last);
    if (!k.empty()) return error(fmt::format("unexpected data at end of array index: \"{}\"", k));
    if (!found) return Status::eof;
    switch (last) {
      case '=': {
        List inner;
        switch (value_list(inner)) {
          case ListStatus::list: return set_index(list, index, Value::of(std::move(inner)));
          case ListStatus::eof: return set_index(list, index, Value::of(""));
          case ListStatus::error: return Status::error;
          case ListStatus::not_list: {
            Value v;
            scalar_value(v);
            return set_index(list, index, std::move(v));
          }
        }
        return Status::ok;
      }
      case '[': {
        auto next = key_index();
        if (!next) return error("error parsing index: " + error_);
        List nested;
        if (index < list.size() && list[index].kind == Kind::list) nested = *list[index].list;
        const Status s = list_item(nested, *next, nesting);
        if (s == Status::error) return s;
        return set_index(list, index, Value::of(std::move(nested)));
      }
      case '.': {
        Value inner = Value::empty_dict();
        if (index < list.size() && list[index].kind == Kind::dict) inner = list[index];
        const Status s = key(*inner.dict, nesting);
        if (s == Status::error) return s;
        return set_index(list, index, inner);
      }
      default: return error(fmt::format("parse error: unexpected token {}", last));
    }
  }

  std::string_view in_;
  std::size_t pos_ = 0;
  bool as_string_ = false;
  Origin origin_;
  std::string error_;
};

}  // namespace

Result<void> apply_set(Dict& values, std::string_view expression, bool as_string, Origin origin) {
  return SetParser(expression, as_string, origin).parse(values);
}

}  // namespace constable::helm
