#include "policy/rego_check.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>
#include <re2/re2.h>

#include "checks/kubernetes/kubernetes_support.hpp"
#include "core/digest.hpp"
#include "core/files.hpp"
#include "core/suggest.hpp"
#include "core/text.hpp"
#include "formats/dockerfile/dockerfile.hpp"
#include "formats/yaml/yaml.hpp"
#include "kube/manifests.hpp"
#include "policy/gatekeeper.hpp"
#include "rego/compiler.hpp"
#include "rego/eval.hpp"
#include "rego/parser.hpp"
#include "workspace/workspace.hpp"

namespace constable::policy {

namespace fs = std::filesystem;

namespace {

// What a policy package's METADATA says of it.
struct Metadata {
  std::string clause;   // a clause id, or a pattern over clause texts
  std::string section;  // optional pattern over the clause's heading path
  Nature nature = Nature::maintainability;
  std::vector<std::string> kinds;            // Kubernetes kinds: the policy judges objects (rendered charts too)
  std::vector<FileKind> file_kinds;          // otherwise: the files it judges, each document its input
  std::string title;
  std::string description;
  std::string remediation;
  rego::Location location;
  std::string file;
};

// A conftest rule name: deny, violation or warn, with an optional _suffix.
bool is_policy_rule(std::string_view name) {
  for (std::string_view prefix : {"deny", "violation", "warn"}) {
    if (name == prefix) return true;
    if (name.starts_with(prefix) && name.size() > prefix.size() + 1 && name[prefix.size()] == '_') return true;
  }
  return false;
}

// The part of a rule name an `exception` names: deny_run_as_root -> run_as_root.
std::string rule_suffix(std::string_view name) {
  const auto underscore = name.find('_');
  return underscore == std::string_view::npos ? std::string() : std::string(name.substr(underscore + 1));
}

std::optional<Nature> parse_nature(std::string_view text) {
  const std::string lowered = text::to_lower(text);
  for (Nature n : kAllNatures) {
    std::string name(to_string(n));
    if (lowered == name) return n;
    std::replace(name.begin(), name.end(), '_', '-');
    if (lowered == name) return n;
  }
  return std::nullopt;
}

std::optional<FileKind> parse_file_kind(std::string_view text) {
  const std::string lowered = text::to_lower(text);
  if (lowered == "yaml") return FileKind::yaml;
  if (lowered == "json") return FileKind::json;
  if (lowered == "dockerfile") return FileKind::dockerfile;
  return std::nullopt;
}

std::vector<std::string> string_list(const yaml::Node* node) {
  std::vector<std::string> out;
  if (node == nullptr) return out;
  if (node->is_scalar()) {
    out.emplace_back(node->str());
  } else if (node->is_sequence()) {
    for (const auto* item : node->items) out.emplace_back(item->str());
  }
  return out;
}

Error error_at(const std::string& file, rego::Location at, std::string message) {
  return Error{std::move(message), file, at.line, at.column};
}

// Reads the METADATA blocks of one package's modules: the first that carries custom.clause.
Result<std::optional<Metadata>> package_metadata(const std::vector<const rego::Module*>& modules) {
  for (const auto* module : modules) {
    for (const auto& annotation : module->annotations) {
      auto stream = yaml::parse(annotation.yaml);
      const rego::Location at{annotation.location.line, annotation.location.column};
      if (!stream.ok()) {
        return std::unexpected(
            error_at(module->file, at, fmt::format("METADATA is not valid YAML: {}", stream.errors.front().message)));
      }
      if (stream.documents.empty() || stream.documents.front().root == nullptr) continue;
      const yaml::Node* root = stream.documents.front().root;
      const yaml::Node* custom = root->get("custom");
      if (custom == nullptr || custom->get("clause") == nullptr) continue;
      Metadata m;
      m.location = at;
      m.file = module->file;
      m.clause = std::string(custom->get("clause")->str());
      if (const auto* section = custom->get("section")) m.section = std::string(section->str());
      if (const auto* nature = custom->get("nature")) {
        auto parsed = parse_nature(nature->str());
        if (!parsed) {
          return std::unexpected(error_at(
              module->file, at,
              fmt::format("METADATA custom.nature must be security, data_loss, reliability, maintainability or "
                          "documentation, got '{}'",
                          nature->str())));
        }
        m.nature = *parsed;
      }
      m.kinds = string_list(custom->get("kind"));
      for (const auto& kind : string_list(custom->get("file_kinds"))) {
        auto parsed = parse_file_kind(kind);
        if (!parsed) {
          return std::unexpected(error_at(module->file, at,
                                          fmt::format("METADATA custom.file_kinds must list yaml, json or dockerfile, "
                                                      "got '{}'",
                                                      kind)));
        }
        m.file_kinds.push_back(*parsed);
      }
      if (m.file_kinds.empty()) m.file_kinds = {FileKind::yaml, FileKind::json, FileKind::dockerfile};
      if (const auto* title = root->get("title")) m.title = std::string(title->str());
      if (const auto* description = root->get("description")) m.description = std::string(description->str());
      if (const auto* remediation = custom->get("remediation")) m.remediation = std::string(remediation->str());
      return m;
    }
  }
  return std::optional<Metadata>();
}

// A clause id, or the first clause whose text (and heading path, when a section is given) the pattern matches.
Result<const constitution::Clause*> resolve_clause(const Metadata& m, const constitution::Constitution& c) {
  for (const auto& clause : c.clauses) {
    if (clause.id == m.clause) return &clause;
  }
  RE2::Options options;
  options.set_case_sensitive(false);
  options.set_log_errors(false);
  RE2 text(m.clause, options);
  RE2 section(m.section.empty() ? std::string(".") : m.section, options);
  if (!text.ok() || !section.ok()) {
    return std::unexpected(error_at(m.file, m.location,
                                    fmt::format("METADATA custom.clause '{}' is neither a clause id nor a valid "
                                                "pattern",
                                                m.clause)));
  }
  for (const auto& clause : c.clauses) {
    if (RE2::PartialMatch(clause.text, text) && RE2::PartialMatch(clause.section_joined(), section)) return &clause;
  }
  std::vector<std::string_view> ids;
  for (const auto& clause : c.clauses) ids.push_back(clause.id);
  return std::unexpected(error_at(m.file, m.location,
                                  fmt::format("METADATA custom.clause '{}' matches no clause of {}{}", m.clause,
                                              c.path, text::did_you_mean(m.clause, ids))));
}

// conftest's input for a Dockerfile: one object per instruction.
rego::Value dockerfile_input(const dockerfile::Dockerfile& file) {
  rego::Array instructions;
  int stage = -1;
  for (const auto& instruction : file.instructions) {
    const std::string keyword = text::to_lower(instruction.keyword);
    if (keyword == "from") ++stage;
    rego::Array flags;
    for (const auto& flag : instruction.flags) {
      flags.push_back(rego::Value::string(flag.value.empty() ? "--" + flag.name : "--" + flag.name + "=" + flag.value));
    }
    rego::Array value;
    if (instruction.exec_form) {
      for (const auto& arg : instruction.exec_args) value.push_back(rego::Value::string(arg));
    } else if (keyword == "run" || keyword == "cmd" || keyword == "entrypoint" || keyword == "shell") {
      value.push_back(rego::Value::string(instruction.arguments));
    } else if (keyword == "env" || keyword == "label") {
      for (const auto& kv : dockerfile::key_values(instruction)) {
        value.push_back(rego::Value::string(kv.key));
        value.push_back(rego::Value::string(kv.value));
      }
    } else {
      for (auto word : text::split(instruction.arguments, ' ')) {
        if (!word.empty()) value.push_back(rego::Value::string(std::string(word)));
      }
    }
    rego::Object entry{
        {rego::Value::string("Cmd"), rego::Value::string(keyword)},
        {rego::Value::string("Flags"), rego::Value::array(std::move(flags))},
        {rego::Value::string("Value"), rego::Value::array(std::move(value))},
        {rego::Value::string("Original"), rego::Value::string(instruction.keyword + " " + instruction.arguments)},
        {rego::Value::string("JSON"), rego::Value::boolean(instruction.exec_form)},
        {rego::Value::string("Stage"), rego::Value::integer(std::max(stage, 0))},
        {rego::Value::string("SubCmd"), rego::Value::string("")},
        // Not conftest's: where the instruction is, for a result's line hint.
        {rego::Value::string("Line"), rego::Value::integer(instruction.line)},
    };
    instructions.push_back(rego::Value::object(std::move(entry)));
  }
  return rego::Value::array(std::move(instructions));
}

// One result of a policy rule.
struct Violation {
  std::string message;
  std::vector<rego::Value> path;  // keys into the document, when the result names one
  int line = 0;                   // a line hint, when the result gives one
};

// The node a result's path names, as deep as it resolves.
const yaml::Node* node_at(const yaml::Node* node, const std::vector<rego::Value>& path) {
  for (const auto& key : path) {
    if (node == nullptr) return nullptr;
    const yaml::Node* next = nullptr;
    if (node->is_mapping() && key.is_string()) {
      if (const yaml::Entry* entry = node->find(key.as_string())) next = entry->value;
    } else if (node->is_sequence() && key.is_number() && key.as_number().is_integer()) {
      const auto i = key.as_number().as_integer();
      if (i >= 0 && static_cast<std::size_t>(i) < node->items.size()) next = node->items[static_cast<std::size_t>(i)];
    }
    if (next == nullptr) return node;
    node = next;
  }
  return node;
}

class RegoPolicyCheck final : public engine::Check {
 public:
  RegoPolicyCheck(std::shared_ptr<const rego::Policy> policy, std::vector<std::string> package, Metadata metadata,
                  std::vector<std::string> files, std::string sources_digest)
      : policy_(std::move(policy)),
        package_(std::move(package)),
        metadata_(std::move(metadata)),
        files_(std::move(files)),
        sources_digest_(std::move(sources_digest)) {
    id_ = "policy/" + fmt::format("{}", fmt::join(package_, "."));
    summary_ = metadata_.title.empty() ? fmt::format("Rego policy {}", fmt::join(package_, ".")) : metadata_.title;
    rationale_ = metadata_.description.empty() ? fmt::format("A team policy in {}.", fmt::join(files_, ", "))
                                               : metadata_.description;
    remediation_ = metadata_.remediation.empty() ? std::string("Change the file so that the policy's rule holds.")
                                                 : metadata_.remediation;
    const rego::RuleNode* node = policy_->node(package_);
    if (node != nullptr) {
      for (const auto& [name, child] : node->children) {
        if (child.rules != nullptr && is_policy_rule(name)) rules_.push_back(name);
      }
    }
    info_.id = id_;
    info_.domain = "policy";
    info_.nature = metadata_.nature;
    info_.summary = summary_;
    info_.rationale = rationale_;
    info_.remediation = remediation_;
    info_.scope = metadata_.kinds.empty() ? engine::Scope::every_text_file : engine::Scope::manifests;
    info_.not_at_admission = metadata_.kinds.empty() ? std::string_view("it judges repository files") : std::string_view();
  }

