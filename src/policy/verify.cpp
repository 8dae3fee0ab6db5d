#include "policy/verify.hpp"

#include <algorithm>
#include <functional>
#include <map>

#include <fmt/format.h>
#include <re2/re2.h>

#include "core/files.hpp"
#include "formats/yaml/yaml.hpp"
#include "kube/manifests.hpp"
#include "policy/gatekeeper.hpp"

namespace constable::policy {

namespace fs = std::filesystem;

namespace {

struct LoadedYaml {
  std::string text;
  yaml::Stream stream;
};

Result<std::shared_ptr<LoadedYaml>> load_yaml(const fs::path& file) {
  auto text = files::read(file);
  if (!text) return std::unexpected(text.error().error);
  auto loaded = std::make_shared<LoadedYaml>();
  loaded->text = std::move(*text);
  loaded->stream = yaml::parse(loaded->text);
  if (!loaded->stream.ok()) {
    const auto& e = loaded->stream.errors.front();
    return fail(e.message, file.string(), e.mark.line, e.mark.column);
  }
  return loaded;
}

const yaml::Node* first_root(const LoadedYaml& loaded) {
  for (const auto& document : loaded.stream.documents) {
    if (document.root != nullptr && !document.root->is_null()) return document.root;
  }
  return nullptr;
}

// gator's inventory: data.inventory.namespace[ns][apiVersion][kind][name] and .cluster[apiVersion][kind][name].
rego::Value add_to_inventory(const rego::Value& inventory, const rego::Value& object) {
  auto text = [&](std::initializer_list<std::string_view> path) {
    const rego::Value* v = &object;
    for (auto key : path) {
      v = v->get(key);
      if (v == nullptr) return std::string();
    }
    return v->is_string() ? v->as_string() : std::string();
  };
  const std::string ns = text({"metadata", "namespace"});
  std::vector<std::string> path = ns.empty() ? std::vector<std::string>{"cluster"} : std::vector<std::string>{"namespace", ns};
  path.push_back(text({"apiVersion"}));
  path.push_back(text({"kind"}));
  path.push_back(text({"metadata", "name"}));
  std::function<rego::Value(const rego::Value&, std::size_t)> put = [&](const rego::Value& base, std::size_t i) {
    if (i == path.size()) return object;
    rego::Object entries = base.is_object() ? base.entries() : rego::Object{};
    const rego::Value key = rego::Value::string(path[i]);
    rego::Value child;
    for (const auto& [k, v] : entries) {
      if (k == key) child = v;
    }
    entries.emplace_back(key, put(child, i + 1));
    return rego::Value::object(std::move(entries));
  };
  return put(inventory, 0);
}

// A namespaced object without a namespace is created in the client's
// namespace, "default" for gator as for kubectl without a context namespace.
rego::Value with_default_namespace(const rego::Value& object) {
  const rego::Value* kind = object.get("kind");
  const rego::Value* metadata = object.get("metadata");
  if (kind == nullptr || !kind->is_string() || metadata == nullptr || !metadata->is_object()) return object;
  if (kube::is_cluster_scoped(kind->as_string()) || metadata->get("namespace") != nullptr) return object;
  rego::Object meta = metadata->entries();
  meta.emplace_back(rego::Value::string("namespace"), rego::Value::string("default"));
  rego::Object entries = object.entries();
  for (auto& [k, v] : entries) {
    if (k.is_string() && k.as_string() == "metadata") v = rego::Value::object(std::move(meta));
  }
  return rego::Value::object(std::move(entries));
}

std::vector<fs::path> suite_files(const std::vector<fs::path>& paths) {
  std::vector<fs::path> out;
  for (const auto& path : paths) {
    std::error_code ec;
    if (fs::is_regular_file(path, ec)) {
      out.push_back(path);
      continue;
    }
    for (auto it = fs::recursive_directory_iterator(path, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (it->is_regular_file(ec) && it->path().filename() == "suite.yaml") out.push_back(it->path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

Result<std::vector<SuiteCase>> verify_suites(const std::vector<fs::path>& paths) {
  std::vector<SuiteCase> outcomes;
  std::map<std::string, Result<gatekeeper::Template>> templates;
  for (const auto& suite_file : suite_files(paths)) {
    auto suite = load_yaml(suite_file);
    if (!suite) return std::unexpected(suite.error());
    const yaml::Node* root = first_root(**suite);
    if (root == nullptr || root->get("kind") == nullptr || root->get("kind")->str() != "Suite") continue;
    const fs::path dir = suite_file.parent_path();
    const yaml::Node* tests = root->get("tests");
    if (tests == nullptr || !tests->is_sequence()) continue;
    for (const auto* test : tests->items) {
      const std::string test_name(test->get("name") != nullptr ? test->get("name")->str() : "");
      const bool skip_test = test->get("skip") != nullptr && test->get("skip")->as_bool().value_or(false);
      const std::string template_path = (dir / std::string(test->get("template") != nullptr ? test->get("template")->str() : "")).string();
      auto found = templates.find(template_path);
      if (found == templates.end()) {
        Result<gatekeeper::Template> loaded = fail("no template");
        auto file = load_yaml(template_path);
        if (!file) {
          loaded = std::unexpected(file.error());
        } else if (const yaml::Node* t = first_root(**file); t == nullptr || !gatekeeper::is_template(t)) {
          loaded = fail("not a ConstraintTemplate", template_path);
        } else {
          loaded = gatekeeper::load_template(t, template_path);
        }
        found = templates.emplace(template_path, std::move(loaded)).first;
      }
      std::optional<gatekeeper::Constraint> constraint;
      std::string constraint_error;
      if (const auto* c = test->get("constraint")) {
        auto file = load_yaml(dir / std::string(c->str()));
        if (!file) {
          constraint_error = file.error().to_string();
        } else if (const yaml::Node* node = first_root(**file)) {
          constraint = gatekeeper::load_constraint(node, (dir / std::string(c->str())).string());
        }
      }
      const yaml::Node* cases = test->get("cases");
      if (cases == nullptr || !cases->is_sequence()) continue;
      for (const auto* c : cases->items) {
        SuiteCase outcome;
        outcome.suite = suite_file.string();
        outcome.test = test_name;
        outcome.name = std::string(c->get("name") != nullptr ? c->get("name")->str() : "");
        outcome.template_file = template_path;
        if (skip_test || (c->get("skip") != nullptr && c->get("skip")->as_bool().value_or(false))) {
          outcome.skipped = true;
          outcomes.push_back(std::move(outcome));
          continue;
        }
        if (!found->second) {
          outcome.detail = found->second.error().to_string();
          outcomes.push_back(std::move(outcome));
          continue;
        }
        if (!constraint) {
          outcome.detail = constraint_error.empty() ? "no constraint" : constraint_error;
          outcomes.push_back(std::move(outcome));
          continue;
        }
        gatekeeper::ReviewOptions options;
        if (const auto* inventory = c->get("inventory"); inventory != nullptr && inventory->is_sequence()) {
          rego::Value all = rego::Value::empty_object();
          for (const auto* item : inventory->items) {
            auto file = load_yaml(dir / std::string(item->str()));
            if (!file) continue;
            for (const auto& document : (*file)->stream.documents) {
              if (document.root != nullptr && document.root->is_mapping()) {
                all = add_to_inventory(all, rego::from_yaml(document.root));
              }
            }
          }
          options.inventory = all;
        }
        auto object_file = load_yaml(dir / std::string(c->get("object") != nullptr ? c->get("object")->str() : ""));
        if (!object_file) {
          outcome.detail = object_file.error().to_string();
          outcomes.push_back(std::move(outcome));
          continue;
        }
        const yaml::Node* object_node = first_root(**object_file);
        rego::Value object = object_node != nullptr ? rego::from_yaml(object_node) : rego::Value();
        // An AdmissionReview carries the operation and the objects.
        if (const rego::Value* kind = object.get("kind"); kind != nullptr && kind->is_string() &&
                                                         kind->as_string() == "AdmissionReview") {
          const rego::Value* request = object.get("request");
          rego::Value req = request != nullptr ? *request : rego::Value::empty_object();
          if (const rego::Value* op = req.get("operation"); op != nullptr && op->is_string()) options.operation = op->as_string();
          if (const rego::Value* old = req.get("oldObject"); old != nullptr && !old->is_null()) options.old_object = *old;
          if (const rego::Value* user = req.get("userInfo")) options.user_info = *user;
          const rego::Value* new_object = req.get("object");
          object = new_object != nullptr && !new_object->is_null() ? *new_object
                                                                   : options.old_object.value_or(rego::Value());
        }
        object = with_default_namespace(object);
        std::vector<std::string> messages;
        if (gatekeeper::matches(*constraint, object)) {
          auto reviewed = gatekeeper::review(*found->second, *constraint, object, options);
          if (!reviewed) {
            outcome.detail = reviewed.error().to_string();
            outcomes.push_back(std::move(outcome));
            continue;
          }
          messages = std::move(*reviewed);
        }
        outcome.passed = true;
        const yaml::Node* assertions = c->get("assertions");
        if (assertions != nullptr && assertions->is_sequence()) {
          for (const auto* assertion : assertions->items) {
            std::size_t count = messages.size();
            std::string message_filter;
            if (const auto* m = assertion->get("message")) {
              message_filter = std::string(m->str());
              RE2 re(message_filter);
              count = static_cast<std::size_t>(std::count_if(messages.begin(), messages.end(), [&](const std::string& msg) {
                return re.ok() ? RE2::PartialMatch(msg, re) : msg.find(message_filter) != std::string::npos;
              }));
            }
            const yaml::Node* violations = assertion->get("violations");
            const std::string expected = violations != nullptr ? std::string(violations->str()) : "yes";
            bool ok = true;
            if (expected == "yes") {
              ok = count > 0;
            } else if (expected == "no") {
              ok = count == 0;
            } else if (auto n = violations->as_int()) {
              ok = count == static_cast<std::size_t>(*n);
            }
            if (!ok) {
              outcome.passed = false;
              outcome.detail = fmt::format("expected violations: {}{}, got {}{}", expected,
                                           message_filter.empty() ? "" : " matching '" + message_filter + "'", count,
                                           messages.empty() ? "" : fmt::format(" ({})", fmt::join(messages, "; ")));
              break;
            }
          }
        }
        outcomes.push_back(std::move(outcome));
      }
    }
  }
  return outcomes;
}

}  // namespace constable::policy
