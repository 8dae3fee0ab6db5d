#pragma once
// The contract between the engine and a check. A check declares, in code,
// everything the CLI, the generated docs and SARIF say about it (CheckInfo),
// names the clause it enforces by matchers, captures its parameters from
// that clause in bind(), and reports violations file by file.

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "constitution/model.hpp"
#include "core/error.hpp"
#include "core/once.hpp"
#include "core/types.hpp"
#include "engine/config.hpp"
#include "workspace/workspace.hpp"

namespace constable::code { struct Module; }
namespace constable::dockerfile { struct Dockerfile; }
namespace constable::git { class Repository; }
namespace constable::yaml { class Stream; }
namespace constable::kube {
class ManifestSet;
class ProductionRules;
}

namespace constable::engine {

// RE2 patterns, matched case-insensitively anywhere in the text: `section`
// against the clause's heading path joined with " > ", `text` against the
// clause text. The first clause in document order that matches both binds.
struct ClauseMatcher {
  std::string_view section;
  std::string_view text;
};

// What a check looks at: files of one kind, every text file, the
// repository as a whole (its history, branches and tags), or every
// Kubernetes object of the run at once (manifests, kustomizations, rendered
// charts), for rules that relate objects to each other.
enum class Scope : std::uint8_t { files_of_kind, every_text_file, repository, manifests };

struct CheckInfo {
  std::string_view id;      // "<domain>/<name>", e.g. "docker/non-root-user"
  std::string_view domain;  // "docker"
  Nature nature = Nature::maintainability;
  std::string_view summary;      // one line, imperative
  std::string_view rationale;    // why the rule exists
  std::string_view remediation;  // how to fix a finding
  std::string_view bad_example;  // a snippet that fires
  std::string_view good_example; // a snippet that does not
  std::string_view parameters;   // what bind() captures from the clause, "" if nothing
  ClauseMatcher clause;          // empty for the engine's own rules
  FileKind file_kind = FileKind::other;
  std::string_view stack;  // stack fact the check needs to apply, "" for any repository
  Scope scope = Scope::files_of_kind;
  // A more general check this one refines: where both report the same line,
  // only this one's finding is kept (one secret, one finding).
  std::string_view supersedes = {};
  // The check applies one rule to many places of a file (every CHANGELOG
  // entry, every values key, every API operation): its findings in one file
  // are one problem, reported once with every place it was seen.
  bool one_finding_per_file = false;
  // Why the check cannot judge one object at Kubernetes admission (it needs
  // other objects of the namespace, or judges what a repository commits
  // rather than what a cluster holds); "" when it can. `constable serve`
  // leaves such checks to `constable check` in CI.
  std::string_view not_at_admission = {};
};

// What several checks derive from the same input (a file's Kafka client
// settings, the run's Kafka topics): made by the first that asks, shared by
// the rest. `key` names the derivation ("kafka/client-settings"); `make`
// returns it. Thread-safe: checks of the manifest set run concurrently.
class DerivedValues {
 public:
  std::shared_ptr<const void> get(std::string_view key, const std::function<std::shared_ptr<const void>()>& make) const {
    Slot* slot = nullptr;
    {
      const std::lock_guard lock(mutex_);
      const auto found = slots_.find(key);
      slot = found != slots_.end() ? &found->second : &slots_.try_emplace(std::string(key)).first->second;
    }
    slot->made.call([&] { slot->value = make(); });
    return slot->value;
  }

