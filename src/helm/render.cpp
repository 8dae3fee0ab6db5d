#include "helm/render.hpp"

#include <algorithm>
#include <chrono>
#include <deque>
#include <fstream>
#include <optional>
#include <sstream>
#include <unordered_map>

#include <fmt/format.h>

#include "core/deep_stack.hpp"
#include "core/files.hpp"
#include "formats/yaml/yaml.hpp"
#include "helm/objects.hpp"
#include "helm/schema.hpp"
#include "helm/template/parser.hpp"
#include "helm/values.hpp"

namespace constable::helm {

namespace {

using tmpl::ErrorKind;

// The origin of `.Release.Namespace`, which `helm install` decides: lines
// that interpolate it are marked rather than attributed to a values file.
const std::string kReleaseNamespaceOrigin = "the release namespace";

// One chart of the render, with its name (alias) and Helm path ("web/charts/db").
struct ChartNode {
  const Chart* chart = nullptr;
  std::string name;
  std::string path;
  std::vector<ChartNode> children;
  Value defaults;  // parsed values.yaml
};

Problem::Kind problem_kind(ErrorKind k) {
  switch (k) {
    case ErrorKind::fail: return Problem::Kind::fail;
    case ErrorKind::unknown_function: return Problem::Kind::unknown_function;
    case ErrorKind::unsupported: return Problem::Kind::unsupported;
    case ErrorKind::limit: return Problem::Kind::limit;
    case ErrorKind::parse: return Problem::Kind::parse;
    case ErrorKind::render: return Problem::Kind::render;
  }
  return Problem::Kind::render;
}

class Renderer {
 public:
  Renderer(const Chart& chart, const RenderOptions& options) : top_(chart), options_(options) {}

  RenderResult run() {
    Dict user = user_values();
    ChartNode root = build(top_, top_.name, top_.name);
    // Dependency conditions and tags are decided on the coalesced values.
    {
      Value probe = deep_copy(Value::of(user));
      coalesce(root, *probe.dict);
      prune(root, probe, *probe.dict);
    }
    Value values = Value::of(std::move(user));
    coalesce(root, *values.dict);
    validate(root, values);
    load_templates(root);
    render_charts(root, values);
    order();
    result_.origin_paths = std::move(origin_paths_);
    return std::move(result_);
  }

 private:
  const std::string* intern(const std::string& s) { return &names_.emplace_back(s); }

  // `path` (owned by a template or a values layer of this render) as a view
  // of the result's own copy, made once per path.
  std::string_view origin_path(const std::string& path) {
    auto [it, inserted] = origin_path_views_.try_emplace(&path);
    if (inserted) it->second = origin_paths_->emplace_back(path);
    return it->second;
  }

  void problem(Problem::Kind kind, std::string message, std::string file, int line = 0, int column = 0) {
    result_.problems.push_back(Problem{kind, std::move(message), std::move(file), line, column});
  }

  Dict user_values() {
    Dict user;
    for (const auto& file : options_.value_files) {
      const std::filesystem::path full = options_.base_dir.empty() ? std::filesystem::path(file) : options_.base_dir / file;
      // Read as the repository's files are: inside base_dir (when given), a regular file, bounded.
      auto text =
          files::read(full, {.max_size = files::kDefaultMaxSize, .confine_to = options_.base_dir, .display = file});
      if (!text) {
        problem(Problem::Kind::values, fmt::format("values file cannot be read: {}", text.error().error.message),
                file);
        continue;
      }
      auto parsed = parse_values(*text, intern(file));
      if (!parsed) {
        problem(Problem::Kind::values, parsed.error().message, file, parsed.error().line, parsed.error().column);
        continue;
      }
      merge_values(user, *parsed->dict);
    }
    auto apply = [&](const std::vector<std::string>& sets, bool as_string) {
      for (const auto& expr : sets) {
        const std::string* origin = intern(as_string ? "--set-string " + expr : "--set " + expr);
        if (auto r = apply_set(user, expr, as_string, Origin{origin, 0}); !r)
          problem(Problem::Kind::values, fmt::format("failed parsing {} data: {}", as_string ? "--set-string" : "--set", r.error().message), *origin);
      }
    };
    apply(options_.set_values, false);
    apply(options_.set_string_values, true);
    return user;
  }