  const engine::CheckInfo& info() const override { return info_; }

  std::string bound_parameters() const override {
    // The sources' digest keys the content cache: an edited policy checks again.
    return fmt::format("policy {} (sha256 {})", fmt::join(files_, ", "), sources_digest_.substr(0, 12));
  }

  bool judges_path(std::string_view path) const override {
    const FileKind kind = workspace::classify(path);
    return std::find(metadata_.file_kinds.begin(), metadata_.file_kinds.end(), kind) != metadata_.file_kinds.end();
  }

  void check(const engine::FileContext& file, engine::Emitter& out) const override {
    const FileKind kind = file.file().kind;
    if (std::find(metadata_.file_kinds.begin(), metadata_.file_kinds.end(), kind) == metadata_.file_kinds.end()) return;
    const std::string& path = file.file().path;
    if (kind == FileKind::dockerfile) {
      for (const auto& v : evaluate(dockerfile_input(file.dockerfile()), path)) {
        emit(out, v.line > 0 ? SourceRange::at_line(v.line) : SourceRange::whole_file(), v.message, {});
      }
      return;
    }
    const yaml::Stream& stream = file.yaml();
    for (const auto& document : stream.documents) {
      if (document.root == nullptr) continue;
      for (const auto& v : evaluate(rego::from_yaml(document.root), path)) {
        const yaml::Node* node = v.path.empty() ? document.root : node_at(document.root, v.path);
        SourceRange range = v.line > 0 ? SourceRange::at_line(v.line) : kube::range_of(node);
        if (v.path.empty() && v.line == 0) range = SourceRange::at_line(document.root->start.line);
        emit(out, range, v.message, {});
      }
    }
  }

