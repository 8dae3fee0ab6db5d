#include "engine/run.hpp"

#include <algorithm>
#include <atomic>
#include <memory>
#include <cerrno>
#include <cstring>
#include <iterator>
#include <map>
#include <mutex>
#include <optional>
#include <system_error>
#include <set>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "code/model.hpp"
#include "core/digest.hpp"
#include "core/files.hpp"
#include "core/once.hpp"
#include "core/text.hpp"
#include "engine/attestation.hpp"
#include "engine/charts.hpp"
#include "engine/parallel.hpp"
#include "engine/result_cache.hpp"
#include "engine/snippet.hpp"
#include "engine/suppression.hpp"
#include "formats/dockerfile/dockerfile.hpp"
#include "formats/yaml/lookalike.hpp"
#include "formats/yaml/yaml.hpp"
#include "git/repository.hpp"
#include "kube/manifests.hpp"
#include "kube/production.hpp"
#include "workspace/glob.hpp"

namespace constable::engine {

namespace {

// The fingerprint of a finding without line content: its check, path and message.
std::string message_fingerprint(const Finding& f) {
  return text::hex64(text::fnv1a64(f.check_id + '\0' + f.path + '\0' + f.message));
}

// Reads a file and parses its documents lazily, at most once each.
class LazyFileContext final : public FileContext {
 public:
  LazyFileContext(const workspace::File& file, const Config& config, std::string content,
                  std::optional<yaml::Stream> parsed = std::nullopt, std::optional<code::Module> model = std::nullopt)
      : file_(file), config_(config), content_(std::move(content)), yaml_(std::move(parsed)) {
    if (yaml_) documents_parsed_ = 1;  // parsed once already, for a repository check
    if (model) {  // likewise
      code_.emplace(std::move(model));
      ++documents_parsed_;
    }
    text_ = text::strip_bom(content_);
  }

  const workspace::File& file() const override { return file_; }
  std::string_view text() const override { return text_; }
  // The file as read, a byte order mark included.
  std::string_view content() const { return content_; }
  // Split on first use: a file without findings or suppressions is never split.
  const std::vector<std::string_view>& lines() const override {
    if (!lines_) lines_ = text::split_lines(text_);
    return *lines_;
  }
  const Config& config() const override { return config_; }
  const dockerfile::Dockerfile& dockerfile() const override {
    if (!dockerfile_) {
      dockerfile_ = dockerfile::Dockerfile::parse(text_);
      ++documents_parsed_;
    }
    return *dockerfile_;
  }
  const yaml::Stream& yaml() const override {
    if (!yaml_) {
      yaml_ = yaml::parse(text_);
      ++documents_parsed_;
    }
    return *yaml_;
  }
  bool yaml_parsed() const { return yaml_.has_value(); }
  const code::Module* code() const override {
    if (!code_) {
      code_ = code::build_module_for(file_.path, text_);
      if (*code_) ++documents_parsed_;
    }
    return *code_ ? &**code_ : nullptr;
  }

  const DerivedValues& derived_values() const override { return derived_; }

  std::size_t documents_parsed() const { return documents_parsed_; }
  // Why the checks of a source file saw less than all of it, as notes: a
  // file tree-sitter could not parse, and where the first syntax errors are.
  std::vector<workspace::Note> code_notes() const {
    std::vector<workspace::Note> notes;
    if (!code_ || !*code_) return notes;
    const code::Module& module = **code_;
    if (!module.failure.empty()) notes.push_back({file_.path, module.failure});
    for (const auto& error : module.errors)
      notes.push_back({fmt::format("{}:{}:{}", file_.path, error.range.line, error.range.column),
                       fmt::format("syntax error ({}): its checks saw only what parsed", error.message)});
    return notes;
  }
  // Parse errors of every document that was parsed, as (message, line, column).
  std::vector<dockerfile::ParseError> parse_errors() const {
    std::vector<dockerfile::ParseError> errors;
    if (dockerfile_) errors = dockerfile_->errors;
    if (yaml_) {
      const std::string_view what = file_.kind == FileKind::json ? "JSON" : "YAML";
      // A .yaml file that is no YAML at all (a README, a template) is told
      // what it looks like instead of where the parser gave up.
      const auto looks_like = file_.kind == FileKind::yaml && !yaml_->ok() ? yaml::lookalike(text_) : std::nullopt;
      if (looks_like) errors.push_back({looks_like->message, looks_like->line, 1});
      for (const auto& e : yaml_->errors)
        if (!(e.fatal && looks_like))
          errors.push_back({fmt::format("{}{}", e.fatal ? fmt::format("invalid {}: ", what) : "", e.message),
                            e.mark.line, e.mark.column});
    }
    return errors;
  }

 private:
  const workspace::File& file_;
  const Config& config_;
  std::string content_;
  std::string_view text_;
  mutable std::optional<std::vector<std::string_view>> lines_;
  mutable std::optional<dockerfile::Dockerfile> dockerfile_;
  mutable std::optional<yaml::Stream> yaml_;
  mutable std::optional<std::optional<code::Module>> code_;  // outer: built yet; inner: a grammar reads the file
  DerivedValues derived_;
  mutable std::size_t documents_parsed_ = 0;
};

struct Collected {
  const CheckInfo* info = nullptr;
  const constitution::Clause* clause = nullptr;
  Emission emission;
};

class CollectingEmitter final : public Emitter {
 public:
  CollectingEmitter(std::vector<Collected>& out, const CheckInfo& info, const constitution::Clause* clause)
      : out_(out), info_(info), clause_(clause) {}
  void emit(Emission emission) override {
    const constitution::Clause* clause = emission.clause != nullptr ? emission.clause : clause_;
    out_.push_back({&info_, clause, std::move(emission)});
  }