  ChartNode build(const Chart& chart, const std::string& name, const std::string& path) {
    ChartNode node;
    node.chart = &chart;
    node.name = name;
    node.path = path;
    for (const auto& p : chart.problems) result_.problems.push_back(p);
    for (const auto& archive : chart.archived_subcharts)
      problem(Problem::Kind::unsupported, "packaged subchart (.tgz) is not rendered; unpack it into charts/ to check it", archive);
    if (chart.has_values_file) {
      const std::string values_path = chart.display_prefix + "values.yaml";
      auto parsed = chart.values_yaml != nullptr ? values_from(*chart.values_yaml, intern(values_path))
                                                 : parse_values(chart.values_text, intern(values_path));
      if (parsed)
        node.defaults = std::move(*parsed);
      else
        problem(Problem::Kind::values, parsed.error().message, values_path, parsed.error().line, parsed.error().column);
    }
    if (!node.defaults.is_dict()) node.defaults = Value::empty_dict();
    for (const auto& sub : chart.subcharts) {
      std::string sub_name = sub.name;
      for (const auto& dep : chart.dependencies)
        if (dep.name == sub.name && !dep.alias.empty()) sub_name = dep.alias;
      node.children.push_back(build(sub, sub_name, path + "/charts/" + sub_name));
    }
    for (const auto& dep : chart.dependencies) {
      const bool present = std::any_of(chart.subcharts.begin(), chart.subcharts.end(), [&](const Chart& c) { return c.name == dep.name; });
      const bool archived = std::any_of(chart.archived_subcharts.begin(), chart.archived_subcharts.end(),
                                        [&](const std::string& a) { return a.find("/" + dep.name + "-") != std::string::npos; });
      if (!present && !archived) {
        problem(Problem::Kind::missing_dependency,
                fmt::format("found in Chart.yaml, but missing in charts/ directory: {}", dep.name),
                chart.display_prefix + "Chart.yaml");
        result_.problems.back().dependency = dep.name;
        missing_dependencies_.push_back(dep);
      }
    }
    return node;
  }

  // Helm's coalesceGlobals: the parent's globals override the child's.
  static void coalesce_globals(Dict& child, const Dict& parent) {
    Dict globals;
    if (auto it = child.find("global"); it != child.end() && it->second.is_dict()) globals = *deep_copy(it->second).dict;
    if (auto it = parent.find("global"); it != parent.end() && it->second.is_dict()) {
      for (const auto& [key, value] : *it->second.dict) {
        if (value.is_dict()) {
          Value copy = deep_copy(value);
          if (auto existing = globals.find(key); existing != globals.end() && existing->second.is_dict())
            coalesce_into(*copy.dict, *existing->second.dict);
          globals[key] = copy;
        } else {
          globals[key] = value;
        }
      }
    }
    child["global"] = Value::of(std::move(globals));
  }

  void coalesce(const ChartNode& node, Dict& values) {
    coalesce_into(values, *node.defaults.dict);
    for (const auto& child : node.children) {
      auto it = values.find(child.name);
      if (it == values.end() || !it->second.is_dict()) it = values.insert_or_assign(child.name, Value::empty_dict()).first;
      Value child_values = it->second;  // shares the dict
      coalesce_globals(*child_values.dict, values);
      coalesce(child, *child_values.dict);
    }
  }

  static const Value* path_value(const Dict& values, std::string_view path) {
    const Dict* cur = &values;
    const Value* found = nullptr;
    while (!path.empty()) {
      const auto dot = path.find('.');
      const std::string key(path.substr(0, dot));
      const auto it = cur->find(key);
      if (it == cur->end()) return nullptr;
      found = &it->second;
      if (dot == std::string_view::npos) break;
      if (!it->second.is_dict()) return nullptr;
      cur = it->second.dict.get();
      path.remove_prefix(dot + 1);
    }
    return found;
  }

