// Sprig's list and dict functions. `keys` and `values` return sorted
// results (Sprig iterates a Go map, i.e. in random order) so that output is
// deterministic.

#include <algorithm>

#include <fmt/format.h>

#include "helm/template/functions.hpp"

namespace constable::helm::tmpl {

namespace {

using Args = std::span<const Value>;

Expected<const List*> as_list(const Value& v, std::string_view what) {
  if (v.kind == Kind::list) return v.list.get();
  if (v.is_nil()) return func_error("runtime error: invalid memory address or nil pointer dereference");
  return func_error(fmt::format("Cannot {} on type {}", what, type_name(v)));
}

Value list_of(List items) { return Value::of(std::move(items)); }

// mergo.Merge (fill empty or missing keys) or mergo.Merge(WithOverride).
void merge_into(Dict& dst, const Dict& src, bool overwrite) {
  for (const auto& [key, value] : src) {
    auto it = dst.find(key);
    if (it != dst.end() && it->second.kind == Kind::dict && value.kind == Kind::dict) {
      merge_into(*it->second.dict, *value.dict, overwrite);
      continue;
    }
    if (it == dst.end()) {
      dst.emplace(key, value);
    } else if (overwrite ? !value.is_nil() : empty(it->second)) {
      it->second = value;
    }
  }
}

Expected<Value> merge_fn(Args a, bool overwrite) {
  Value dst = a[0].is_nil() ? Value::empty_dict() : a[0];
  for (std::size_t i = 1; i < a.size(); ++i)
    if (a[i].kind == Kind::dict) merge_into(*dst.dict, *a[i].dict, overwrite);
  return dst;
}

}  // namespace

void add_list_functions(FunctionTable& t) {
  using P = Param;
  auto list = [](Call&, Args a) -> Expected<Value> { return list_of(List(a.begin(), a.end())); };
  t["list"] = Function{{P::any}, true, list};
  t["tuple"] = Function{{P::any}, true, list};
  t["dict"] = Function{{P::any}, true, [](Call&, Args a) -> Expected<Value> {
                         Dict d;
                         for (std::size_t i = 0; i < a.size(); i += 2)
                           d[to_go_string(a[i])] = i + 1 < a.size() ? a[i + 1] : Value::of("");
                         return Value::of(std::move(d));
                       }};
  t["get"] = Function{{P::dict, P::string}, false, [](Call&, Args a) -> Expected<Value> {
                        if (a[0].is_nil()) return Value::of("");
                        const auto it = a[0].dict->find(a[1].string);
                        return it == a[0].dict->end() ? Value::of("") : it->second;
                      }};
  t["set"] = Function{{P::dict, P::string, P::any}, false, [](Call&, Args a) -> Expected<Value> {
                        if (a[0].is_nil()) return func_error("assignment to entry in nil map");
                        (*a[0].dict)[a[1].string] = a[2];
                        return a[0];
                      }};
  t["unset"] = Function{{P::dict, P::string}, false, [](Call&, Args a) -> Expected<Value> {
                          if (!a[0].is_nil()) a[0].dict->erase(a[1].string);
                          return a[0];
                        }};
  t["hasKey"] = Function{{P::dict, P::string}, false, [](Call&, Args a) -> Expected<Value> {
                           return Value::of(!a[0].is_nil() && a[0].dict->contains(a[1].string));
                         }};
  t["keys"] = Function{{P::dict}, true, [](Call&, Args a) -> Expected<Value> {
                         std::vector<std::string> keys;
                         for (const auto& d : a)
                           if (d.kind == Kind::dict)
                             for (const auto& [k, v] : *d.dict) keys.push_back(k);
                         std::sort(keys.begin(), keys.end());
                         return make_strings(std::move(keys));
                       }};
  t["values"] = Function{{P::dict}, false, [](Call&, Args a) -> Expected<Value> {
                           List out;
                           if (!a[0].is_nil())
                             for (const auto& [k, v] : *a[0].dict) out.push_back(v);
                           return list_of(std::move(out));
                         }};
  t["pick"] = Function{{P::dict, P::string}, true, [](Call&, Args a) -> Expected<Value> {
                         Dict out;
                         if (!a[0].is_nil())
                           for (std::size_t i = 1; i < a.size(); ++i)
                             if (const auto it = a[0].dict->find(a[i].string); it != a[0].dict->end()) out.emplace(*it);
                         return Value::of(std::move(out));
                       }};
  t["omit"] = Function{{P::dict, P::string}, true, [](Call&, Args a) -> Expected<Value> {
                         Dict out;
                         if (!a[0].is_nil()) out = *a[0].dict;
                         for (std::size_t i = 1; i < a.size(); ++i) out.erase(a[i].string);
                         return Value::of(std::move(out));
                       }};
  t["merge"] = Function{{P::dict, P::dict}, true, [](Call&, Args a) { return merge_fn(a, false); }};
  t["mustMerge"] = t["merge"];
  t["mergeOverwrite"] = Function{{P::dict, P::dict}, true, [](Call&, Args a) { return merge_fn(a, true); }};
  t["mustMergeOverwrite"] = t["mergeOverwrite"];
  t["deepCopy"] = Function{{P::any}, false, [](Call&, Args a) -> Expected<Value> { return deep_copy(a[0]); }};
  t["mustDeepCopy"] = t["deepCopy"];
  t["pluck"] = Function{{P::string, P::dict}, true, [](Call&, Args a) -> Expected<Value> {
                          List out;
                          for (std::size_t i = 1; i < a.size(); ++i)
                            if (!a[i].is_nil())
                              if (const auto it = a[i].dict->find(a[0].string); it != a[i].dict->end())
                                out.push_back(it->second);
                          return list_of(std::move(out));
                        }};
  t["dig"] = Function{{P::any, P::any}, true, [](Call&, Args a) -> Expected<Value> {
                        if (a.size() < 3) return func_error("dig needs at least three arguments");
                        const Value& dict = a.back();
                        const Value& fallback = a[a.size() - 2];
                        if (dict.kind != Kind::dict)
                          return func_error(fmt::format("interface conversion: interface {{}} is {}, not map[string]interface {{}}", type_name(dict)));
                        const Value* cur = &dict;
                        for (std::size_t i = 0; i + 2 < a.size(); ++i) {
                          if (cur->kind != Kind::dict) return fallback;
                          const auto it = cur->dict->find(to_go_string(a[i]));
                          if (it == cur->dict->end()) return fallback;
                          cur = &it->second;
                        }
                        return *cur;
                      }};
  t["first"] = Function{{P::any}, false, [](Call&, Args a) -> Expected<Value> {
                          auto l = as_list(a[0], "find first");
                          if (!l) return std::unexpected(l.error());
                          return (*l)->empty() ? Value{} : (*l)->front();
                        }};
  t["last"] = Function{{P::any}, false, [](Call&, Args a) -> Expected<Value> {
                         auto l = as_list(a[0], "find last");
                         if (!l) return std::unexpected(l.error());
                         return (*l)->empty() ? Value{} : (*l)->back();
                       }};
  t["rest"] = Function{{P::any}, false, [](Call&, Args a) -> Expected<Value> {
                         auto l = as_list(a[0], "find rest");
                         if (!l) return std::unexpected(l.error());
                         if ((*l)->empty()) return Value{};
                         return list_of(List((*l)->begin() + 1, (*l)->end()));
                       }};
  t["initial"] = Function{{P::any}, false, [](Call&, Args a) -> Expected<Value> {
                            auto l = as_list(a[0], "find initial");
                            if (!l) return std::unexpected(l.error());
                            if ((*l)->empty()) return Value{};
                            return list_of(List((*l)->begin(), (*l)->end() - 1));
                          }};
  auto push = [](Call&, Args a) -> Expected<Value> {
    auto l = as_list(a[0], "push");
    if (!l) return std::unexpected(l.error());
    List out = **l;
    out.push_back(a[1]);
    return list_of(std::move(out));
  };
  t["append"] = Function{{P::any, P::any}, false, push};
  t["push"] = Function{{P::any, P::any}, false, push};
  t["mustAppend"] = t["append"];
  t["prepend"] = Function{{P::any, P::any}, false, [](Call&, Args a) -> Expected<Value> {
                            auto l = as_list(a[0], "prepend");
                            if (!l) return std::unexpected(l.error());
                            List out;
                            out.push_back(a[1]);
                            out.insert(out.end(), (*l)->begin(), (*l)->end());
                            return list_of(std::move(out));
                          }};
  t["has"] = Function{{P::any, P::any}, false, [](Call&, Args a) -> Expected<Value> {
                        if (a[1].is_nil()) return Value::of(false);
                        auto l = as_list(a[1], "find has");
                        if (!l) return std::unexpected(l.error());
                        for (const auto& item : **l)
                          if (deep_equal(item, a[0])) return Value::of(true);
                        return Value::of(false);
                      }};
  t["without"] = Function{{P::any, P::any}, true, [](Call&, Args a) -> Expected<Value> {
                            auto l = as_list(a[0], "find without");
                            if (!l) return std::unexpected(l.error());
                            List out;
                            for (const auto& item : **l) {
                              bool drop = false;
                              for (std::size_t i = 1; i < a.size() && !drop; ++i) drop = deep_equal(item, a[i]);
                              if (!drop) out.push_back(item);
                            }
                            return list_of(std::move(out));
                          }};
  t["uniq"] = Function{{P::any}, false, [](Call&, Args a) -> Expected<Value> {
                         auto l = as_list(a[0], "find uniq");
                         if (!l) return std::unexpected(l.error());
                         List out;
                         for (const auto& item : **l)
                           if (std::none_of(out.begin(), out.end(), [&](const Value& o) { return deep_equal(o, item); }))
                             out.push_back(item);
                         return list_of(std::move(out));
                       }};
  t["compact"] = Function{{P::any}, false, [](Call&, Args a) -> Expected<Value> {
                            auto l = as_list(a[0], "compact");
                            if (!l) return std::unexpected(l.error());
                            List out;
                            for (const auto& item : **l)
                              if (!empty(item)) out.push_back(item);
                            return list_of(std::move(out));
                          }};
  t["concat"] = Function{{P::any}, true, [](Call&, Args a) -> Expected<Value> {
                           List out;
                           for (const auto& l : a) {
                             if (l.is_nil()) continue;
                             if (l.kind != Kind::list) return func_error(fmt::format("Cannot concat type {} as list", type_name(l)));
                             out.insert(out.end(), l.list->begin(), l.list->end());
                           }
                           return list_of(std::move(out));
                         }};
  t["reverse"] = Function{{P::any}, false, [](Call&, Args a) -> Expected<Value> {
                            auto l = as_list(a[0], "find reverse");
                            if (!l) return std::unexpected(l.error());
                            return list_of(List((*l)->rbegin(), (*l)->rend()));
                          }};
  t["sortAlpha"] = Function{{P::any}, false, [](Call&, Args a) -> Expected<Value> {
                              auto items = to_strings(a[0]);
                              std::sort(items.begin(), items.end());
                              return make_strings(std::move(items));
                            }};
  t["chunk"] = Function{{P::go_int, P::any}, false, [](Call&, Args a) -> Expected<Value> {
                          auto l = as_list(a[1], "chunk");
                          if (!l) return std::unexpected(l.error());
                          if (a[0].integer <= 0) return func_error("chunk size must be positive");
                          List out;
                          for (std::size_t i = 0; i < (*l)->size(); i += static_cast<std::size_t>(a[0].integer)) {
                            const std::size_t end = std::min((*l)->size(), i + static_cast<std::size_t>(a[0].integer));
                            out.push_back(list_of(List((*l)->begin() + static_cast<std::ptrdiff_t>(i), (*l)->begin() + static_cast<std::ptrdiff_t>(end))));
                          }
                          return list_of(std::move(out));
                        }};
  auto int_range = [](Call& c, std::int64_t start, std::int64_t stop, std::int64_t step) -> Expected<Value> {
    List out;
    if (step == 0) return list_of(std::move(out));
    const std::int64_t count = step > 0 ? (stop - start + step - 1) / step : (start - stop - step - 1) / -step;
    if (count > static_cast<std::int64_t>(c.max_items))
      return func_error(fmt::format("{}: {} elements exceed the limit of {}", c.name, count, c.max_items), ErrorKind::limit);
    for (std::int64_t i = start; step > 0 ? i < stop : i > stop; i += step) out.push_back(Value::of_int(i));
    return list_of(std::move(out));
  };
  t["until"] = Function{{P::go_int}, false, [int_range](Call& c, Args a) {
                          return int_range(c, 0, a[0].integer, a[0].integer >= 0 ? 1 : -1);
                        }};
  t["untilStep"] = Function{{P::go_int, P::go_int, P::go_int}, false, [int_range](Call& c, Args a) {
                              return int_range(c, a[0].integer, a[1].integer, a[2].integer);
                            }};
  t["seq"] = Function{{P::go_int}, true, [int_range](Call& c, Args a) -> Expected<Value> {
                        std::int64_t start = 1, stop = 0, step = 1;
                        if (a.size() == 1) {
                          stop = a[0].integer;
                          step = stop >= start ? 1 : -1;
                        } else if (a.size() == 2) {
                          start = a[0].integer;
                          stop = a[1].integer;
                          step = stop >= start ? 1 : -1;
                        } else if (a.size() == 3) {
                          start = a[0].integer;
                          step = a[1].integer;
                          stop = a[2].integer;
                        } else {
                          return Value::of("");
                        }
                        // seq includes its end.
                        auto r = int_range(c, start, step > 0 ? stop + 1 : stop - 1, step);
                        if (!r) return r;
                        std::string out;
                        for (const auto& v : *r->list) out += (out.empty() ? "" : " ") + std::to_string(v.integer);
                        return Value::of(std::move(out));
                      }};
  // Sprig's must* variants return an error instead of panicking; ours never panic.
  for (const char* name : {"first", "last", "rest", "initial", "prepend", "has", "without", "uniq", "compact", "reverse"})
    if (t.contains(name)) t[std::string("must") + static_cast<char>(name[0] - 'a' + 'A') + (name + 1)] = t[name];
}

}  // namespace constable::helm::tmpl