  void check_manifests(const engine::ManifestContext& context, engine::Emitter& out) const override {
    for (const auto& object : context.manifests().objects()) {
      if (std::find(metadata_.kinds.begin(), metadata_.kinds.end(), object.kind) == metadata_.kinds.end()) continue;
      for (const auto& v : evaluate(rego::from_yaml(object.root), object.source->path)) {
        const yaml::Node* node = v.path.empty() ? nullptr : node_at(object.root, v.path);
        engine::Emission e = checks::kubernetes::emission_at(object, node, v.message);
        e.anchor = fmt::format("{}\n{}", id_, e.anchor);
        out.emit(std::move(e));
      }
    }
  }

 private:
  void emit(engine::Emitter& out, SourceRange range, const std::string& message, std::string path) const {
    engine::Emission e;
    e.range = range;
    e.message = message;
    e.path_override = std::move(path);
    e.anchor = fmt::format("{}\n{}", id_, message);
    out.emit(std::move(e));
  }

  std::vector<Violation> evaluate(const rego::Value& input, const std::string& path) const {
    std::vector<Violation> out;
    const rego::Value data = rego::Value::object(
        {{rego::Value::string("conftest"),
          rego::Value::object({{rego::Value::string("file"),
                                rego::Value::object({{rego::Value::string("name"), rego::Value::string(path)},
                                                     {rego::Value::string("dir"),
                                                      rego::Value::string(std::string(text::dirname(path)))}})}})}});
    rego::Evaluator evaluator(*policy_, data, input);
    std::set<std::string> exceptions;
    std::vector<std::string> exception_path = package_;
    exception_path.push_back("exception");
    if (auto exempt = evaluator.document(exception_path); exempt && *exempt) {
      for (const auto& item : (**exempt).items()) {
        for (const auto& name : item.is_string() ? std::vector<rego::Value>{item} : item.items()) {
          if (name.is_string()) exceptions.insert(name.as_string());
        }
      }
    }
    for (const auto& rule : rules_) {
      if (!exceptions.empty() && exceptions.contains(rule_suffix(rule))) continue;
      std::vector<std::string> rule_path = package_;
      rule_path.push_back(rule);
      auto document = evaluator.document(rule_path);
      if (!document) {
        out.push_back({fmt::format("policy error: {}", document.error().to_string()), {}, 0});
        continue;
      }
      if (!*document) continue;
      const rego::Value& results = **document;
      std::vector<rego::Value> items;
      if (results.is_set() || results.is_array()) {
        items = results.items();
      } else if (!(results.is_bool() && !results.as_bool())) {
        items.push_back(results);
      }
      for (const auto& item : items) out.push_back(violation(item, rule));
    }
    return out;
  }