  void prune(ChartNode& node, const Value& top_values, const Dict& values) {
    const Chart& chart = *node.chart;
    std::vector<ChartNode> kept;
    for (auto& child : node.children) {
      bool enabled = true;
      const Dependency* dep = nullptr;
      for (const auto& d : chart.dependencies)
        if (d.name == child.chart->name && (d.alias.empty() || d.alias == child.name)) dep = &d;
      if (dep != nullptr) {
        // Tags: enabled if any tag is true, disabled if all named tags are false.
        if (!dep->tags.empty()) {
          const Value* tags = path_value(*top_values.dict, "tags");
          bool any_true = false, any_set = false;
          for (const auto& tag : dep->tags)
            if (tags != nullptr && tags->is_dict())
              if (auto it = tags->dict->find(tag); it != tags->dict->end() && it->second.kind == Kind::boolean) {
                any_set = true;
                any_true = any_true || it->second.boolean;
              }
          if (any_set) enabled = any_true;
        }
        // Conditions override tags: the first path holding a bool decides.
        std::string_view conditions = dep->condition;
        while (!conditions.empty()) {
          const auto comma = conditions.find(',');
          std::string cond(conditions.substr(0, comma));
          cond.erase(0, cond.find_first_not_of(' '));
          cond.erase(cond.find_last_not_of(' ') + 1);
          if (const Value* v = path_value(values, cond); v != nullptr && v->kind == Kind::boolean) {
            enabled = v->boolean;
            break;
          }
          if (comma == std::string_view::npos) break;
          conditions.remove_prefix(comma + 1);
        }
      }
      if (!enabled) continue;
      const auto it = values.find(child.name);
      static const Dict kEmpty;
      prune(child, top_values, it != values.end() && it->second.is_dict() ? *it->second.dict : kEmpty);
      kept.push_back(std::move(child));
    }
    node.children = std::move(kept);
  }

  void validate(const ChartNode& node, const Value& values) {
    if (!node.chart->schema_text.empty())
      for (auto& p : validate_schema(node.chart->schema_text, node.chart->display_prefix + "values.schema.json", values, node.chart->name))
        result_.problems.push_back(std::move(p));
    for (const auto& child : node.children)
      if (auto it = values.dict->find(child.name); it != values.dict->end()) validate(child, it->second);
  }

  struct TemplateFile {
    const ChartNode* node = nullptr;
    const ChartFile* file = nullptr;
    std::string name;     // Helm's template name: "web/charts/db/templates/x.yaml"
    std::string display;  // workspace path
    std::shared_ptr<tmpl::Tree> tree;
  };

  void collect(const ChartNode& node) {
    for (const auto& f : node.chart->templates)
      files_.push_back(TemplateFile{&node, &f, node.path + "/" + f.name, node.chart->display_prefix + f.name, nullptr});
    for (const auto& child : node.children) collect(child);
  }

  void load_templates(const ChartNode& root) {
    collect(root);
    // Helm parses deeper paths first, so a parent's defines win over a subchart's.
    std::vector<TemplateFile*> order;
    for (auto& f : files_) order.push_back(&f);
    std::sort(order.begin(), order.end(), [](const TemplateFile* a, const TemplateFile* b) {
      const auto ca = std::count(a->name.begin(), a->name.end(), '/');
      const auto cb = std::count(b->name.begin(), b->name.end(), '/');
      if (ca != cb) return ca > cb;
      return a->name > b->name;
    });
    const auto& functions = tmpl::standard_functions();
    auto is_function = [&](std::string_view n) { return functions.contains(n); };
    for (auto* f : order) {
      auto parsed = tmpl::parse(f->name, f->display, f->file->content, is_function);
      if (!parsed) {
        const auto& e = parsed.error();
        const bool unknown = e.message.starts_with(tmpl::kUnknownFunction);
        problem(unknown ? Problem::Kind::unknown_function : Problem::Kind::parse,
                fmt::format("parse error at ({}:{}): {}", f->name, e.line, e.message), e.path, e.line, e.column);
        continue;
      }
      f->tree = parsed->main;
      templates_.add(parsed->main);
      for (auto& d : parsed->defines) templates_.add(d);
    }
  }

  Value chart_data(const ChartNode& node, const Value& values) {
    Dict data;
    data["Values"] = values;
    Dict release;
    release["Name"] = Value::of(options_.release_name);
    release["Namespace"] = Value::of(options_.release_namespace).with_origin(Origin{&kReleaseNamespaceOrigin, 0});
    release["IsUpgrade"] = Value::of(options_.is_upgrade);
    release["IsInstall"] = Value::of(!options_.is_upgrade);
    release["Revision"] = Value::of_int(options_.revision);
    release["Service"] = Value::of("Helm");
    release["Time"] = make_release_time_object(
        options_.deterministic ? options_.deterministic_now_unix
                               : std::chrono::duration_cast<std::chrono::seconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count());
    data["Release"] = Value::of(std::move(release));
    data["Chart"] = make_chart_object(*node.chart);
    data["Capabilities"] = capabilities_;
    data["Files"] = make_files_object(node.chart->files);
    Dict subcharts;
    for (const auto& child : node.children) {
      auto it = values.dict->find(child.name);
      subcharts[child.name] = chart_data(child, it != values.dict->end() && it->second.is_dict() ? it->second : Value::empty_dict());
    }
    data["Subcharts"] = Value::of(std::move(subcharts));
    return Value::of(std::move(data));
  }

