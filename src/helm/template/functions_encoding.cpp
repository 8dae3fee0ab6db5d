// Serialisation, encodings and checksums: toYaml, fromYaml, fromYamlArray,
// toJson, toPrettyJson, toRawJson, fromJson, fromJsonArray, b64enc,
// b64dec, b32enc, sha1sum, sha256sum, adler32sum.

#include <fmt/format.h>

#include "core/digest.hpp"
#include "formats/yaml/yaml.hpp"
#include "helm/template/digest.hpp"
#include "helm/template/functions.hpp"
#include "helm/template/serialize.hpp"
#include "helm/values.hpp"

namespace constable::helm::tmpl {

namespace {

using Args = std::span<const Value>;

// sigs.k8s.io/yaml.Unmarshal into interface{}; nullopt with the error text.
std::optional<Value> parse_yaml(std::string_view text, std::string& error) {
  const auto stream = yaml::parse(text);
  if (!stream.errors.empty() && stream.errors.front().fatal) {
    error = fmt::format("error converting YAML to JSON: yaml: line {}: {}", stream.errors.front().mark.line,
                        stream.errors.front().message);
    return std::nullopt;
  }
  if (stream.documents.empty() || stream.documents[0].root == nullptr) return Value{};
  return value_from_yaml(stream.documents[0].root, nullptr);
}

Value strip_origins(Value v) {
  v.origin = {};
  return v;
}

void pretty_json(std::string& out, const Value& v, int depth) {
  const std::string pad(static_cast<std::size_t>(depth + 1) * 2, ' ');
  const std::string close_pad(static_cast<std::size_t>(depth) * 2, ' ');
  if (v.kind == Kind::list && !v.list->empty()) {
    out += "[\n";
    for (std::size_t i = 0; i < v.list->size(); ++i) {
      out += pad;
      pretty_json(out, (*v.list)[i], depth + 1);
      out += i + 1 < v.list->size() ? ",\n" : "\n";
    }
    out += close_pad + "]";
  } else if (v.kind == Kind::dict && !v.dict->empty()) {
    out += "{\n";
    std::size_t i = 0;
    for (const auto& [k, item] : *v.dict) {
      out += pad + to_json(Value::of(k)) + ": ";
      pretty_json(out, item, depth + 1);
      out += ++i < v.dict->size() ? ",\n" : "\n";
    }
    out += close_pad + "}";
  } else {
    out += to_json(v);
  }
}

std::string unescape_html(std::string s) {
  auto replace = [&](std::string_view from, std::string_view to) {
    for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
      s.replace(at, from.size(), to);
  };
  replace("\\u003c", "<");
  replace("\\u003e", ">");
  replace("\\u0026", "&");
  return s;
}

}  // namespace

void add_encoding_functions(FunctionTable& t) {
  using P = Param;
  t["toYaml"] = Function{{P::any}, false, [](Call&, Args a) -> Expected<Value> {
                           std::string s = to_yaml_document(a[0]);
                           if (s.ends_with('\n')) s.pop_back();
                           return Value::of(std::move(s));
                         }};
  t["mustToYaml"] = t["toYaml"];
  t["toJson"] = Function{{P::any}, false, [](Call&, Args a) -> Expected<Value> { return Value::of(to_json(a[0])); }};
  t["mustToJson"] = t["toJson"];
  t["toRawJson"] = Function{{P::any}, false, [](Call&, Args a) -> Expected<Value> {
                              return Value::of(unescape_html(to_json(a[0])));
                            }};
  t["mustToRawJson"] = t["toRawJson"];
  t["toPrettyJson"] = Function{{P::any}, false, [](Call&, Args a) -> Expected<Value> {
                                 std::string out;
                                 pretty_json(out, a[0], 0);
                                 return Value::of(std::move(out));
                               }};
  t["mustToPrettyJson"] = t["toPrettyJson"];
  t["fromYaml"] = Function{{P::string}, false, [](Call&, Args a) -> Expected<Value> {
                             std::string error;
                             auto v = parse_yaml(a[0].string, error);
                             if (v && (v->is_dict() || v->is_nil())) return v->is_nil() ? Value::empty_dict() : strip_origins(*v);
                             if (v) error = "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal " +
                                            std::string(v->is_list() ? "array" : "string") +
                                            " into Go value of type map[string]interface {}";
                             Dict d;
                             d["Error"] = Value::of(error);
                             return Value::of(std::move(d));
                           }};
  t["fromYamlArray"] = Function{{P::string}, false, [](Call&, Args a) -> Expected<Value> {
                                  std::string error;
                                  auto v = parse_yaml(a[0].string, error);
                                  if (v && (v->is_list() || v->is_nil())) return v->is_nil() ? Value::of(List{}) : strip_origins(*v);
                                  if (v) error = "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal " +
                                                 std::string(v->is_dict() ? "object" : "string") +
                                                 " into Go value of type []interface {}";
                                  return Value::of(List{Value::of(error)});
                                }};
  t["fromJson"] = Function{{P::string}, false, [](Call&, Args a) -> Expected<Value> {
                             const auto j = nlohmann::json::parse(a[0].string, nullptr, false);
                             Dict d;
                             if (j.is_discarded()) {
                               d["Error"] = Value::of("invalid character in JSON input");
                             } else if (!j.is_object()) {
                               d["Error"] = Value::of("json: cannot unmarshal " + std::string(j.type_name()) +
                                                      " into Go value of type map[string]interface {}");
                             } else {
                               return value_from_json(j);
                             }
                             return Value::of(std::move(d));
                           }};
  t["fromJsonArray"] = Function{{P::string}, false, [](Call&, Args a) -> Expected<Value> {
                                  const auto j = nlohmann::json::parse(a[0].string, nullptr, false);
                                  if (j.is_discarded()) return Value::of(List{Value::of("invalid character in JSON input")});
                                  if (!j.is_array())
                                    return Value::of(List{Value::of("json: cannot unmarshal " + std::string(j.type_name()) +
                                                                    " into Go value of type []interface {}")});
                                  return value_from_json(j);
                                }};
  t["b64enc"] = Function{{P::string}, false, [](Call&, Args a) -> Expected<Value> { return Value::of(base64_encode(a[0].string)); }};
  t["b64dec"] = Function{{P::string}, false, [](Call&, Args a) -> Expected<Value> {
                           std::string error;
                           auto d = base64_decode(a[0].string, &error);
                           return Value::of(d ? *d : error);
                         }};
  t["b32enc"] = Function{{P::string}, false, [](Call&, Args a) -> Expected<Value> { return Value::of(base32_encode(a[0].string)); }};
  t["sha1sum"] = Function{{P::string}, false, [](Call&, Args a) -> Expected<Value> { return Value::of(digest::sha1_hex(a[0].string)); }};
  t["sha256sum"] = Function{{P::string}, false, [](Call&, Args a) -> Expected<Value> { return Value::of(digest::sha256_hex(a[0].string)); }};
  t["adler32sum"] = Function{{P::string}, false, [](Call&, Args a) -> Expected<Value> {
                               return Value::of(std::to_string(adler32(a[0].string)));
                             }};
}

}  // namespace constable::helm::tmpl