  static Violation violation(const rego::Value& item, const std::string& rule) {
    Violation v;
    if (item.is_string()) {
      v.message = item.as_string();
    } else if (item.is_object()) {
      const rego::Value* msg = item.get("msg");
      v.message = msg != nullptr && msg->is_string() ? msg->as_string() : item.to_rego();
      if (const rego::Value* path = item.get("path"); path != nullptr && path->is_array()) v.path = path->items();
      if (const rego::Value* line = item.get("line"); line != nullptr && line->is_number()) {
        v.line = static_cast<int>(line->as_number().as_double());
      }
    } else if (item.is_bool()) {
      v.message = fmt::format("policy rule {} holds", rule);
    } else {
      v.message = item.to_rego();
    }
    return v;
  }

  std::shared_ptr<const rego::Policy> policy_;
  std::vector<std::string> package_;
  Metadata metadata_;
  std::vector<std::string> files_;
  std::string sources_digest_;
  std::vector<std::string> rules_;
  std::string id_, summary_, rationale_, remediation_;
  engine::CheckInfo info_;
};

// A Gatekeeper Constraint and its ConstraintTemplate as a check: every
// object of the run its spec.match selects is reviewed as Gatekeeper would
// review it at admission (operation CREATE).
class GatekeeperConstraintCheck final : public engine::Check {
 public:
  GatekeeperConstraintCheck(std::shared_ptr<const gatekeeper::Template> t, gatekeeper::Constraint constraint,
                            Nature nature, std::string template_file)
      : template_(std::move(t)), constraint_(std::move(constraint)), template_file_(std::move(template_file)) {
    id_ = fmt::format("policy/{}.{}", text::to_lower(constraint_.kind), constraint_.name);
    summary_ = fmt::format("Gatekeeper constraint {} {}", constraint_.kind, constraint_.name);
    rationale_ = fmt::format("The team's Gatekeeper constraint {} ({}), with its ConstraintTemplate {} ({}), run "
                             "before the object reaches the cluster.",
                             constraint_.name, constraint_.file, template_->name, template_file_);
    info_.id = id_;
    info_.domain = "policy";
    info_.nature = nature;
    info_.summary = summary_;
    info_.rationale = rationale_;
    info_.remediation = "Change the object so that the constraint's template admits it, as the message says.";
    info_.scope = engine::Scope::manifests;
  }