  void render_charts(const ChartNode& root, const Value& values) {
    capabilities_ = make_capabilities_object(options_.kube_version, options_.api_versions);
    std::map<const ChartNode*, Value> data;
    std::function<void(const ChartNode&, const Value&)> gather = [&](const ChartNode& node, const Value& v) {
      data[&node] = chart_data(node, v);
      for (const auto& child : node.children) {
        auto it = v.dict->find(child.name);
        gather(child, it != v.dict->end() && it->second.is_dict() ? it->second : Value::empty_dict());
      }
    };
    gather(root, values);

    tmpl::Determinism determinism;
    determinism.enabled = options_.deterministic;
    determinism.now_unix = options_.deterministic_now_unix;
    tmpl::Evaluator evaluator(templates_, tmpl::standard_functions(), options_.limits, determinism);

    std::vector<TemplateFile*> order;
    for (auto& f : files_) order.push_back(&f);
    std::sort(order.begin(), order.end(), [](const TemplateFile* a, const TemplateFile* b) { return a->name < b->name; });
    for (auto* f : order) {
      if (!f->tree) continue;
      const std::string base = f->name.substr(f->name.rfind('/') + 1);
      if (base.starts_with("_")) continue;
      if (f->node->chart->is_library()) continue;
      const bool notes = f->file->name == "templates/NOTES.txt";
      if (notes && f->node != &root) continue;
      // Each template sees its own .Template.
      Value top = Value::of(*data[f->node].dict);
      Dict template_info;
      template_info["Name"] = Value::of(f->name);
      template_info["BasePath"] = Value::of(f->node->path + "/templates");
      (*top.dict)["Template"] = Value::of(std::move(template_info));
      tmpl::Output out;
      auto r = evaluator.execute(*f->tree, top, out);
      if (!r) {
        const auto& e = r.error();
        std::string message = e.message;
        if (e.kind == ErrorKind::fail) message = fmt::format("execution error at ({}:{}:{}): {}", e.file, e.line, e.column, e.message);
        problem(problem_kind(e.kind), std::move(message), e.file, e.line, e.column);
        Problem& added = result_.problems.back();
        added.template_file = f->display;
        if (e.kind == ErrorKind::fail) added.reason = e.message;
        explain_by_missing_dependency(e, added);
        continue;
      }
      remove_no_value(out);
      if (notes) {
        result_.notes = out.text;
        continue;
      }
      split(*f, out);
    }
  }

  // A template that fails because a dependency is not vendored (Helm would
  // not render the chart at all) becomes a needs_dependency problem: it uses
  // a named template no chart here defines, or a nil reached through the
  // dependency's values (.Values.redis.master.service with redis missing).
  void explain_by_missing_dependency(const tmpl::TemplateError& e, Problem& p) const {
    if (missing_dependencies_.empty() || e.kind != ErrorKind::render) return;
    const auto values_key = [](const Dependency& d) { return d.alias.empty() ? d.name : d.alias; };
    const Dependency* dependency = nullptr;
    if (!e.missing_template.empty()) {
      // "redis.fullname" comes from redis; a name of no dependency's from one of them all the same.
      const std::string_view owner = std::string_view(e.missing_template).substr(0, e.missing_template.find('.'));
      for (const auto& d : missing_dependencies_)
        if (d.name == owner || values_key(d) == owner) dependency = &d;
      if (dependency == nullptr) dependency = &missing_dependencies_.front();
      p.reason = fmt::format("template \"{}\"", e.missing_template);
    } else if (!e.nil_path.empty()) {
      const std::string path = e.nil_path + ".";
      for (const auto& d : missing_dependencies_)
        if (path.find(".Values." + values_key(d) + ".") != std::string::npos ||
            path.find(".Values \"" + values_key(d) + "\"") != std::string::npos)  // (index .Values "node-exporter")
          dependency = &d;
      if (dependency == nullptr) return;
      p.reason = fmt::format("{} is nil", e.nil_path);
    } else {
      return;
    }
    p.kind = Problem::Kind::needs_dependency;
    p.dependency = dependency->name;
  }