 private:
  std::vector<Collected>& out_;
  const CheckInfo& info_;
  const constitution::Clause* clause_;
};

std::string normalise_whitespace(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : text::trim(s)) {
    const bool is_space = c == ' ' || c == '\t' || c == '\r';
    if (is_space) {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

struct FileOutcome {
  std::vector<Finding> findings;
  std::vector<workspace::Note> notes;
  std::size_t documents_parsed = 0;
  std::uintmax_t bytes_read = 0;
};

// A file whose findings are collected but not yet final: manifests-scope
// checks may still add to them before suppressions and fingerprints apply.
// A file a repository-scope check read: its text and, once asked for, its
// documents. The file phase takes both over instead of reading again.
// Repository checks run in parallel: each file is read, and parsed, once.
struct SharedFile {
  Once read, parsed, modelled;
  std::optional<std::string> text;  // BOM stripped; nullopt when unreadable
  std::optional<yaml::Stream> stream;
  std::optional<code::Module> module;
  DerivedValues derived;  // what repository checks derive from it
};

struct PendingFile {
  const workspace::File* file = nullptr;
  std::unique_ptr<LazyFileContext> context;  // null when the file could not be read, or was not (cached)
  std::vector<Collected> collected;
  FileOutcome outcome;
  bool in_manifest_set = false;   // its YAML documents join the manifest set
  bool awaits_manifests = false;  // manifests-scope findings may still point at it (a chart template)
  // A chart's values.yaml, parsed: finalised once the charts rendered, which
  // take its YAML instead of parsing it again.
  bool held_for_charts = false;
  // With a cache: what to keep of this file for the next run, holding what
  // the last run found for the same content until finalize decides.
  std::optional<StoredFile> stored;
  // The file's own emissions came from the cache and are still only in
  // `stored` (encoded): `collected` holds what other phases added, if any.
  bool emissions_encoded = false;
  // Other phases added to or removed from the file's own emissions.
  bool merged = false;
  // Its own emissions and the repository phase's about it came from the
  // cache as the last run left them, and are not merged: while the manifest
  // phase's are as they were too, finalize's result is the one kept.
  bool replaying = false;
};

class Runner {
 public:
  // Whether the cache's entry for the repository is read (with a cache).
  enum class Entry { used, ignored };

  Runner(const Plan& plan, const constitution::Constitution& constitution, const Config& config,
         const workspace::Workspace& workspace, const RunOptions& options, Entry entry = Entry::used)
      : plan_(plan), constitution_(constitution), config_(config), workspace_(workspace), options_(options),
        entry_(entry) {
    for (const auto& binding : plan_.bindings) {
      if (binding.status != BindingStatus::active) continue;
      if (!options.file_kind_checks && binding.check->info().scope != Scope::every_text_file) continue;
      switch (binding.check->info().scope) {
        case Scope::files_of_kind: by_kind_[binding.check->info().file_kind].push_back(&binding); break;
        case Scope::every_text_file: every_file_.push_back(&binding); break;
        case Scope::repository: repository_.push_back(&binding); break;
        case Scope::manifests: manifests_.push_back(&binding); break;
      }
      active_ids_.push_back(std::string(binding.check->info().id));
      if (binding.check->info().one_finding_per_file) one_per_file_ids_.insert(std::string(binding.check->info().id));
    }
    for (const CheckInfo* info : Catalog::builtin().infos()) {
      known_ids_.push_back(std::string(info->id));
      infos_by_id_.emplace(info->id, info);
    }
    for (const CheckInfo* info : rules::all()) {
      known_ids_.push_back(std::string(info->id));
      infos_by_id_.emplace(info->id, info);
      if (info->one_finding_per_file) one_per_file_ids_.insert(std::string(info->id));
    }
    // Objects relate across files, so reporting one manifest reads them all;
    // reporting only other files needs no manifest phase.
    if (options.report_only != nullptr && !reports_a_manifest_file()) manifests_.clear();
    if (options.render_charts && !manifests_.empty())
      for (const auto& file : workspace_.files)
        if (text::basename(file.path) == "Chart.yaml")
          chart_values_.insert(file.path.substr(0, file.path.size() - std::string_view("Chart.yaml").size()) +
                               "values.yaml");
  }

  RunResult run() {
    RunResult result;
    const unsigned jobs = options_.jobs != 0 ? options_.jobs : std::max(1u, std::thread::hardware_concurrency());
    open_cache(jobs, result.stats);
    StoredRun next;  // what this run leaves for the next (with a cache)
    // Repository-scope checks run first: their findings about a file join
    // that file's, to get snippets, suppressions and fingerprints like any.
    std::vector<Finding> unplaced;
    if (options_.repository_checks) {
      const Stopwatch repository_time;
      repository_phase(jobs, next, result.stats, unplaced);
      result.stats.times.repository = repository_time.elapsed();
    }

    std::vector<const workspace::File*> work;
    for (const auto& file : workspace_.files) {
      // A manifest is read even where the file phase is limited: objects
      // relate across files (an unchanged overlay places a changed base in
      // production), so --diff's base needs every one of them.
      const bool wanted = (options_.file_phase_only == nullptr || options_.file_phase_only->contains(file.path) ||
                           wants_manifest(file)) &&
                          (reported(file.path) || wants_manifest(file));
      if ((wanted && (!every_file_.empty() || by_kind_.contains(file.kind) || wants_manifest(file))) ||
          repository_emissions_.contains(file.path))
        work.push_back(&file);
    }
    release_shared_files_except(work);

    const Stopwatch files_time;
    std::vector<PendingFile> pending(work.size());
    ProgressListener* const progress = options_.progress;
    if (progress != nullptr) progress->phase_started(Phase::files, work.size());
    parallel_for(work.size(), jobs, [&](std::size_t i) {
      const ProgressItem item(progress, Phase::files, work[i]->path);
      pending[i] = collect_cached(*work[i], false);
      if (result.stats.repository_from_cache && pending[i].emissions_encoded && pending[i].stored->finalized &&
          !pending[i].stored->suppresses)
        pending[i].replaying = true;
      else
        merge_repository_emissions(pending[i]);
      pending[i].held_for_charts = !pending[i].awaits_manifests && pending[i].context &&
                                   pending[i].context->yaml_parsed() && chart_values_.contains(work[i]->path);
      if (!pending[i].awaits_manifests && !pending[i].held_for_charts) finalize_cached(pending[i]);
    });
    if (progress != nullptr) progress->phase_finished(Phase::files, work.size());
    result.stats.times.files = files_time.elapsed();
    if (!manifests_.empty()) check_manifests(work, pending, jobs, unplaced, result.notes, result.stats, next);
    // A list the entry held did not decode: the run is made again as if
    // there were no entry, and leaves a sound one.
    if (cache_damaged_) return Runner(plan_, constitution_, config_, workspace_, options_, Entry::ignored).run();
    if (caching_) save_cache(pending, next, result.stats);

    std::vector<FileOutcome> outcomes;
    outcomes.reserve(pending.size());
    for (auto& p : pending) outcomes.push_back(std::move(p.outcome));
    for (auto& f : unplaced) result.findings.push_back(std::move(f));
    for (auto& outcome : outcomes) {
      for (auto& f : outcome.findings) result.findings.push_back(std::move(f));
      for (auto& n : outcome.notes) result.notes.push_back(std::move(n));
      result.stats.documents_parsed += outcome.documents_parsed;
      result.stats.bytes_read += outcome.bytes_read;
    }
    // About the configuration and the constitution, not the files: once per
    // run, not again for old versions (--diff) or history blobs.
    if (options_.repository_checks)
      for (auto& f : check_attestations()) result.findings.push_back(std::move(f));
    apply_waivers(result.findings);
    mark_transitions(result.findings);
    if (options_.report_only != nullptr)
      std::erase_if(result.findings, [&](const Finding& f) { return !reported(f); });
    for (const auto& n : workspace_.notes) result.notes.push_back(n);
    std::sort(result.findings.begin(), result.findings.end(), report_order);
    std::sort(result.notes.begin(), result.notes.end());
    result.not_judged = workspace_.set_aside_counts();
    result.stats.files_discovered = workspace_.files.size();
    result.stats.files_checked = work.size();
    result.stats.active_checks = active_ids_.size();
    for (const auto& f : result.findings) result.stats.suppressed += f.suppressed() ? 1 : 0;
    return result;
  }

 private:
  Severity severity_of(const CheckInfo& info) const { return constitution_.severity.severity_for(info.nature); }

  // The message (and a remediation of its own) hides every secret it quotes:
  // the emission's own (`known`), those of the file it is about, and any the
  // scanner finds in it.
  Finding make_finding(const CheckInfo& info, const constitution::Clause* clause, const std::string& path,
                       SourceRange range, std::string message, std::string remediation,
                       std::span<const std::string_view> known = {}, const FileSecrets* file_secrets = nullptr) const {
    Finding f;
    f.check_id = std::string(info.id);
    if (clause != nullptr) {
      f.clause_id = clause->id;
      f.clause_text = clause->text;
      f.clause_section = clause->section_joined();
      f.clause_line = clause->line;
    }
    f.severity = severity_of(info);
    f.due = constitution_.severity.due(f.severity, options_.today, config_.sprint_days);
    f.path = path;
    f.range = range;
    f.message = redact_message(message, known, file_secrets);
    f.remediation =
        remediation.empty() ? std::string(info.remediation) : redact_message(remediation, known, file_secrets);
    return f;
  }

  // A finding about a file that was not read (a missing file, a directory,
  // an unreadable one): no snippet; the fingerprint hashes its message.
  Finding finding_without_line_content(Collected&& c) const {
    Finding f = make_finding(*c.info, c.clause, c.emission.path_override, c.emission.range,
                             std::move(c.emission.message), std::move(c.emission.remediation));
    f.fingerprint = message_fingerprint(f);
    return f;
  }

  bool wants_manifest(const workspace::File& file) const {
    return !manifests_.empty() && (file.kind == FileKind::yaml || file.kind == FileKind::json);
  }

  // Whether findings about `path` are reported (RunOptions::report_only).
  bool reported(const std::string& path) const {
    return options_.report_only == nullptr || options_.report_only->contains(path);
  }
  bool reported(const Finding& f) const {
    if (reported(f.path)) return true;
    if (!options_.repository_checks) return false;
    // About the repository, wherever they point: repository-scope checks and
    // the configuration's attestations and waivers.
    if (const CheckInfo* info = Catalog::builtin().find(f.check_id)) return info->scope == Scope::repository;
    for (const CheckInfo* rule : {&rules::kExpiredWaiver, &rules::kExpiredAttestation, &rules::kInvalidAttestation,
                                  &rules::kUnattestedClause})
      if (f.check_id == rule->id) return true;
    return false;
  }
  bool reports_a_manifest_file() const {
    for (const auto& file : workspace_.files) {
      const bool may_hold_manifests =
          file.kind == FileKind::yaml || file.kind == FileKind::json || file.kind == FileKind::helm_template;
      if (may_hold_manifests && reported(file.path)) return true;
    }
    return false;
  }

  // Reads a file and runs the checks that look at it alone.
  PendingFile collect(const workspace::File& file) const {
    PendingFile pending;
    FileOutcome& outcome = pending.outcome;
    // A file a repository check already read (and maybe parsed) is taken
    // over: each worker moves out its own entry; the map itself is not changed.
    std::optional<yaml::Stream> parsed;
    std::optional<code::Module> model;
    Result<std::string> content = fail("");
    if (const auto shared = shared_files_.find(file.path); shared != shared_files_.end() && shared->second.text) {
      content = std::move(*shared->second.text);
      parsed = std::move(shared->second.stream);
      model = std::move(shared->second.module);
      shared->second.text.reset();
      shared->second.module.reset();
    } else {
      content = workspace::read_content(file);
    }
    if (!content) {
      outcome.findings.push_back(make_finding(rules::kUnreadableFile, nullptr, file.path, SourceRange::whole_file(),
                                              fmt::format("cannot read the file: {}", content.error().message), {}));
      fingerprint(outcome.findings, {});
      return pending;
    }
    pending.context =
        std::make_unique<LazyFileContext>(file, config_, std::move(*content), std::move(parsed), std::move(model));
    const LazyFileContext& context = *pending.context;
    outcome.bytes_read = context.text().size();
    // Binary content under a name no parser reads (discovery already set
    // aside images, archives and the like by their extension): said once,
    // not checked, and not mistaken for text with encoding errors.
    if (file.kind == FileKind::other && text::looks_binary(context.text())) {
      const std::string_view bytes = context.text();
      const bool utf16 = bytes.starts_with("\xff\xfe") || bytes.starts_with("\xfe\xff");
      outcome.notes.push_back(
          {file.path, utf16 ? "UTF-16 text: not checked (constable reads UTF-8)" : "binary content: not checked"});
      return pending;
    }
    if (auto bad = text::first_invalid_utf8(context.text())) {
      const auto before = context.text().substr(0, *bad);
      const auto line = 1 + std::count(before.begin(), before.end(), '\n');
      const auto line_start = before.rfind('\n');
      const auto column = *bad - (line_start == std::string_view::npos ? 0 : line_start + 1) + 1;
      outcome.notes.push_back({fmt::format("{}:{}:{}", file.path, line, column),
                               "invalid UTF-8; shown with replacement characters"});
    }

    std::vector<Collected>& collected = pending.collected;
    // A file read only for the manifest set is not judged on its own.
    const bool judged = reported(file.path);
    if (const auto kind_checks = by_kind_.find(file.kind); judged && kind_checks != by_kind_.end()) {
      for (const Binding* binding : kind_checks->second) {
        CollectingEmitter emitter(collected, binding->check->info(), binding->clause);
        binding->check->check(context, emitter);
      }
    }
    const std::size_t specific = collected.size();
    if (judged && !every_file_.empty() && !text::looks_binary(context.text())) {
      for (const Binding* binding : every_file_) {
        CollectingEmitter emitter(collected, binding->check->info(), binding->clause);
        binding->check->check(context, emitter);
      }
      drop_repeated_clauses(collected, specific);
    }
    // Every YAML file is parsed (a broken one is a finding); a JSON file only
    // when it may hold an object, so lock files and data are not parsed for nothing.
    const bool may_hold_objects =
        file.kind == FileKind::yaml || context.text().find("\"apiVersion\"") != std::string_view::npos;
    if (wants_manifest(file) && may_hold_objects && !text::looks_binary(context.text()))
      pending.in_manifest_set = kube::has_manifest_documents(context.yaml(), file.path) || !context.yaml().errors.empty();
    pending.awaits_manifests = pending.in_manifest_set || (!manifests_.empty() && file.kind == FileKind::helm_template);
    for (const auto& error : context.parse_errors()) {
      collected.push_back({&rules::kParseError, nullptr,
                           Emission{.range = {error.line, error.column, error.line, 0}, .message = error.message}});
    }
    // Code is parsed only for checks that asked; tree-sitter recovers from
    // errors, so a syntax error (often syntax newer than the grammar) is a
    // note rather than a finding: the file is not wrong for constable's rules.
    for (auto& note : context.code_notes()) outcome.notes.push_back(std::move(note));
    outcome.documents_parsed = context.documents_parsed();
    return pending;
  }

  // Turns collected emissions into findings: snippets, inline suppressions,
  // fingerprints. Frees the file's content.
  void finalize(PendingFile& pending) const {
    if (!pending.context) {
      // An unreadable file: findings other scopes made about it keep their
      // location, without a snippet.
      for (auto& c : pending.collected) {
        pending.outcome.findings.push_back(finding_without_line_content(std::move(c)));
      }
      pending.collected.clear();
      return;
    }
    const LazyFileContext& context = *pending.context;
    FileOutcome& outcome = pending.outcome;
    const workspace::File& file = context.file();
    // Snippets and messages hide every secret of the file, not only those
    // the finding's own check marked.
    const FileSecrets file_secrets(context.text(), file.path);
    outcome.findings.reserve(outcome.findings.size() + pending.collected.size());
    // A long line (minified JSON) may hold thousands of findings: its
    // columns are counted once, not from its start for each.
    constexpr std::size_t kLongLine = 4096;
    std::unordered_map<int, text::CodepointColumns> long_lines;
    const auto codepoint_column = [&](int line_number, std::string_view line, int byte_column) {
      if (line.size() < kLongLine) return text::codepoint_column(line, byte_column);
      return long_lines.try_emplace(line_number, line).first->second.of(byte_column);
    };
    for (auto& c : pending.collected) {
      const auto& lines = context.lines();
      SourceRange range = c.emission.range;
      std::string snippet;
      if (range.line > 0 && static_cast<std::size_t>(range.line) <= lines.size()) {
        const std::string_view line = lines[static_cast<std::size_t>(range.line - 1)];
        snippet = make_snippet(line, range.line, c.emission.secrets, file_secrets.on_line(range.line));
        range.column = codepoint_column(range.line, line, range.column);
        if (range.end_line == 0) range.end_line = range.line;
        if (range.end_line == range.line) range.end_column = codepoint_column(range.line, line, range.end_column);
      }
      Finding f = make_finding(*c.info, c.clause, file.path, range, std::move(c.emission.message),
                               std::move(c.emission.remediation), values_in(c.emission.secrets, lines),
                               &file_secrets);
      f.snippet = std::move(snippet);
      f.anchor = std::move(c.emission.anchor);
      outcome.findings.push_back(std::move(f));
    }
    apply_inline_suppressions(context, file_secrets, outcome.findings);
    one_finding_per_file(outcome.findings);
    if (!outcome.findings.empty()) fingerprint(outcome.findings, context.lines());
    pending.collected.clear();
    pending.context.reset();
  }

  // The content cache (RunOptions::cache_directory, engine/result_cache.hpp).

  void open_cache(unsigned jobs, Stats& stats) {
    const bool whole_working_tree = options_.report_only == nullptr && options_.file_phase_only == nullptr &&
                                    options_.repository_checks && options_.file_kind_checks &&
                                    options_.render_charts;
    if (options_.cache_directory.empty() || !whole_working_tree) return;
    for (const auto& file : workspace_.files)
      if (file.content) return;  // not read from disk: no stat data tells it unchanged
    caching_ = true;
    stats.cache_used = true;
    run_started_ns_ = static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                                     std::chrono::system_clock::now().time_since_epoch())
                                                     .count());
    salt_ = cache_salt();
    cache_name_ = result_cache_name(workspace_.root, salt_);
    // The entry loads (tens of megabytes on a chart repository) while the
    // files are stat'ed; without a thread to spare, one after the other.
    std::optional<std::jthread> loading;
    if (entry_ == Entry::used) try {
      loading.emplace([this] {
        try {
          previous_ = load_results(options_.cache_directory, cache_name_, salt_);
        } catch (const std::exception&) {
          previous_.reset();  // out of memory decoding it: a miss, as for any entry that cannot be read
        }
      });
    } catch (const std::system_error&) {
      previous_ = load_results(options_.cache_directory, cache_name_, salt_);
    }
    signatures_.resize(workspace_.files.size());
    // Discovery took each file's stat data already (a regular file there:
    // the same as following symlinks); only a file it did not is asked.
    parallel_for(workspace_.files.size(), jobs, [&](std::size_t i) {
      const workspace::File& file = workspace_.files[i];
      signatures_[i] = file.stat ? unless_fresh(*file.stat, run_started_ns_)
                                 : stat_signature(file.absolute, run_started_ns_);
    });
    shape_ = workspace_shape();
    for (std::size_t i = 0; i < workspace_.files.size(); ++i)
      signature_by_path_.emplace(workspace_.files[i].absolute.string(), i);
  }

  // Dependencies on the workspace's files reuse the signatures open_cache took.
  bool still_hold(const std::vector<Dependency>& dependencies) const {
    return dependencies_hold(dependencies, [this](const std::string& path) -> const std::optional<StatSignature>* {
      const auto found = signature_by_path_.find(path);
      return found == signature_by_path_.end() ? nullptr : &signatures_[found->second];
    });
  }

  // What every stored result depends on: this build of constable, the
  // constitution, the configuration and the checks bound.
  digest::Sha256 cache_salt() const {
    digest::Sha256Builder salt;
    salt.add(CONSTABLE_VERSION);
    // A rebuilt binary of the same version may check differently.
    if (const auto executable = stat_signature("/proc/self/exe"))
      salt.add(executable->size).add(executable->mtime_ns).add(executable->inode);
    salt.add(constitution_.source_digest).add(config_.source_digest);
    for (const auto& binding : plan_.bindings) {
      salt.add(binding.check->info().id).add(binding.clause != nullptr ? binding.clause->id : std::string());
      salt.add(static_cast<std::uint64_t>(binding.status)).add(binding.parameters);
    }
    return salt.finish();
  }

  // Which files there are, and of what kind: the repository-scope checks
  // and the manifest set depend on it as a whole.
  digest::Sha256 workspace_shape() const {
    digest::Sha256Builder shape;
    for (const auto& file : workspace_.files) shape.add(file.path).add(static_cast<std::uint64_t>(file.kind));
    shape.add("set aside");
    for (const auto& file : workspace_.set_aside) shape.add(file.path).add(static_cast<std::uint64_t>(file.provenance));
    shape.add("notes");
    for (const auto& note : workspace_.notes) shape.add(note.path).add(note.message);
    shape.add("stack");
    for (const auto& fact : workspace_.stack.facts) shape.add(fact);
    return shape.finish();
  }

  // What the repository-scope checks see of git: the commit, branches and tags.
  std::string git_state() const {
    const git::Repository* repository = options_.repository;
    if (repository == nullptr) return "no repository";
    std::string state = fmt::format("commits {}\nall branches {}\n", options_.git.commits, options_.git.all_branches);
    auto add = [&](std::string_view label, const auto& value) {
      if (value) state += fmt::format("{} {}\n", label, *value);
      else state += fmt::format("{} unreadable\n", label);
    };
    add("HEAD", repository->resolve("HEAD"));
    if (const auto range = std::string_view(options_.git.commits); !range.empty()) {
      const auto dots = range.find("..");
      if (dots != std::string_view::npos) {
        add("base", repository->resolve(range.substr(0, dots)));
        add("head", repository->resolve(range.substr(dots + 2).empty() ? "HEAD" : range.substr(dots + 2)));
      }
    }
    add("branch", repository->current_branch());
    auto names = [](const Result<std::vector<std::string>>& list) -> std::optional<std::string> {
      if (!list) return std::nullopt;
      return fmt::format("{}", fmt::join(*list, " "));
    };
    add("branches", names(repository->local_branches()));
    add("tags", names(repository->tags()));
    return state;
  }

  StoredEmission store(const Collected& c) const {
    StoredEmission stored{std::string(c.info->id), c.clause != nullptr ? c.clause->id : std::string(),
                          c.emission.clause != nullptr ? c.emission.clause->id : std::string(), c.emission};
    stored.emission.clause = nullptr;
    return stored;
  }
  std::vector<StoredEmission> store(const std::vector<Collected>& collected) const {
    std::vector<StoredEmission> stored;
    stored.reserve(collected.size());
    for (const auto& c : collected) stored.push_back(store(c));
    return stored;
  }
  // The emissions back with their pointers; nullopt if a check or clause is
  // not there any more (the salt makes that unlikely; it is then a miss).
  std::optional<std::vector<Collected>> restore(std::vector<StoredEmission> stored) const {
    std::vector<Collected> collected;
    collected.reserve(stored.size());
    auto clause_of = [&](const std::string& id, const constitution::Clause*& clause) {
      clause = id.empty() ? nullptr : constitution_.find(id);
      return id.empty() || clause != nullptr;
    };
    for (auto& s : stored) {
      const auto info = infos_by_id_.find(s.check_id);
      if (info == infos_by_id_.end()) return std::nullopt;
      Collected c{info->second, nullptr, std::move(s.emission)};
      if (!clause_of(s.clause_id, c.clause) || !clause_of(s.emission_clause_id, c.emission.clause))
        return std::nullopt;
      collected.push_back(std::move(c));
    }
    return collected;
  }

  std::optional<std::vector<Collected>> restore(const EncodedEmissions& list) const {
    auto decoded = list.decode();
    return decoded ? restore(std::move(*decoded)) : std::nullopt;
  }

  // A phase's emissions as its entry keeps them: by the path they are
  // about, each path's in the order the phase made them.
  std::vector<EmissionsAbout> store_by_path(const std::vector<Collected>& collected) const {
    std::map<std::string_view, std::vector<StoredEmission>> by_path;
    for (const auto& c : collected) by_path[c.emission.path_override].push_back(store(c));
    std::vector<EmissionsAbout> stored;
    stored.reserve(by_path.size());
    for (const auto& [path, emissions] : by_path) stored.push_back({std::string(path), EncodedEmissions(emissions)});
    return stored;
  }

  // collect(), or what it gave the last time the file was as it is now.
  // `late`: a file checked again for the manifest phase's findings.
  PendingFile collect_cached(const workspace::File& file, bool late) const {
    if (!caching_) {
      PendingFile pending = collect(file);
      pending.file = &file;
      return pending;
    }
    const std::optional<StatSignature>& signature =
        signatures_[static_cast<std::size_t>(&file - workspace_.files.data())];
    StoredFile* previous = nullptr;  // each is taken by one file, once
    if (previous_) {
      auto& stored_files = late ? previous_->late_files : previous_->files;
      if (const auto found = stored_files.find(file.path); found != stored_files.end()) previous = &found->second;
    }
    if (previous != nullptr && previous->collected && signature && previous->stat == signature &&
        previous->kind == file.kind && still_hold(previous->dependencies)) {
      PendingFile pending;
      pending.file = &file;
      pending.emissions_encoded = true;  // decoded only if the file is finalised again
      pending.outcome.notes = previous->notes;
      pending.in_manifest_set = previous->in_manifest_set;
      pending.awaits_manifests = previous->awaits_manifests;
      pending.stored = std::move(*previous);
      ++files_from_cache_;
      return pending;
    }
    return collect_anew(file, signature, previous);
  }

  // collect() for a file the cache could not answer for, keeping what to
  // store of it; `previous`: the last run's results for it, if any.
  PendingFile collect_anew(const workspace::File& file, const std::optional<StatSignature>& signature,
                           StoredFile* previous) const {
    cache_changed_ = true;
    DependencyRecorder recorder(run_started_ns_, file.absolute.string());
    PendingFile pending;
    {
      const files::ObserveReads observing(recorder, files::ObserveReads::On::this_thread);
      pending = collect(file);
    }
    pending.file = &file;
    if (!pending.context) return pending;  // unreadable: nothing to keep
    const std::string_view text = pending.context->text();
    StoredFile& stored = pending.stored.emplace();
    stored.stat = signature;
    stored.content = digest::sha256(text);
    stored.kind = file.kind;
    stored.suppresses = may_hold_suppressions(text);
    stored.collected = true;
    stored.emitted = EncodedEmissions(store(pending.collected));
    stored.notes = pending.outcome.notes;
    stored.in_manifest_set = pending.in_manifest_set;
    stored.awaits_manifests = pending.awaits_manifests;
    stored.dependencies = recorder.take();
    // A touched file with the same content may still end as it did.
    if (previous != nullptr && previous->finalized && previous->content == stored.content &&
        previous->kind == file.kind) {
      stored.finalized = true;
      stored.finalized_from = previous->finalized_from;
      stored.findings = std::move(previous->findings);
    }
    return pending;
  }

  // finalize(), or the findings it gave the last time for the same content
  // and emissions (due dates recomputed for today).
  void finalize_cached(PendingFile& pending) const {
    if (!pending.stored) {
      finalize(pending);
      return;
    }
    if (pending.replaying && reuse_findings(pending)) return;
    stop_replaying(pending);
    const digest::Sha256 from = finalize_input(pending);
    if (pending.stored->finalized && pending.stored->finalized_from == from && reuse_findings(pending)) return;
    cache_changed_ = true;
    decode_emissions(pending);
    if (!pending.stored) {  // they did not decode: collected anew, kept as finalize leaves them
      finalize(pending);
      return;
    }
    StoredFile& stored = *pending.stored;
    if (!pending.context && !load_context(pending)) {
      finalize(pending);  // unreadable now: findings without snippets, not kept
      pending.stored.reset();
      return;
    }
    finalize(pending);
    stored.finalized = true;
    stored.finalized_from = from;
    std::vector<Finding> kept;
    kept.reserve(pending.outcome.findings.size());
    for (const auto& f : pending.outcome.findings) kept.push_back(compact(f));
    stored.findings = EncodedFindings(kept);
  }

  // The findings the last run's finalize gave, due dates recomputed for
  // today; false when they do not decode.
  bool reuse_findings(PendingFile& pending) const {
    auto kept = pending.stored->findings.decode();
    if (!kept) return false;
    pending.outcome.findings = std::move(*kept);
    for (auto& f : pending.outcome.findings) expand(f);
    pending.collected.clear();
    pending.context.reset();
    pending.replaying = false;
    return true;
  }

  // What finalize's result is made of: the file's content, every emission
  // about it (as the entry encodes them: a file whose own emissions are all
  // there is compared without decoding them) and, for a file with inline
  // suppressions (they expire), the day.
  digest::Sha256 finalize_input(const PendingFile& pending) const {
    const StoredFile& stored = *pending.stored;
    digest::Sha256Builder input;
    input.add(digest::hex(stored.content));
    if (!pending.merged) {
      input.add(stored.emitted.bytes());
    } else {
      input.add(EncodedEmissions(store(pending.collected)).bytes());
    }
    if (stored.suppresses) input.add(options_.today.to_string());
    return input.finish();
  }

  // The file's own emissions, decoded from the cache into `collected` ahead
  // of what other phases added. Should they not decode or not restore (a
  // damaged entry), the file is collected anew; `stored` then holds its new
  // results (or nothing, for a file now unreadable).
  void decode_emissions(PendingFile& pending) const {
    if (!pending.emissions_encoded) return;
    pending.emissions_encoded = false;
    std::optional<std::vector<Collected>> own;
    if (auto decoded = pending.stored->emitted.decode()) own = restore(std::move(*decoded));
    if (!own) {
      const auto index = static_cast<std::size_t>(pending.file - workspace_.files.data());
      std::vector<Collected> added = std::move(pending.collected);
      pending = collect_anew(*pending.file, signatures_[index], nullptr);
      own = std::move(pending.collected);
      pending.collected = std::move(added);
    }
    pending.collected.insert(pending.collected.begin(), std::make_move_iterator(own->begin()),
                             std::make_move_iterator(own->end()));
  }

  // The file's emissions, to add to or remove from.
  std::vector<Collected>& collected_for_merge(PendingFile& pending) const {
    stop_replaying(pending);
    decode_emissions(pending);
    pending.merged = true;
    return pending.collected;
  }

  // The repository phase's emissions about the file join its own.
  // Each file's are taken once, by that file (its task, or the manifest
  // phase's loop once its task is done).
  void merge_repository_emissions(PendingFile& pending) const {
    const auto found = repository_emissions_.find(pending.file->path);
    if (found == repository_emissions_.end()) return;
    RepositoryEmissions& about = found->second;
    std::vector<Collected>& collected = collected_for_merge(pending);
    if (about.stored != nullptr) {
      auto restored = restore(*about.stored);
      if (!restored) {
        cache_damaged_ = true;
        return;
      }
      about.made = std::move(*restored);
      about.stored = nullptr;
    }
    collected.insert(collected.end(), std::make_move_iterator(about.made.begin()),
                     std::make_move_iterator(about.made.end()));
    about.made.clear();
  }

  // The file is to be finalised from what the phases give now (a phase ran
  // again, or another changed what they give about it).
  void stop_replaying(PendingFile& pending) const {
    if (!pending.replaying) return;
    pending.replaying = false;
    merge_repository_emissions(pending);
  }

  // Findings of clauses in their transition period become deprecation
  // warnings, due from the day they become violations.
  void mark_transitions(std::vector<Finding>& findings) const {
    const constitution::TransitionSchedule* schedule = options_.transitions;
    if (schedule == nullptr || schedule->empty() || !schedule->period) return;
    for (auto& f : findings) {
      const constitution::Transition* t = f.clause_id.empty() ? nullptr : schedule->find(f.clause_id);
      if (t == nullptr || t->ends <= options_.today) continue;
      f.transition = TransitionNotice{t->ends, t->reason(*schedule->period)};
      f.due = constitution_.severity.due(f.severity, t->ends, config_.sprint_days);
    }
  }

  // A finding as kept: what the constitution and the check's metadata say
  // (the clause's text, the default remediation) is left out, and put back
  // with the due date for today.
  Finding compact(const Finding& f) const {
    Finding kept = f;
    kept.clause_text.clear();
    kept.clause_section.clear();
    kept.clause_line = 0;
    if (const auto info = infos_by_id_.find(f.check_id); info != infos_by_id_.end() && f.remediation == info->second->remediation)
      kept.remediation.clear();
    return kept;
  }
  void expand(Finding& f) const {
    if (const constitution::Clause* clause = f.clause_id.empty() ? nullptr : constitution_.find(f.clause_id)) {
      f.clause_text = clause->text;
      f.clause_section = clause->section_joined();
      f.clause_line = clause->line;
    }
    if (const auto info = infos_by_id_.find(f.check_id); info != infos_by_id_.end() && f.remediation.empty())
      f.remediation = std::string(info->second->remediation);
    f.due = constitution_.severity.due(f.severity, options_.today, config_.sprint_days);
  }
  // Reads a file whose file phase came from the cache, now that its text is needed.
  bool load_context(PendingFile& pending) const {
    auto content = workspace::read_content(*pending.file);
    if (!content) return false;
    pending.outcome.bytes_read = content->size();
    pending.context = std::make_unique<LazyFileContext>(*pending.file, config_, std::move(*content));
    return true;
  }

  // The manifest phase's inputs: which files there are and the content of
  // those whose documents join the manifest set or whose findings wait for
  // it. Charts are read from disk; what they read is a dependency.
  digest::Sha256 manifest_phase_key(const std::vector<PendingFile>& pending) const {
    digest::Sha256Builder key;
    key.add(digest::hex(shape_));
    for (const auto& p : pending) {
      if (!p.awaits_manifests) continue;
      key.add(p.file->path).add(p.in_manifest_set ? 1 : 0);
      key.add(p.stored ? digest::hex(p.stored->content) : std::string("unreadable"));
    }
    return key.finish();
  }

  // Repository-scope checks, or what they gave the last time the workspace,
  // the git state and every file they read were as they are now.
  // Their emissions about a workspace file wait in repository_emissions_
  // for that file; the others become findings in `unplaced`.
  void repository_phase(unsigned jobs, StoredRun& next, Stats& stats, std::vector<Finding>& unplaced) {
    std::set<std::string_view> files;
    for (const auto& file : workspace_.files) files.insert(file.path);
    auto place = [&](std::vector<Collected> collected) {
      for (auto& c : collected) {
        if (files.contains(c.emission.path_override)) {
          repository_emissions_[c.emission.path_override].made.push_back(std::move(c));
          continue;
        }
        unplaced.push_back(finding_without_line_content(std::move(c)));
      }
    };
    if (!caching_) {
      place(check_repository(jobs, options_.progress));
      return;
    }
    const auto key = digest::Sha256Builder().add(digest::hex(shape_)).add(git_state()).finish();
    if (previous_ && previous_->repository.present && previous_->repository.key == key &&
        still_hold(previous_->repository.dependencies)) {
      // Those about a workspace file stay encoded: a file that keeps its
      // findings never needs them.
      std::vector<Finding> elsewhere;
      bool restored = true;
      for (const auto& about : previous_->repository.emitted) {
        if (files.contains(about.path)) continue;
        auto collected = restore(about.emitted);
        if (!collected) {
          restored = false;
          break;
        }
        for (auto& c : *collected) elsewhere.push_back(finding_without_line_content(std::move(c)));
      }
      if (restored) {
        next.repository = std::move(previous_->repository);
        for (const auto& about : next.repository.emitted)
          if (files.contains(about.path)) repository_emissions_[about.path].stored = &about.emitted;
        unplaced.insert(unplaced.end(), std::make_move_iterator(elsewhere.begin()),
                        std::make_move_iterator(elsewhere.end()));
        stats.repository_from_cache = true;
        return;
      }
    }
    cache_changed_ = true;
    DependencyRecorder recorder(run_started_ns_);
    std::vector<Collected> collected;
    {
      const files::ObserveReads observing(recorder, files::ObserveReads::On::every_thread);
      collected = check_repository(jobs, options_.progress);
    }
    next.repository = {true, key, recorder.take(), store_by_path(collected), {}};
    place(std::move(collected));
  }

  // Keeps this run's results for the next; rewrites the entry only when
  // something was made anew or a file went away.
  void save_cache(std::vector<PendingFile>& pending, StoredRun& next, Stats& stats) const {
    stats.files_from_cache = files_from_cache_;
    const auto kept = static_cast<std::size_t>(
        std::count_if(pending.begin(), pending.end(), [](const PendingFile& p) { return p.stored.has_value(); }));
    const bool same_files = previous_ && previous_->files.size() == kept &&
                            previous_->late_files.size() == next.late_files.size();
    if (!cache_changed_ && same_files) return;  // the entry on disk says it all
    for (auto& p : pending) {
      if (p.stored) next.files.insert_or_assign(p.file->path, std::move(*p.stored));
    }
    save_results(options_.cache_directory, cache_name_, salt_, next);
  }

  class ManifestView final : public ManifestContext {
   public:
    ManifestView(const Runner& runner, const kube::ManifestSet& set, const kube::ProductionRules& production,
                 unsigned jobs)
        : runner_(runner), set_(set), production_(production), jobs_(jobs) {}
    const kube::ManifestSet& manifests() const override { return set_; }
    const kube::ProductionRules& production() const override { return production_; }
    const Config& config() const override { return runner_.config_; }
    const workspace::Workspace& workspace() const override { return runner_.workspace_; }
    const DerivedValues& derived_values() const override { return derived_; }
    void for_each_in_parallel(std::size_t count, const std::function<void(std::size_t)>& task) const override {
      parallel_for(count, jobs_, task);
    }

   private:
    const Runner& runner_;
    const kube::ManifestSet& set_;
    const kube::ProductionRules& production_;
    unsigned jobs_;
    DerivedValues derived_;
  };

  // Manifests-scope checks over every object of the run; their findings join
  // the files they point at, which are then finalised.
  void check_manifests(const std::vector<const workspace::File*>& work, std::vector<PendingFile>& pending, unsigned jobs,
                       std::vector<Finding>& unplaced, std::vector<workspace::Note>& notes, Stats& stats,
                       StoredRun& next) const {
    PhaseTimes& times = stats.times;
    const Stopwatch manifests_time;
    std::map<std::string, std::size_t, std::less<>> by_path;
    for (std::size_t i = 0; i < work.size(); ++i)
      if (pending[i].awaits_manifests) by_path.emplace(work[i]->path, i);
    std::vector<Collected> merged;  // made by this run
    const std::vector<EmissionsAbout>* stored = nullptr;  // or as the entry keeps them
    std::vector<workspace::Note> chart_notes;
    const digest::Sha256 key = caching_ ? manifest_phase_key(pending) : digest::Sha256{};
    if (caching_ && previous_ && previous_->manifests.present && previous_->manifests.key == key &&
        still_hold(previous_->manifests.dependencies)) {
      chart_notes = previous_->manifests.notes;
      next.manifests = std::move(previous_->manifests);
      stored = &next.manifests.emitted;
      stats.manifests_from_cache = true;
    } else {
      // Files whose own results came from the cache are read again for their
      // documents, and parsed here on every worker: parsed one by one as the
      // set was built, they were a third of a run after a values file changed.
      parallel_for(pending.size(), jobs, [&](std::size_t i) {
        PendingFile& p = pending[i];
        if (p.in_manifest_set && (p.context || load_context(p))) (void)p.context->yaml();
      });
      // The charts' kept renders are read before the phase's reads are
      // observed: the file they are kept in is no input of the phase.
      std::optional<StoredCharts> kept_charts;
      if (caching_ && options_.render_charts && entry_ == Entry::used)
        kept_charts = load_charts(options_.cache_directory, cache_name_, salt_);
      ChartCache chart_cache;
      chart_cache.previous = kept_charts ? &*kept_charts : nullptr;
      chart_cache.holds = [this](const std::vector<Dependency>& dependencies) { return still_hold(dependencies); };
      chart_cache.fresh_after_ns = run_started_ns_;
      DependencyRecorder recorder(run_started_ns_);
      std::optional<files::ObserveReads> observing;
      if (caching_) observing.emplace(recorder, files::ObserveReads::On::every_thread);
      merged = run_manifest_checks(work, pending, jobs, chart_notes, times, caching_ ? &chart_cache : nullptr);
      observing.reset();
      if (caching_) {
        // A chart not rendered again read nothing this time: what it read
        // the last time is the phase's input all the same.
        std::vector<Dependency> dependencies = recorder.take();
        for (const auto& [dir, chart] : chart_cache.next)
          dependencies.insert(dependencies.end(), chart.dependencies.begin(), chart.dependencies.end());
        next.manifests = {true, key, std::move(dependencies), store_by_path(merged), chart_notes};
        stats.charts_from_cache = chart_cache.reused;
        const bool charts_changed = !kept_charts || chart_cache.reused != chart_cache.next.size() ||
                                    kept_charts->size() != chart_cache.next.size();
        if (charts_changed) save_charts(options_.cache_directory, cache_name_, salt_, chart_cache.next);
      }
      // Run again, the phase may give a file less than the last time: no
      // file waiting for it keeps the findings it ended with.
      for (auto& p : pending)
        if (p.awaits_manifests) stop_replaying(p);
    }
    parallel_for(pending.size(), jobs, [&](std::size_t i) {
      if (pending[i].held_for_charts) finalize_cached(pending[i]);
    });
    notes.insert(notes.end(), chart_notes.begin(), chart_notes.end());
    // Files findings point at that the file phase did not read (a chart's
    // templates, for rendered manifests) are read now.
    std::map<std::string, const workspace::File*, std::less<>> workspace_files;
    for (const auto& file : workspace_.files) workspace_files.emplace(file.path, &file);
    std::vector<PendingFile> late;
    std::map<std::string, std::size_t, std::less<>> late_by_path;
    auto place = [&](Collected&& c) {
      if (const auto target = by_path.find(c.emission.path_override); target != by_path.end()) {
        auto& collected_here = collected_for_merge(pending[target->second]);
        std::erase_if(collected_here, [&](const Collected& other) {
          return other.info->id == c.info->supersedes && other.emission.range.line == c.emission.range.line;
        });
        collected_here.push_back(std::move(c));
        return;
      }
      if (const auto file = workspace_files.find(c.emission.path_override); file != workspace_files.end()) {
        auto [at, added] = late_by_path.emplace(file->first, late.size());
        if (added) late.push_back(collect_cached(*file->second, true));
        collected_for_merge(late[at->second]).push_back(std::move(c));
        return;
      }
      unplaced.push_back(finding_without_line_content(std::move(c)));
    };
    for (auto& c : merged) place(std::move(c));
    if (stored != nullptr) {
      for (const auto& about : *stored) {
        // From the cache, the phase gives each file what it gave the last
        // time: a file replaying keeps the findings it ended with.
        if (const auto target = by_path.find(about.path); target != by_path.end() && pending[target->second].replaying)
          continue;
        auto collected = restore(about.emitted);
        if (!collected) {
          cache_damaged_ = true;
          continue;
        }
        for (auto& c : *collected) place(std::move(c));
      }
    }
    parallel_for(pending.size(), jobs, [&](std::size_t i) {
      if (pending[i].awaits_manifests) finalize_cached(pending[i]);
    });
    for (auto& file : late) {
      finalize_cached(file);
      for (auto& f : file.outcome.findings) unplaced.push_back(std::move(f));
      if (file.stored) next.late_files.insert_or_assign(file.file->path, std::move(*file.stored));
    }
    times.manifests = manifests_time.elapsed() - times.charts;
  }

  // Renders the charts and runs the manifests-scope checks over every object
  // of the run: their emissions, one per problem and place whatever the
  // environments it was rendered for.
  std::vector<Collected> run_manifest_checks(const std::vector<const workspace::File*>& work,
                                             std::vector<PendingFile>& pending, unsigned jobs,
                                             std::vector<workspace::Note>& chart_notes, PhaseTimes& times,
                                             ChartCache* chart_cache) const {
    std::vector<kube::ParsedFile> parsed;
    for (std::size_t i = 0; i < work.size(); ++i)
      if (pending[i].in_manifest_set && pending[i].context)
        parsed.push_back({work[i]->path, &pending[i].context->yaml(), {}, {}});
    const kube::ProductionRules production(config_.production);
    // The chart files the file phase read and still holds, awaiting this
    // phase's findings (templates, the manifest set's YAML) or held for it
    // (values files), are not read again to render their charts, nor parsed
    // again where they were. A file given in memory is left out: charts
    // render from the disk.
    std::unordered_map<std::string_view, helm::HeldFile> held;
    for (std::size_t i = 0; i < work.size(); ++i)
      if (const LazyFileContext* context = pending[i].context.get(); context && !work[i]->content)
        held.emplace(work[i]->path,
                     helm::HeldFile{context->content(), context->yaml_parsed() ? &context->yaml() : nullptr});
    const auto held_file = [&held](std::string_view path) -> std::optional<helm::HeldFile> {
      const auto it = held.find(path);
      if (it == held.end()) return std::nullopt;
      return it->second;
    };
    const Stopwatch charts_time;
    const RenderedCharts charts =
        options_.render_charts ? render_charts(workspace_, production, jobs, options_.progress, chart_cache, held_file)
                               : RenderedCharts{};
    times.charts = charts_time.elapsed();
    for (const auto& manifest : charts.manifests) parsed.push_back(manifest->file);
    chart_notes = charts.notes;
    const kube::ManifestSet set = kube::ManifestSet::build(parsed, production);
    const ManifestView view(*this, set, production, jobs);
    std::vector<std::vector<Collected>> per_check(manifests_.size());
    ProgressListener* const progress = options_.progress;
    if (progress != nullptr) progress->phase_started(Phase::manifests, manifests_.size());
    parallel_for(manifests_.size(), jobs, [&](std::size_t i) {
      const ProgressItem item(progress, Phase::manifests, manifests_[i]->check->info().id);
      CollectingEmitter emitter(per_check[i], manifests_[i]->check->info(), manifests_[i]->clause);
      manifests_[i]->check->check_manifests(view, emitter);
    });
    if (progress != nullptr) progress->phase_finished(Phase::manifests, set.objects().size());
    per_check.emplace_back();
    for (const auto& problem : charts.problems)
      per_check.back().push_back({&rules::kRenderError, nullptr, Emission{.range = problem.range, .message = problem.message, .path_override = problem.path}});
    return merge_environments(per_check);
  }

  // A chart rendered for several environments reports the same problem once
  // per environment: keep one finding, labelled with every environment.
  static std::vector<Collected> merge_environments(std::vector<std::vector<Collected>>& per_check) {
    std::vector<Collected> merged;
    std::vector<std::vector<std::string>> environments;
    std::map<std::tuple<const CheckInfo*, std::string, int, std::string>, std::size_t> index;
    for (auto& collected : per_check) {
      for (auto& c : collected) {
        auto key = std::tuple{c.info, c.emission.path_override, c.emission.range.line, c.emission.message};
        const auto [at, added] = index.emplace(std::move(key), merged.size());
        if (added) {
          environments.emplace_back();
          merged.push_back(std::move(c));
        }
        auto& envs = environments[at->second];
        const std::string& env = added ? merged.back().emission.environment : c.emission.environment;
        if (!env.empty() && std::find(envs.begin(), envs.end(), env) == envs.end()) envs.push_back(env);
      }
    }
    for (std::size_t i = 0; i < merged.size(); ++i) {
      if (environments[i].empty()) continue;
      std::string label;
      for (const auto& env : environments[i]) label += (label.empty() ? "" : ", ") + env;
      merged[i].emission.message += fmt::format(" [rendered with {}]", label);
    }
    return merged;
  }

  // One problem at one line is reported once: a check made for this kind of
  // file (collected[0, specific)) wins over one that reads every file when
  // they enforce the same clause, and a check wins over the one it declares
  // it supersedes.
  static void drop_repeated_clauses(std::vector<Collected>& collected, std::size_t specific) {
    auto repeats = [&](const Collected& general, const Collected& precise) {
      if (general.emission.range.line != precise.emission.range.line) return false;
      const bool same_clause = general.clause != nullptr && general.clause == precise.clause;
      return same_clause || precise.info->supersedes == general.info->id;
    };
    std::vector<Collected> kept(std::make_move_iterator(collected.begin()),
                                std::make_move_iterator(collected.begin() + static_cast<long>(specific)));
    for (std::size_t i = specific; i < collected.size(); ++i) {
      bool repeated = false;
      for (std::size_t k = 0; k < specific && !repeated; ++k) repeated = repeats(collected[i], collected[k]);
      if (!repeated) kept.push_back(std::move(collected[i]));
    }
    collected = std::move(kept);
  }

  class RepositoryView final : public RepositoryContext {
   public:
    RepositoryView(const Runner& runner, unsigned jobs) : runner_(runner), jobs_(jobs) {}
    const workspace::Workspace& workspace() const override { return runner_.workspace_; }
    const Config& config() const override { return runner_.config_; }
    const git::Repository* repository() const override { return runner_.options_.repository; }
    const GitOptions& git_options() const override { return runner_.options_.git; }
    const std::string* text(const workspace::File& file) const override {
      SharedFile& shared = runner_.shared(file);
      return shared.text ? &*shared.text : nullptr;
    }
    const yaml::Stream* yaml(const workspace::File& file) const override {
      SharedFile& shared = runner_.shared(file);
      if (!shared.text) return nullptr;
      shared.parsed.call([&] { shared.stream = yaml::parse(*shared.text); });
      return &*shared.stream;
    }
    const code::Module* code(const workspace::File& file) const override {
      SharedFile& shared = runner_.shared(file);
      if (!shared.text) return nullptr;
      shared.modelled.call([&] { shared.module = code::build_module_for(file.path, *shared.text); });
      return shared.module ? &*shared.module : nullptr;
    }
    void prefetch_code(const std::vector<const workspace::File*>& files) const override {
      parallel_for(files.size(), jobs_, [&](std::size_t i) { (void)code(*files[i]); });
    }
    const DerivedValues& derived_values() const override { return derived_; }
    const DerivedValues& derived_values(const workspace::File& file) const override {
      return runner_.shared(file).derived;
    }

   private:
    const Runner& runner_;
    unsigned jobs_;
    DerivedValues derived_;
  };

  // Only repository checks (before the file phase) add entries.
  SharedFile& shared(const workspace::File& file) const {
    const std::vector<workspace::File>& files = workspace_.files;
    const std::less<const workspace::File*> before;
    std::atomic<SharedFile*>* slot =
        !before(&file, files.data()) && before(&file, files.data() + files.size())
            ? &shared_slots_[static_cast<std::size_t>(&file - files.data())]
            : nullptr;  // a file of the checks' own making
    SharedFile* entry = slot != nullptr ? slot->load(std::memory_order_acquire) : nullptr;
    if (entry == nullptr) {
      const std::lock_guard lock(shared_files_mutex_);
      entry = &shared_files_.try_emplace(file.path).first->second;
      if (slot != nullptr) slot->store(entry, std::memory_order_release);
    }
    entry->read.call([&] {
      if (auto content = workspace::read_content(file)) {
        content->erase(0, content->size() - text::strip_bom(*content).size());
        entry->text = std::move(*content);
      }
    });
    return *entry;
  }

  // Texts the repository checks read that the file phase will not take over
  // are let go before it starts, so memory holds only what is still needed.
  void release_shared_files_except(const std::vector<const workspace::File*>& work) const {
    for (std::size_t i = 0; i < workspace_.files.size(); ++i)
      shared_slots_[i].store(nullptr, std::memory_order_relaxed);
    auto next = work.begin();  // both are sorted by path
    for (auto it = shared_files_.begin(); it != shared_files_.end();) {
      while (next != work.end() && (*next)->path < it->first) ++next;
      if (next != work.end() && (*next)->path == it->first)
        ++it;
      else
        it = shared_files_.erase(it);
    }
  }

  // What the repository checks say they read, read and parsed on every
  // thread; per check, whether it said it reads ahead.
  std::vector<bool> read_ahead(const RepositoryView& view, unsigned jobs) const {
    std::set<FileKind> kinds;
    std::vector<const workspace::File*> yaml;
    std::vector<bool> reads_ahead;
    reads_ahead.reserve(repository_.size());
    for (const Binding* binding : repository_) {
      auto ahead = binding->check->read_ahead(workspace_);
      reads_ahead.push_back(!ahead.texts.empty() || !ahead.yaml.empty());
      kinds.insert(ahead.texts.begin(), ahead.texts.end());
      yaml.insert(yaml.end(), ahead.yaml.begin(), ahead.yaml.end());
    }
    std::sort(yaml.begin(), yaml.end());
    yaml.erase(std::unique(yaml.begin(), yaml.end()), yaml.end());
    std::vector<const workspace::File*> texts;
    for (const auto& file : workspace_.files)
      if (kinds.contains(file.kind)) texts.push_back(&file);
    parallel_for(texts.size(), jobs, [&](std::size_t i) { (void)view.text(*texts[i]); });
    parallel_for(yaml.size(), jobs, [&](std::size_t i) {
      if (const std::string* text = view.text(*yaml[i]); text != nullptr && !text::looks_binary(*text))
        (void)view.yaml(*yaml[i]);
    });
    return reads_ahead;
  }

  // The order to run checks side by side in: each domain's first, then each
  // one's second, and so on. Checks of one domain share what is costly to
  // make (the CI checks one set of command patterns, the database checks
  // the models' syntax trees): run next to each other, one thread waited
  // while the other made it. Within a domain, those that read ahead come
  // first: they walk whole trees of files (every chart's values.yaml), and
  // one of them started last ran on alone while the other cores had nothing
  // left (helm/values-comments on bitnami/charts: one core idle for 25 ms).
  static std::vector<std::size_t> domains_interleaved(const std::vector<const Binding*>& bindings,
                                                      const std::vector<bool>& reads_ahead) {
    std::vector<std::size_t> by_domain(bindings.size());
    for (std::size_t i = 0; i < bindings.size(); ++i) by_domain[i] = i;
    std::stable_sort(by_domain.begin(), by_domain.end(),
                     [&](std::size_t a, std::size_t b) { return reads_ahead[a] && !reads_ahead[b]; });
    std::unordered_map<std::string_view, std::size_t> seen;  // checks of each domain so far
    std::vector<std::pair<std::size_t, std::size_t>> ranked;  // (rank in its domain, binding index)
    ranked.reserve(bindings.size());
    for (const std::size_t i : by_domain) ranked.emplace_back(seen[bindings[i]->check->info().domain]++, i);
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<std::size_t> order;
    order.reserve(ranked.size());
    for (const auto& [rank, i] : ranked) order.push_back(i);
    return order;
  }

  // Repository-scope checks, once each, in parallel; findings in binding order.
  std::vector<Collected> check_repository(unsigned jobs, ProgressListener* progress) const {
    std::vector<std::vector<Collected>> per_check(repository_.size());
    const RepositoryView view(*this, jobs);
    const std::vector<bool> reads_ahead = read_ahead(view, jobs);
    if (progress != nullptr) progress->phase_started(Phase::repository, repository_.size());
    const std::vector<std::size_t> order = domains_interleaved(repository_, reads_ahead);
    parallel_for(repository_.size(), jobs, [&](std::size_t turn) {
      const std::size_t i = order[turn];
      const Binding* binding = repository_[i];
      const ProgressItem item(progress, Phase::repository, binding->check->info().id);
      CollectingEmitter emitter(per_check[i], binding->check->info(), binding->clause);
      binding->check->check_repository(view, emitter);
    });
    if (progress != nullptr) progress->phase_finished(Phase::repository, repository_.size());
    std::vector<Collected> collected;
    for (auto& found : per_check) std::move(found.begin(), found.end(), std::back_inserter(collected));
    return collected;
  }

  bool known(std::string_view selector) const {
    for (const auto& id : known_ids_)
      if (selector_matches(selector, id)) return true;
    return false;
  }
  bool active(std::string_view selector) const {
    for (const auto& id : active_ids_)
      if (selector_matches(selector, id)) return true;
    return false;
  }

  void apply_inline_suppressions(const LazyFileContext& context, const FileSecrets& file_secrets,
                                 std::vector<Finding>& findings) const {
    if (!may_hold_suppressions(context.text())) return;
    const auto suppressions = find_suppressions(context.lines());
    std::vector<Finding> problems;
    for (const auto& s : suppressions) {
      std::string problem = s.problem;
      for (const auto& id : s.checks)
        if (problem.empty() && !known(id)) problem = fmt::format("unknown check '{}'", id);
      if (problem.empty() && s.until && *s.until < options_.today)
        problem = fmt::format("expired on {}; the finding it suppressed is reported again", s.until->to_string());
      bool used = false;
      if (problem.empty()) {
        for (auto& f : findings) {
          if (f.suppressed() || f.check_id == rules::kInvalidSuppression.id) continue;
          const bool covers_line = s.file_wide || f.range.line == s.line || f.range.line == s.target_line;
          bool covers_check = false;
          for (const auto& id : s.checks) covers_check = covers_check || selector_matches(id, f.check_id);
          if (!covers_line || !covers_check) continue;
          f.suppression = Suppression{Suppression::Kind::inline_comment, s.reason, {}, s.until,
                                      fmt::format("{}:{}", context.file().path, s.line)};
          used = true;
        }
        bool any_active = false;
        for (const auto& id : s.checks) any_active = any_active || active(id);
        if (!used && any_active) problem = "suppresses nothing: no finding of these checks on the covered line";
      }
      if (!problem.empty()) {
        const int end = s.column + static_cast<int>(std::string_view("constable:ignore").size());
        problems.push_back(make_finding(rules::kInvalidSuppression, nullptr, context.file().path,
                                        {s.line, s.column, s.line, end}, fmt::format("invalid suppression: {}", problem),
                                        {}));
        const auto line = context.lines()[static_cast<std::size_t>(s.line - 1)];
        problems.back().range.column = text::codepoint_column(line, s.column);
        problems.back().range.end_column = text::codepoint_column(line, end);
        problems.back().snippet = make_snippet(line, s.line, {}, file_secrets.on_line(s.line));
      }
    }
    for (auto& p : problems) findings.push_back(std::move(p));
  }

  std::string config_display_path() const { return display_path(config_.source, workspace_.root); }

  Finding unplaced_finding(const CheckInfo& info, const std::string& path, int line, std::string message,
                           std::string_view identity) const {
    Finding f = make_finding(info, nullptr, path, SourceRange::at_line(line), std::move(message), {});
    f.fingerprint = text::hex64(text::fnv1a64(f.check_id + '\0' + std::string(identity)));
    return f;
  }

  // Attestations that do not hold are findings at their config line; with
  // --require-attestations, so is every clause nothing enforces.
  std::vector<Finding> check_attestations() const {
    std::vector<Finding> findings;
    const std::string config_path = config_display_path();
    for (const auto& a : config_.attestations) {
      switch (assess(a, constitution_, workspace_.root, options_.today)) {
        case AttestationState::valid: break;
        case AttestationState::unknown_clause:
          findings.push_back(unplaced_finding(
              rules::kInvalidAttestation, config_path, a.clause_line,
              fmt::format("attestation names clause '{}', which the constitution does not have (see `constable "
                          "coverage` for clause ids); it attests nothing",
                          a.clause),
              "clause\0" + a.clause));
          break;
        case AttestationState::missing_evidence:
          findings.push_back(unplaced_finding(
              rules::kInvalidAttestation, config_path, a.evidence_line,
              fmt::format("evidence '{}' of the attestation of {} (owner {}) does not exist in the repository",
                          a.evidence, a.clause, a.owner),
              "evidence\0" + a.clause + '\0' + a.evidence));
          break;
        case AttestationState::expired:
          findings.push_back(unplaced_finding(
              rules::kExpiredAttestation, config_path, a.line,
              fmt::format("attestation of {} (owner {}, attested {}) expired on {}", a.clause, a.owner,
                          a.date.to_string(), a.expires.to_string()),
              a.clause));
          break;
      }
    }
    if (!options_.require_attestations) return findings;
    const std::string constitution_path = display_path(constitution_.path, workspace_.root);
    for (const auto& clause : constitution_.clauses) {
      // A MAY grants a permission: there is nothing to attest.
      if (clause.modality == constitution::Modality::may) continue;
      if (enforcement_of(clause, constitution_, plan_, config_, workspace_.root, options_.today) !=
          ClauseEnforcement::not_enforced)
        continue;
      Finding f = unplaced_finding(rules::kUnattestedClause, constitution_path, clause.line,
                                   fmt::format("clause {} is enforced by no check and attested by no one", clause.id),
                                   clause.id);
      f.clause_id = clause.id;
      f.clause_text = clause.text;
      f.clause_section = clause.section_joined();
      f.clause_line = clause.line;
      findings.push_back(std::move(f));
    }
    return findings;
  }

  // Findings of a waived check under a waived path are suppressed until the
  // waiver expires; an expired waiver is itself a finding, at its config line.
  void apply_waivers(std::vector<Finding>& findings) const {
    if (config_.waivers.empty()) return;
    const std::string config_path = config_display_path();
    std::vector<Finding> expired;
    for (const auto& waiver : config_.waivers) {
      if (waiver.expires < options_.today) {
        const CheckInfo* waived = Catalog::builtin().find(waiver.check);
        Finding f = make_finding(rules::kExpiredWaiver, nullptr, config_path, SourceRange::at_line(waiver.line),
                                 fmt::format("waiver for {} on '{}' (owner {}) expired on {}", waiver.check,
                                             waiver.path, waiver.owner, waiver.expires.to_string()),
                                 {});
        if (waived != nullptr) {
          f.severity = severity_of(*waived);
          f.due = constitution_.severity.due(f.severity, options_.today, config_.sprint_days);
        }
        f.fingerprint = text::hex64(text::fnv1a64(f.check_id + '\0' + waiver.check + '\0' + waiver.path));
        expired.push_back(std::move(f));
        continue;
      }
      for (auto& f : findings) {
        if (f.suppressed() || !selector_matches(waiver.check, f.check_id)) continue;
        if (!workspace::glob_matches(waiver.path, f.path)) continue;
        f.suppression = Suppression{Suppression::Kind::waiver, waiver.reason, waiver.owner, waiver.expires,
                                    fmt::format("{}:{}", config_path, waiver.line)};
      }
    }
    for (auto& f : expired) findings.push_back(std::move(f));
  }

  // The findings of a check that applies one rule to many places of a file
  // become one finding that lists every place (a CHANGELOG with 1,500
  // misplaced entries is one problem). Its identity is the check and the
  // file, so a further place neither makes it new nor splits it; a place
  // suppressed inline stays a finding of its own, flagged.
  void one_finding_per_file(std::vector<Finding>& findings) const {
    if (one_per_file_ids_.empty()) return;
    std::sort(findings.begin(), findings.end(), report_order);
    std::vector<Finding> kept;
    kept.reserve(findings.size());
    std::map<std::string, std::size_t, std::less<>> first_of_check;
    for (auto& f : findings) {
      if (f.suppressed() || !one_per_file_ids_.contains(f.check_id)) {
        kept.push_back(std::move(f));
        continue;
      }
      const auto [at, added] = first_of_check.emplace(f.check_id, kept.size());
      if (added) {
        f.anchor = "every place in the file";
        kept.push_back(std::move(f));
        continue;
      }
      kept[at->second].also_at.push_back(RelatedLocation{f.range, std::move(f.message)});
    }
    for (const auto& [id, index] : first_of_check) {
      Finding& f = kept[index];
      if (f.also_at.empty()) continue;
      f.message += fmt::format(" (and {} more {} in this file)", f.also_at.size(),
                               f.also_at.size() == 1 ? "place" : "places");
    }
    findings = std::move(kept);
  }

  // A fingerprint that survives line shifts and renames: it hashes the check
  // and what the finding judges (its anchor: a stage, an object, so editing
  // the line keeps it) or else the offending line's normalised content (not
  // its number, not the path), plus the occurrence index among equals.
  // Baselines and --diff match by fingerprint, using the path only to pair
  // duplicates (engine/baseline.hpp).
  static void fingerprint(std::vector<Finding>& findings, const std::vector<std::string_view>& lines) {
    std::sort(findings.begin(), findings.end(), report_order);
    std::map<std::string, int> occurrences;
    for (auto& f : findings) {
      std::string content;
      if (!f.anchor.empty())
        content = "anchor\n" + f.anchor;
      else if (f.range.line > 0 && static_cast<std::size_t>(f.range.line) <= lines.size())
        content = normalise_whitespace(lines[static_cast<std::size_t>(f.range.line - 1)]);
      else
        content = f.message;
      std::string key = f.check_id;
      key += '\0';
      key += content;
      const int occurrence = occurrences[key]++;
      key += '\0';
      key += std::to_string(occurrence);
      f.fingerprint = text::hex64(text::fnv1a64(key));
    }
  }

  const Plan& plan_;
  const constitution::Constitution& constitution_;
  const Config& config_;
  const workspace::Workspace& workspace_;
  const RunOptions& options_;
  std::map<FileKind, std::vector<const Binding*>> by_kind_;
  std::vector<const Binding*> every_file_;
  std::vector<const Binding*> repository_;
  std::vector<const Binding*> manifests_;
  // The values.yaml path of each chart (and subchart), when charts render.
  std::unordered_set<std::string> chart_values_;
  mutable std::map<std::string, SharedFile, std::less<>> shared_files_;  // nodes stay put: entries are referenced
  mutable std::mutex shared_files_mutex_;
  // shared_files_' entry of each workspace file once made, by its index in
  // workspace_.files: looked up without the lock, thousands of times a check.
  std::unique_ptr<std::atomic<SharedFile*>[]> shared_slots_ =
      std::make_unique<std::atomic<SharedFile*>[]>(workspace_.files.size());
  std::vector<std::string> active_ids_;
  std::set<std::string, std::less<>> one_per_file_ids_;  // checks whose findings in a file are one
  std::vector<std::string> known_ids_;
  std::map<std::string_view, const CheckInfo*, std::less<>> infos_by_id_;
  // The content cache (open_cache): on only for a run of the whole working tree.
  bool caching_ = false;
  digest::Sha256 salt_{};
  std::string cache_name_;
  std::uint64_t run_started_ns_ = 0;
  mutable std::optional<StoredRun> previous_;  // the last run's results, taken as they are reused
  std::vector<std::optional<StatSignature>> signatures_;  // by index in workspace_.files
  std::unordered_map<std::string, std::size_t> signature_by_path_;  // absolute path -> index
  Entry entry_;
  // The repository phase's emissions about each workspace file, by path:
  // made by this run, or as the cache's entry keeps them until the file
  // needs them.
  struct RepositoryEmissions {
    std::vector<Collected> made;
    const EncodedEmissions* stored = nullptr;  // into the entry this run leaves
  };
  mutable std::map<std::string, RepositoryEmissions, std::less<>> repository_emissions_;
  // A list the entry held did not decode after all (it is damaged).
  mutable std::atomic<bool> cache_damaged_{false};
  digest::Sha256 shape_{};
  mutable std::atomic<std::size_t> files_from_cache_{0};
  mutable std::atomic<bool> cache_changed_{false};
};

}  // namespace

RunResult run(const Plan& plan, const constitution::Constitution& constitution, const Config& config,
              const workspace::Workspace& workspace, const RunOptions& options) {
  return Runner(plan, constitution, config, workspace, options).run();
}

Finding engine_finding(const CheckInfo& rule, const constitution::Constitution& constitution, const Config& config,
                       const RunOptions& options, std::string path, SourceRange range, std::string message,
                       std::string remediation) {
  Finding f;
  f.check_id = std::string(rule.id);
  f.severity = constitution.severity.severity_for(rule.nature);
  f.due = constitution.severity.due(f.severity, options.today, config.sprint_days);
  f.path = std::move(path);
  f.range = range;
  f.message = redact_message(message, {}, nullptr);
  f.remediation = remediation.empty() ? std::string(rule.remediation) : std::move(remediation);
  f.fingerprint = message_fingerprint(f);
  return f;
}

}  // namespace constable::engine
