#include "helm/schema.hpp"

#include <re2/re2.h>

#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "helm/values.hpp"

namespace constable::helm {

namespace {

using json = nlohmann::json;

std::string json_type_of(const Value& v) {
  switch (v.kind) {
    case Kind::nil: return "null";
    case Kind::boolean: return "boolean";
    case Kind::integer: return "integer";
    case Kind::floating: return std::trunc(v.floating) == v.floating ? "integer" : "number";
    case Kind::string: return "string";
    case Kind::list: return "array";
    case Kind::dict: return "object";
    default: return "object";
  }
}

bool type_matches(const std::string& type, const Value& v) {
  const std::string actual = json_type_of(v);
  return type == actual || (type == "number" && actual == "integer");
}

class Validator {
 public:
  Validator(const json& root, const std::string& file, const std::string& chart) : root_(root), file_(file), chart_(chart) {}
  std::vector<Problem> problems;

  void check(const json& schema, const Value& v, const std::string& path, Origin parent_origin, int depth = 0) {
    if (depth > 64 || !schema.is_object()) return;
    const Origin origin = v.origin ? v.origin : parent_origin;
    if (const auto ref = schema.find("$ref"); ref != schema.end() && ref->is_string()) {
      const std::string r = ref->get<std::string>();
      if (r.starts_with("#/")) {
        try {
          const json& target = root_.at(json::json_pointer(r.substr(1)));
          check(target, v, path, origin, depth + 1);
        } catch (...) {
          report(origin, path, fmt::format("unresolvable $ref {}", r));
        }
      }
      return;
    }
    if (const auto type = schema.find("type"); type != schema.end()) {
      bool ok = false;
      std::string expected;
      if (type->is_string()) {
        ok = type_matches(type->get<std::string>(), v);
        expected = type->get<std::string>();
      } else if (type->is_array()) {
        for (const auto& t : *type) {
          if (!t.is_string()) continue;
          ok = ok || type_matches(t.get<std::string>(), v);
          expected += (expected.empty() ? "" : ", ") + t.get<std::string>();
        }
      } else {
        ok = true;
      }
      if (!ok) {
        report(origin, path, fmt::format("Invalid type. Expected: {}, given: {}", expected, json_type_of(v)),
               v.kind == Kind::nil ? path_name(path) : std::string());
        return;
      }
    }
    if (const auto e = schema.find("enum"); e != schema.end() && e->is_array()) {
      bool found = false;
      for (const auto& option : *e) found = found || deep_equal_json(option, v);
      if (!found) {
        std::string options;
        for (const auto& option : *e) options += (options.empty() ? "" : ", ") + option.dump();
        report(origin, path, fmt::format("{} must be one of the following: {}", path_name(path), options));
      }
    }
    if (const auto c = schema.find("const"); c != schema.end() && !deep_equal_json(*c, v))
      report(origin, path, fmt::format("{} does not match: {}", path_name(path), c->dump()));
    if (v.is_number()) {
      const double x = v.kind == Kind::integer ? static_cast<double>(v.integer) : v.floating;
      auto bound = [&](const char* key, auto fails, const char* words) {
        if (const auto b = schema.find(key); b != schema.end() && b->is_number() && fails(x, b->get<double>()))
          report(origin, path, fmt::format("Must be {} {}", words, format_v(Value::of_float(b->get<double>()))));
      };
      bound("minimum", [](double a, double b) { return a < b; }, "greater than or equal to");
      bound("maximum", [](double a, double b) { return a > b; }, "less than or equal to");
      bound("exclusiveMinimum", [](double a, double b) { return a <= b; }, "greater than");
      bound("exclusiveMaximum", [](double a, double b) { return a >= b; }, "less than");
    }
    if (v.is_string()) {
      std::size_t runes = 0;
      for (char ch : v.string)
        if ((static_cast<unsigned char>(ch) & 0xC0) != 0x80) ++runes;
      if (const auto m = schema.find("minLength"); m != schema.end() && m->is_number() && runes < m->get<std::size_t>())
        report(origin, path, fmt::format("String length must be greater than or equal to {}", m->get<std::size_t>()));
      if (const auto m = schema.find("maxLength"); m != schema.end() && m->is_number() && runes > m->get<std::size_t>())
        report(origin, path, fmt::format("String length must be less than or equal to {}", m->get<std::size_t>()));
      if (const auto p = schema.find("pattern"); p != schema.end() && p->is_string()) {
        RE2::Options options;
        options.set_log_errors(false);
        RE2 re(p->get<std::string>(), options);
        if (re.ok() && !RE2::PartialMatch(v.string, re))
          report(origin, path, fmt::format("Does not match pattern '{}'", p->get<std::string>()));
      }
    }
    if (v.is_list()) {
      if (const auto m = schema.find("minItems"); m != schema.end() && m->is_number() && v.list->size() < m->get<std::size_t>())
        report(origin, path, fmt::format("Array must have at least {} items", m->get<std::size_t>()));
      if (const auto m = schema.find("maxItems"); m != schema.end() && m->is_number() && v.list->size() > m->get<std::size_t>())
        report(origin, path, fmt::format("Array must have at most {} items", m->get<std::size_t>()));
      if (const auto items = schema.find("items"); items != schema.end() && items->is_object())
        for (std::size_t i = 0; i < v.list->size(); ++i)
          check(*items, (*v.list)[i], fmt::format("{}.{}", path, i), origin, depth + 1);
    }
    if (v.is_dict()) {
      if (const auto req = schema.find("required"); req != schema.end() && req->is_array())
        for (const auto& name : *req)
          if (name.is_string() && !v.dict->contains(name.get<std::string>()))
            report(origin, path, fmt::format("{} is required", name.get<std::string>()),
                   path.empty() ? name.get<std::string>() : path + "." + name.get<std::string>());
      const auto props = schema.find("properties");
      for (const auto& [key, item] : *v.dict) {
        const std::string sub = path.empty() ? key : path + "." + key;
        if (props != schema.end() && props->is_object() && props->contains(key)) {
          check((*props)[key], item, sub, origin, depth + 1);
        } else if (const auto extra = schema.find("additionalProperties"); extra != schema.end()) {
          if (extra->is_boolean() && !extra->get<bool>())
            report(item.origin ? item.origin : origin, path, fmt::format("Additional property {} is not allowed", key));
          else if (extra->is_object())
            check(*extra, item, sub, origin, depth + 1);
        }
      }
    }
    if (const auto all = schema.find("allOf"); all != schema.end() && all->is_array())
      for (const auto& s : *all) check(s, v, path, origin, depth + 1);
    auto count_matches = [&](const json& list) {
      int n = 0;
      for (const auto& s : list) {
        Validator probe(root_, file_, chart_);
        probe.check(s, v, path, origin, depth + 1);
        if (probe.problems.empty()) ++n;
      }
      return n;
    };
    if (const auto any = schema.find("anyOf"); any != schema.end() && any->is_array() && count_matches(*any) == 0)
      report(origin, path, "Must validate at least one schema (anyOf)");
    if (const auto one = schema.find("oneOf"); one != schema.end() && one->is_array() && count_matches(*one) != 1)
      report(origin, path, "Must validate one and only one schema (oneOf)");
    if (const auto n = schema.find("not"); n != schema.end() && n->is_object()) {
      Validator probe(root_, file_, chart_);
      probe.check(*n, v, path, origin, depth + 1);
      if (probe.problems.empty()) report(origin, path, "Must not validate the schema (not)");
    }
  }