  // Helm replaces "<no value>" with "" in the rendered text; spans follow.
  static void remove_no_value(tmpl::Output& out) {
    static constexpr std::string_view kNoValue = "<no value>";
    if (out.text.find(kNoValue) == std::string::npos) return;
    std::string text;
    text.reserve(out.text.size());
    std::vector<std::size_t> map(out.text.size() + 1);
    for (std::size_t i = 0; i < out.text.size();) {
      if (out.text.compare(i, kNoValue.size(), kNoValue) == 0) {
        for (std::size_t k = 0; k < kNoValue.size(); ++k) map[i + k] = text.size();
        i += kNoValue.size();
      } else {
        map[i] = text.size();
        text += out.text[i++];
      }
    }
    map[out.text.size()] = text.size();
    for (auto& s : out.spans) s.begin = map[s.begin];
    out.text = std::move(text);
  }

  // Newlines counted so far in one verbatim span: the lines of a long text
  // node (a CRD of 800 KB) are located in one pass, not each from its start.
  struct NewlineCursor {
    const tmpl::Span* span = nullptr;
    std::size_t offset = 0;
    std::ptrdiff_t newlines = 0;
  };

  LineOrigin origin_of(const TemplateFile& f, const tmpl::Output& out, std::size_t line_begin, std::size_t line_end,
                       NewlineCursor& cursor) {
    LineOrigin o;
    o.template_file = origin_path(f.display);
    std::size_t at = line_begin;
    while (at < line_end && (out.text[at] == ' ' || out.text[at] == '\t')) ++at;
    if (at == line_end) at = line_begin;
    auto span_at = [&](std::size_t offset) -> const tmpl::Span* {
      auto it = std::upper_bound(out.spans.begin(), out.spans.end(), offset,
                                 [](std::size_t off, const tmpl::Span& s) { return off < s.begin; });
      if (it == out.spans.begin()) return nullptr;
      return &*std::prev(it);
    };
    if (const tmpl::Span* s = span_at(at)) {
      o.template_file = origin_path(*s->file);
      o.template_line = s->line;
      o.template_column = s->column;
      if (s->verbatim) {
        if (cursor.span != s || cursor.offset > at) cursor = NewlineCursor{s, s->begin, 0};
        cursor.newlines += std::count(out.text.begin() + static_cast<std::ptrdiff_t>(cursor.offset),
                                      out.text.begin() + static_cast<std::ptrdiff_t>(at), '\n');
        cursor.offset = at;
        const auto newlines = cursor.newlines;
        if (newlines > 0) {
          o.template_line += static_cast<int>(newlines);
          o.template_column = static_cast<int>(at - out.text.rfind('\n', at - 1));
        } else {
          o.template_column += static_cast<int>(at - s->begin);
        }
      }
    }
    // The value that explains the line best: the last one interpolated there
    // from an override (-f values-prod.yaml, --set), else the last default.
    auto it = std::upper_bound(out.spans.begin(), out.spans.end(), line_begin,
                               [](std::size_t off, const tmpl::Span& s) { return off < s.begin; });
    if (it != out.spans.begin()) --it;
    bool from_override = false;
    for (; it != out.spans.end() && it->begin < line_end; ++it) {
      if (!it->value) continue;
      if (it->value.file == &kReleaseNamespaceOrigin) {
        o.release_namespace = true;
        continue;
      }
      const std::string& file = *it->value.file;
      const bool is_override = std::string_view(file).substr(file.rfind('/') + 1) != "values.yaml";
      if (from_override && !is_override) continue;
      o.value_file = origin_path(file);
      o.value_line = it->value.line;
      from_override = is_override;
    }
    return o;
  }