 private:
  struct Slot {
    Once made;
    std::shared_ptr<const void> value;
  };
  mutable std::mutex mutex_;
  mutable std::map<std::string, Slot, std::less<>> slots_;  // nodes never move
};

// The value `make()` (of type T) derived once under `key` in `values`,
// which keep it alive.
template <class T, class Make>
const T& derived_in(const DerivedValues& values, std::string_view key, Make make) {
  const std::shared_ptr<const void> value =
      values.get(key, [&]() -> std::shared_ptr<const void> { return std::make_shared<const T>(make()); });
  return *static_cast<const T*>(value.get());
}

// The value `make()` (of type T) derived once per file or per run under
// `key`, through the context's DerivedValues.
template <class T, class Context, class Make>
const T& derived(const Context& context, std::string_view key, Make make) {
  return derived_in<T>(context.derived_values(), key, make);
}

// Everything a check may look at for one file. Parsed documents are parsed
// at most once per file, on first use, and shared by all checks.
class FileContext {
 public:
  virtual ~FileContext() = default;
  virtual const workspace::File& file() const = 0;
  virtual std::string_view text() const = 0;  // BOM stripped
  virtual const std::vector<std::string_view>& lines() const = 0;
  virtual const Config& config() const = 0;
  virtual const dockerfile::Dockerfile& dockerfile() const = 0;
  // YAML and JSON files as a stream of documents with positions; syntax
  // errors become constable/parse-error findings.
  virtual const yaml::Stream& yaml() const = 0;
  // Python, TypeScript and JavaScript files as a typed model over their
  // syntax tree (src/code/model.hpp); null for a file no grammar reads.
  // Syntax errors leave what parsed and become a note of the run.
  virtual const code::Module* code() const = 0;
  // What checks derive from this file and share (engine::derived).
  virtual const DerivedValues& derived_values() const = 0;
};

struct Emission {
  SourceRange range{};
  std::string message{};
  std::string remediation{};  // "" to use the check's own
  // Parts of the source that hold a secret: redacted in snippets.
  std::vector<SourceRange> secrets{};
  // Another file than the one checked (repository checks), "" for the checked file.
  std::string path_override{};
  // The environment a rendered manifest was rendered for ("default", "prod");
  // the same finding in several environments is reported once, labelled with all.
  std::string environment{};
  // What the finding judges, stable when its line is edited: a stage, an
  // object and container, a key path. When set, the fingerprint (baselines,
  // --diff) hashes it instead of the line's text.
  std::string anchor{};
  // The clause the finding breaks when it is a sibling of the bound one that
  // the check read in bind_section() (one CI stage, one required document);
  // null for the bound clause. Must be one of the check's also_enforced().
  const constitution::Clause* clause = nullptr;
};

class Emitter {
 public:
  virtual ~Emitter() = default;
  virtual void emit(Emission emission) = 0;
  void report(SourceRange range, std::string message, std::string anchor = {}) {
    emit({.range = range, .message = std::move(message), .anchor = std::move(anchor)});
  }
  // A repository check's finding about `path` at `line` (0: the whole file),
  // breaking `clause` (null: the bound one).
  void report_at(std::string path, int line, std::string message, const constitution::Clause* clause = nullptr) {
    emit({.range = SourceRange::at_line(line), .message = std::move(message), .path_override = std::move(path),
          .clause = clause});
  }
};

// What a repository-scope check may look at.
struct GitOptions {
  std::string commits;        // "BASE..HEAD" to check commit messages, "" for none
  bool all_branches = false;  // branch naming for every local branch, not only the current one
};

class RepositoryContext {
 public:
  virtual ~RepositoryContext() = default;
  virtual const workspace::Workspace& workspace() const = 0;
  virtual const Config& config() const = 0;
  // The git repository holding the workspace, or null when there is none.
  virtual const git::Repository* repository() const = 0;
  virtual const GitOptions& git_options() const = 0;
  // A file's text (BOM stripped) and its YAML/JSON documents, each read or
  // parsed once per run, shared by every repository check and handed on to
  // the file phase; null when the file cannot be read.
  virtual const std::string* text(const workspace::File& file) const = 0;
  virtual const yaml::Stream* yaml(const workspace::File& file) const = 0;
  // A source file's code model (FileContext::code), built once per run;
  // null when the file cannot be read or no grammar reads it.
  virtual const code::Module* code(const workspace::File& file) const = 0;
  // Builds the code models of `files` on the run's threads, ahead of a loop
  // that will ask code() for each: a repository check runs on one thread,
  // and parsing is most of what reading code costs.
  virtual void prefetch_code(const std::vector<const workspace::File*>& files) const = 0;
  // What checks derive from the repository and share (engine::derived).
  virtual const DerivedValues& derived_values() const = 0;
  // What checks derive from one file and share (engine::derived_from_file):
  // checks that each pass over every file for their own words find them in
  // one pass, on whichever thread asks first, without waiting for the rest.
  virtual const DerivedValues& derived_values(const workspace::File& file) const = 0;
};

// The value `make()` derived once per run from `file`, under `key`.
template <class T, class Make>
const T& derived_from_file(const RepositoryContext& repository, const workspace::File& file, std::string_view key,
                           Make make) {
  return derived_in<T>(repository.derived_values(file), key, make);
}

// What a manifests-scope check may look at. Findings name the object's
// source with Emission::path_override.
class ManifestContext {
 public:
  virtual ~ManifestContext() = default;
  virtual const kube::ManifestSet& manifests() const = 0;
  virtual const kube::ProductionRules& production() const = 0;
  virtual const Config& config() const = 0;
  virtual const workspace::Workspace& workspace() const = 0;
  // What checks derive from the manifest set and share (engine::derived).
  virtual const DerivedValues& derived_values() const = 0;
  // Runs `task(i)` for every i below `count` on the run's threads, for work
  // over many files: the manifests phase runs its checks side by side, and
  // one reading files alone at its end left a core idle.
  virtual void for_each_in_parallel(std::size_t count, const std::function<void(std::size_t)>& task) const = 0;
};

class Check {
 public:
  virtual ~Check() = default;
  virtual const CheckInfo& info() const = 0;
  // Called once, before scanning, with the clause the check bound to:
  // capture parameters and validate options. An error makes the run fail
  // fast with a clear message (exit 2).
  virtual Result<void> bind(const constitution::Clause& clause, const Config& config) {
    (void)clause;
    (void)config;
    return {};
  }
  // Called after bind() with every clause of the bound clause's section (the
  // bound one included, in document order), for checks whose parameters are
  // spread over sibling clauses: the tagging scheme's examples, the CI
  // pipeline's numbered stages.
  virtual Result<void> bind_section(const std::vector<const constitution::Clause*>& section) {
    (void)section;
    return {};
  }
  // Called after bind_section() with the whole constitution, for a check
  // that also enforces a clause of another section: the consumer-lag alert
  // binds the Performance figure and also answers the Consumer Standards'
  // "lag monitoring MUST be implemented with alerting". Report such clauses
  // in also_enforced() and cite them in the findings that are theirs.
  virtual Result<void> bind_related(const constitution::Constitution& constitution) {
    (void)constitution;
    return {};
  }
  // The sibling clauses bind_section() read rules from (the CI stages, the
  // tagging scheme's examples): the check enforces them too, and `coverage`
  // says so.
  virtual std::vector<const constitution::Clause*> also_enforced() const { return {}; }
  // The parameters bind() captured, for `coverage` and `explain`; "" if none.
  virtual std::string bound_parameters() const { return {}; }
  // For a repository check: what check_repository reads as a rule. The
  // engine reads it ahead, on all of the run's threads, before the
  // repository checks start: checks reading the same texts or parsing the
  // same files at once waited on each other, and a core idled.
  struct ReadAhead {
    std::vector<FileKind> texts;               // the text of every file of these kinds
    std::vector<const workspace::File*> yaml;  // these files' YAML documents (binary files are not parsed)
  };
  virtual ReadAhead read_ahead(const workspace::Workspace& workspace) const {
    (void)workspace;
    return {};
  }
  // For a check of a file kind, or of every text file: whether it judges a
  // file at this path at all (the changelog check only CHANGELOG.md, Kafka
  // client settings only files that may hold them), as `constable mcp` tells
  // an agent what applies to a file before it exists; check() decides the same.
  virtual bool judges_path(std::string_view path) const {
    (void)path;
    return true;
  }
  // Called for each file in scope (files_of_kind, every_text_file); must be
  // thread-compatible (const, no shared mutable state).
  virtual void check(const FileContext& file, Emitter& out) const {
    (void)file;
    (void)out;
  }
  // Called once for repository-scope checks. Findings name their path with
  // Emission::path_override.
  virtual void check_repository(const RepositoryContext& repository, Emitter& out) const {
    (void)repository;
    (void)out;
  }
  // The check as an OPA Gatekeeper policy, for `constable policy export`
  // (src/policy/export.cpp): its Rego (rules `violation[{"msg": msg}]` over
  // input.review.object and input.parameters, without the package line),
  // the kinds it judges, and the parameters bind() captured as JSON. None
  // for checks with no meaning at admission or no such form yet.
  struct GatekeeperForm {
    std::string rego;
    std::vector<std::string_view> kinds;
    std::string parameters_json;
  };
  virtual std::optional<GatekeeperForm> gatekeeper_form() const { return std::nullopt; }
  // Called once for manifests-scope checks, possibly concurrently with others.
  virtual void check_manifests(const ManifestContext& manifests, Emitter& out) const {
    (void)manifests;
    (void)out;
  }
};

using CheckFactory = std::unique_ptr<Check> (*)();

template <class T>
std::unique_ptr<Check> make_check() {
  return std::make_unique<T>();
}

}  // namespace constable::engine