 private:
  static std::string path_name(const std::string& path) { return path.empty() ? "(root)" : path; }

  static bool deep_equal_json(const json& j, const Value& v) {
    Value jv = value_from_json(j);
    if (jv.kind == Kind::floating && v.kind == Kind::integer) return jv.floating == static_cast<double>(v.integer);
    Value stripped = v;
    return deep_equal(jv, stripped);
  }

  // `unset`: the path of a value the schema requires and the values leave
  // null or absent ("policy: # REQUIRED"), which whoever installs the chart
  // gives; "" for a value that is there and wrong.
  void report(Origin origin, const std::string& path, std::string message, std::string unset = {}) {
    Problem p;
    p.kind = unset.empty() ? Problem::Kind::schema : Problem::Kind::unset_value;
    p.reason = std::move(unset);
    p.message = fmt::format("values don't meet the specifications of the schema(s) in the following chart(s):\n{}:\n- {}: {}",
                            chart_, path_name(path), message);
    if (origin) {
      p.file = *origin.file;
      p.line = origin.line;
    } else {
      p.file = file_;
    }
    problems.push_back(std::move(p));
  }

  const json& root_;
  const std::string& file_;
  const std::string& chart_;
};

}  // namespace

std::vector<Problem> validate_schema(std::string_view schema_text, const std::string& schema_file, const Value& values,
                                     const std::string& chart_name) {
  const json schema = json::parse(schema_text, nullptr, false);
  if (schema.is_discarded())
    return {Problem{Problem::Kind::schema, "values.schema.json is not valid JSON", schema_file, 0, 0}};
  Validator v(schema, schema_file, chart_name);
  v.check(schema, values, "", Origin{});
  return std::move(v.problems);
}

}  // namespace constable::helm