  const engine::CheckInfo& info() const override { return info_; }

  std::string bound_parameters() const override {
    return fmt::format("constraint {}, template {} ({})", constraint_.file, template_file_,
                       constraint_.parameters().to_json());
  }

  void check_manifests(const engine::ManifestContext& context, engine::Emitter& out) const override {
    for (const auto& object : context.manifests().objects()) {
      const rego::Value value = rego::from_yaml(object.root);
      if (!gatekeeper::matches(constraint_, value)) continue;
      auto messages = gatekeeper::review(*template_, constraint_, value);
      if (!messages) {
        out.emit(checks::kubernetes::emission_at(object, nullptr,
                                                 fmt::format("policy error: {}", messages.error().to_string())));
        continue;
      }
      for (const auto& message : *messages) {
        engine::Emission e = checks::kubernetes::emission_at(object, nullptr, message);
        e.anchor = fmt::format("{}\n{}", id_, e.anchor);
        out.emit(std::move(e));
      }
    }
  }

 private:
  std::shared_ptr<const gatekeeper::Template> template_;
  gatekeeper::Constraint constraint_;
  std::string template_file_;
  std::string id_, summary_, rationale_;
  engine::CheckInfo info_;
};

// An annotation of a Gatekeeper object, "" when absent.
std::string annotation(const yaml::Node* root, std::string_view key) {
  const yaml::Node* annotations = root->at("metadata", "annotations");
  const yaml::Node* value = annotations != nullptr ? annotations->get(key) : nullptr;
  return value != nullptr ? std::string(value->str()) : std::string();
}

// ConstraintTemplates and Constraints in the policy directories' YAML files.
// A constraint binds to the clause its `constable.dev/clause` annotation
// names (or its template's), by default to the constitution's clause on
// policy-as-code with OPA.
Result<std::vector<engine::ExtraCheck>> load_gatekeeper(const fs::path& base, const std::vector<fs::path>& files,
                                                        const constitution::Constitution& constitution,
                                                        const files::ReadOptions& read_options) {
  std::vector<engine::ExtraCheck> checks;
  struct Loaded {
    std::string text;
    yaml::Stream stream;
    std::string display;
  };
  std::vector<std::unique_ptr<Loaded>> loaded;
  std::map<std::string, std::pair<std::shared_ptr<const gatekeeper::Template>, const yaml::Node*>> templates;
  std::vector<std::pair<const yaml::Node*, const Loaded*>> constraints;
  for (const auto& file : files) {
    auto text = files::read(file, read_options);
    if (!text) return std::unexpected(text.error().error);
    auto entry = std::make_unique<Loaded>();
    entry->text = std::move(*text);
    entry->stream = yaml::parse(entry->text);
    entry->display = file.lexically_relative(base).generic_string();
    if (!entry->stream.ok()) {
      const auto& e = entry->stream.errors.front();
      return fail(e.message, entry->display, e.mark.line, e.mark.column);
    }
    for (const auto& document : entry->stream.documents) {
      if (gatekeeper::is_template(document.root)) {
        auto t = gatekeeper::load_template(document.root, entry->display);
        if (!t) return std::unexpected(t.error());
        const std::string kind = t->kind;
        templates[kind] = {std::make_shared<const gatekeeper::Template>(std::move(*t)), document.root};
      } else if (gatekeeper::is_constraint(document.root)) {
        constraints.emplace_back(document.root, entry.get());
      }
    }
    loaded.push_back(std::move(entry));
  }
  for (const auto& [root, file] : constraints) {
    gatekeeper::Constraint constraint = gatekeeper::load_constraint(root, file->display);
    auto found = templates.find(constraint.kind);
    if (found == templates.end()) {
      return fail(fmt::format("Gatekeeper constraint {} {} has no ConstraintTemplate defining kind {} in the policy "
                              "directories",
                              constraint.kind, constraint.name, constraint.kind),
                  file->display, root->start.line, root->start.column);
    }
    Metadata m;
    m.file = file->display;
    m.location = {root->start.line, root->start.column};
    m.clause = annotation(root, "constable.dev/clause");
    if (m.clause.empty()) m.clause = annotation(found->second.second, "constable.dev/clause");
    if (m.clause.empty()) m.clause = "policy-as-code|open policy agent";
    m.nature = Nature::security;
    std::string nature = annotation(root, "constable.dev/nature");
    if (!nature.empty()) {
      auto parsed = parse_nature(nature);
      if (!parsed) return fail(fmt::format("constable.dev/nature '{}' is not a nature", nature), m.file, m.location.line);
      m.nature = *parsed;
    }
    auto clause = resolve_clause(m, constitution);
    if (!clause) return std::unexpected(clause.error());
    engine::ExtraCheck extra;
    extra.check = std::make_unique<GatekeeperConstraintCheck>(found->second.first, std::move(constraint), m.nature,
                                                              found->second.first->file);
    extra.clause = *clause;
    checks.push_back(std::move(extra));
  }
  return checks;
}

}  // namespace

Result<std::vector<engine::ExtraCheck>> load(const fs::path& base, const std::vector<std::string>& directories,
                                             const constitution::Constitution& constitution,
                                             const fs::path& confine_to) {
  std::vector<engine::ExtraCheck> checks;
  if (directories.empty()) return checks;
  std::vector<fs::path> sources;
  std::vector<fs::path> gatekeeper_files;
  for (const auto& directory : directories) {
    fs::path dir = base / directory;
    if (!confine_to.empty()) {
      auto inside = files::locate(dir, confine_to, directory);
      if (!inside) {
        return fail(fmt::format("policies: '{}' is not inside the repository: {}", directory,
                                inside.error().error.message),
                    dir.string());
      }
      dir = *inside;
    }
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return fail(fmt::format("policies: '{}' is not a directory", directory), dir.string());
    for (auto it = fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      const auto& p = it->path();
      const std::string name = p.filename().string();
      if (it->is_regular_file(ec) && name.ends_with(".rego") && !name.ends_with("_test.rego")) sources.push_back(p);
      if (it->is_regular_file(ec) && (name.ends_with(".yaml") || name.ends_with(".yml"))) gatekeeper_files.push_back(p);
    }
  }
  std::sort(sources.begin(), sources.end());
  std::sort(gatekeeper_files.begin(), gatekeeper_files.end());
  std::vector<rego::Module> modules;
  digest::Sha256Builder digest;
  std::map<std::vector<std::string>, std::vector<std::string>> files_of_package;
  files::ReadOptions read_options;
  read_options.confine_to = confine_to;
  for (const auto& source : sources) {
    auto text = files::read(source, read_options);
    if (!text) return std::unexpected(text.error().error);
    const std::string display = source.lexically_relative(base).generic_string();
    digest.add(display).add(*text);
    auto module = rego::parse_module(*text, display);
    if (!module) return std::unexpected(module.error());
    files_of_package[module->package].push_back(display);
    modules.push_back(std::move(*module));
  }
  auto policy = rego::compile(std::move(modules));
  if (!policy) return std::unexpected(policy.error());
  const std::string sources_digest = digest::hex(digest.finish());
  for (const auto& [package, files] : files_of_package) {
    std::vector<const rego::Module*> package_modules;
    for (const auto& module : (*policy)->modules) {
      if (module.package == package) package_modules.push_back(&module);
    }
    const rego::RuleNode* node = (*policy)->node(package);
    const bool has_policy_rules =
        node != nullptr && std::any_of(node->children.begin(), node->children.end(), [](const auto& child) {
          return child.second.rules != nullptr && is_policy_rule(child.first);
        });
    if (!has_policy_rules) continue;  // a library package
    auto metadata = package_metadata(package_modules);
    if (!metadata) return std::unexpected(metadata.error());
    if (!*metadata) {
      const rego::Module& first = *package_modules.front();
      return fail(fmt::format("policy package {} has deny, violation or warn rules but no METADATA block with "
                              "custom.clause naming the clause it enforces",
                              fmt::join(package, ".")),
                  first.file, first.package_location.line, first.package_location.column);
    }
    auto clause = resolve_clause(**metadata, constitution);
    if (!clause) return std::unexpected(clause.error());
    engine::ExtraCheck extra;
    extra.check = std::make_unique<RegoPolicyCheck>(*policy, package, std::move(**metadata), files, sources_digest);
    extra.clause = *clause;
    checks.push_back(std::move(extra));
  }
  auto constraints = load_gatekeeper(base, gatekeeper_files, constitution, read_options);
  if (!constraints) return std::unexpected(constraints.error());
  for (auto& check : *constraints) checks.push_back(std::move(check));
  return checks;
}

}  // namespace constable::policy