  // SplitManifests: documents separated by "---" at a line start, each trimmed; empty ones dropped.
  void split(const TemplateFile& f, const tmpl::Output& out) {
    const std::string& text = out.text;
    std::vector<std::pair<std::size_t, std::size_t>> docs;
    std::size_t start = 0;
    for (std::size_t i = 0; i + 3 <= text.size(); ++i) {
      if (text.compare(i, 3, "---") != 0) continue;
      if (i != 0 && text[i - 1] != '\n') continue;
      docs.emplace_back(start, i);
      std::size_t j = i + 3;
      while (j < text.size() && std::isspace(static_cast<unsigned char>(text[j]))) ++j;
      start = j;
      i = j > 0 ? j - 1 : j;
    }
    docs.emplace_back(start, text.size());
    NewlineCursor cursor;
    for (auto [b, e] : docs) {
      while (b < e && std::isspace(static_cast<unsigned char>(text[b]))) ++b;
      while (e > b && std::isspace(static_cast<unsigned char>(text[e - 1]))) --e;
      if (b == e) continue;
      Manifest m;
      m.source = f.name;
      m.template_file = f.display;
      m.content = text.substr(b, e - b);
      for (std::size_t line = b; line <= e;) {
        std::size_t nl = text.find('\n', line);
        if (nl == std::string::npos || nl > e) nl = e;
        m.lines.push_back(origin_of(f, out, line, nl, cursor));
        line = nl + 1;
      }
      m.parsed = yaml::parse(m.content);
      const yaml::Stream& stream = m.parsed;
      if (!stream.ok()) {
        const auto& err = stream.errors.front();
        const LineOrigin& where = m.lines[std::min<std::size_t>(m.lines.size() - 1, static_cast<std::size_t>(std::max(err.mark.line - 1, 0)))];
        problem(Problem::Kind::manifest, fmt::format("YAML parse error on {}: {}", f.name, err.message), std::string(where.template_file),
                where.template_line, where.template_column);
      } else if (!stream.documents.empty() && stream.documents[0].root != nullptr && stream.documents[0].root->is_mapping()) {
        const yaml::Node* root = stream.documents[0].root;
        if (const auto* kind = root->get("kind"); kind != nullptr && kind->is_scalar()) m.kind = kind->value;
        if (const auto* hook = root->at("metadata", "annotations", "helm.sh/hook"); hook != nullptr) m.hook = true;
      }
      result_.manifests.push_back(std::move(m));
    }
  }

  void order() {
    static const std::vector<std::string_view> kInstallOrder = {
        "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange", "PodSecurityPolicy", "PodDisruptionBudget",
        "ServiceAccount", "Secret", "SecretList", "ConfigMap", "StorageClass", "PersistentVolume",
        "PersistentVolumeClaim", "CustomResourceDefinition", "ClusterRole", "ClusterRoleList", "ClusterRoleBinding",
        "ClusterRoleBindingList", "Role", "RoleList", "RoleBinding", "RoleBindingList", "Service", "DaemonSet", "Pod",
        "ReplicationController", "ReplicaSet", "Deployment", "HorizontalPodAutoscaler", "StatefulSet", "Job",
        "CronJob", "IngressClass", "Ingress", "APIService"};
    auto rank = [&](const std::string& kind) -> std::ptrdiff_t {
      const auto it = std::find(kInstallOrder.begin(), kInstallOrder.end(), kind);
      return it == kInstallOrder.end() ? -1 : it - kInstallOrder.begin();
    };
    auto less = [&](const Manifest& a, const Manifest& b) {
      const auto ra = rank(a.kind), rb = rank(b.kind);
      if (ra < 0 && rb < 0) return a.kind < b.kind;
      if (ra < 0) return false;
      if (rb < 0) return true;
      return ra < rb;
    };
    // Files are already in path order and documents in file order; sort stably by kind, hooks last.
    std::stable_partition(result_.manifests.begin(), result_.manifests.end(), [](const Manifest& m) { return !m.hook; });
    const auto hooks = std::find_if(result_.manifests.begin(), result_.manifests.end(), [](const Manifest& m) { return m.hook; });
    std::stable_sort(result_.manifests.begin(), hooks, less);
    std::stable_sort(hooks, result_.manifests.end(), less);
  }

  const Chart& top_;
  const RenderOptions& options_;
  RenderResult result_;
  std::deque<std::string> names_;
  std::shared_ptr<std::deque<std::string>> origin_paths_ = std::make_shared<std::deque<std::string>>();
  std::unordered_map<const std::string*, std::string_view> origin_path_views_;
  std::vector<TemplateFile> files_;
  tmpl::TemplateSet templates_;
  Value capabilities_;
  std::vector<Dependency> missing_dependencies_;  // named in a Chart.yaml, absent from charts/
};

}  // namespace

RenderResult render(const Chart& chart, const RenderOptions& options) {
  // Templates may nest include/template 1000 deep (Helm's limit), and the
  // evaluator recurses.
  RenderResult result;
  // A template reads the chart's .Files as it runs: heard of by the caller's
  // observer, on whichever thread the render runs.
  files::ReadObserver* const observer = files::ObserveReads::this_threads();
  deep_stack::run([&] {
    std::optional<files::ObserveReads> observing;
    if (observer != nullptr) observing.emplace(*observer, files::ObserveReads::On::this_thread);
    result = Renderer(chart, options).run();
  });
  return result;
}

std::string helm_template_output(const RenderResult& result) {
  std::string out;
  for (const auto& m : result.manifests) out += fmt::format("---\n# Source: {}\n{}\n", m.source, m.content);
  return out;
}

}  // namespace constable::helm
