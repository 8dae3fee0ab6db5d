#include <algorithm>
#include <chrono>
#include <exception>
#include <optional>
#include <system_error>
#include <thread>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "app/app.hpp"
#include "policy/rego_check.hpp"
#include "app/constitution_discovery.hpp"
#include "core/cache.hpp"
#include "core/digest.hpp"
#include "core/files.hpp"
#include "core/suggest.hpp"
#include "engine/attestation.hpp"
#include "engine/catalog.hpp"
#include "git/repository.hpp"
#include "secrets/scanner.hpp"

namespace constable::app {

namespace fs = std::filesystem;

std::string version_string() { return CONSTABLE_VERSION; }

Outcome usage_error(std::string_view message) {
  return Outcome{kExitUsage, {}, fmt::format("constable: {}\n", message)};
}

std::vector<fs::path> constitution_candidates(const fs::path& root, const engine::Config& config) {
  std::vector<fs::path> candidates;
  if (config.constitution) {
    const fs::path base = config.source.empty() ? root : fs::path(config.source).parent_path();
    candidates.push_back(base / *config.constitution);
    return candidates;  // an explicit setting is not second-guessed
  }
  for (const char* relative : {".specify/memory/constitution.md", "CONSTITUTION.md", "docs/constitution.md"})
    candidates.push_back(root / relative);
  return candidates;
}

namespace {

// Three libraries pay a one-time cost on first use: libgit2 initialises
// (7 ms where that includes parsing the system's CA certificates, which
// the static CLI defers to the first TLS handshake: src/link/), OpenSSL
// loads its configuration and provider, the secret scanner loads (or
// compiles) its patterns. Together they were a third of a small
// repository's run; on two more threads they
// overlap the reading of the constitution and the tree — libgit2's alone,
// as the repository's discovery waits for it, the others' on the second, so
// that the constitution's digest, at the end of its parse, finds OpenSSL
// ready.
// Later first uses wait for them (each is a once-only initialisation), so
// nothing depends on the timing.
struct PreparedLibraries {
  std::jthread git;
  std::jthread digest_and_secrets;
};

PreparedLibraries prepare_libraries(const fs::path& workspace) {
  // A set-up that fails here (out of memory) is tried again at its first
  // use, on the thread whose errors are reported.
  // A thread that cannot be started leaves the set-up to its first use.
  auto in_background = [](auto prepare) {
    try {
      return std::jthread([prepare] {
        try {
          prepare();
        } catch (const std::exception&) {
        }
      });
    } catch (const std::system_error&) {
      return std::jthread();
    }
  };
  // A workspace in no repository never opens one (its constitution's
  // history is looked up the same way, and set up then if it is in one).
  return {in_background([workspace] {
            if (git::may_be_in_repository(workspace)) git::initialize();
          }),
          in_background([] {
            digest::initialize();
            (void)secrets::Scanner::builtin();
          })};
}

// Ids named in --select/--ignore, the config or waivers must exist: a typo
// would otherwise silently disable nothing. Every unknown id is reported,
// with the closest known one.
Result<void> validate_selectors(const engine::Config& config, const std::vector<std::string>& cli_select,
                                const std::vector<std::string>& cli_ignore) {
  const auto& catalog = engine::Catalog::builtin();
  auto known = [&](std::string_view selector) {
    if (selector == "all") return true;
    // Policy checks are named by their packages, known once the policies load.
    if (!config.policies.empty() && (selector == "policy" || selector.starts_with("policy/"))) return true;
    for (const auto* info : catalog.infos())
      if (engine::selector_matches(selector, info->id)) return true;
    for (const auto* info : engine::rules::all())
      if (engine::selector_matches(selector, info->id)) return true;
    return false;
  };
  const std::vector<std::string> selectors = known_selectors();
  const std::vector<std::string_view> candidates(selectors.begin(), selectors.end());
  auto unknown = [&](std::string_view s) {
    return fmt::format("unknown check or domain '{}'{} (see `constable checks`)", s, text::did_you_mean(s, candidates));
  };
  std::vector<Error> errors;
  for (const auto* list : {&cli_select, &cli_ignore})
    for (const auto& s : *list)
      if (!known(s)) errors.push_back({unknown(s), {}, 0, 0});
  for (const auto* list : {&config.select, &config.ignore})
    for (const auto& s : *list)
      if (!known(s)) errors.push_back({unknown(s), config.source, 0, 0});
  for (const auto& w : config.waivers)
    if (!known(w.check))
      errors.push_back({fmt::format("waiver names unknown check '{}'{}", w.check, text::did_you_mean(w.check, candidates)),
                        config.source, w.line, 0});
  if (errors.empty()) return {};
  Error first = std::move(errors.front());
  for (std::size_t i = 1; i < errors.size(); ++i) first.message += "\n" + errors[i].to_string();
  return std::unexpected(std::move(first));
}

// Several projects below the root, each with its constitution: which one
// applies is the user's choice, not constable's.
Error several_constitutions(const fs::path& root, const std::vector<fs::path>& found) {
  std::string message = fmt::format(
      "no constitution at the top of {} and {} below it; choose one with --constitution PATH, or with "
      "'constitution: PATH' (relative to the repository) in {}:",
      root.string(), found.size(), (root / ".constable.yaml").string());
  for (const auto& file : found) message += fmt::format("\n  {}", file.string());
  return Error{std::move(message), {}, 0, 0};
}

// The constitution's warnings as notes at its path:line.
void add_constitution_warnings(Session& session, const fs::path& root) {
  const std::string path = engine::display_path(session.constitution.path, root);
  for (const auto& warning : session.constitution.warnings)
    session.notes.push_back({fmt::format("{}:{}", path, warning.line), warning.message});
}

// Git checks bound to a clause that cannot run for want of a repository say
// so, rather than pass in silence.
void add_git_checks_not_run(Session& session) {
  std::vector<std::string_view> ids;
  for (const auto& binding : session.plan.bindings)
    if (binding.status == engine::BindingStatus::not_applicable &&
        binding.check->info().stack == kGitRepositoryFact)
      ids.push_back(binding.check->info().id);
  if (ids.empty()) return;
  session.notes.push_back({".git", fmt::format("git checks not run: {} is not in a git repository ({} check{}: {})",
                                               session.root_display, ids.size(), ids.size() == 1 ? "" : "s",
                                               fmt::join(ids, ", "))});
}

}  // namespace

std::vector<std::string> known_selectors() {
  std::vector<std::string> selectors;
  auto add = [&](std::string_view id) {
    selectors.emplace_back(id);
    const std::string domain(id.substr(0, id.find('/')));
    if (std::find(selectors.begin(), selectors.end(), domain) == selectors.end()) selectors.push_back(domain);
  };
  for (const auto* info : engine::Catalog::builtin().infos()) add(info->id);
  for (const auto* info : engine::rules::all()) add(info->id);
  return selectors;
}

fs::path root_of(const fs::path& path) {
  std::error_code ec;
  return fs::is_directory(path, ec) ? path : path.parent_path();
}

Result<engine::Config> load_configuration(const CommonOptions& options) {
  // Layers: defaults, then the repository's file, then the command line.
  // The repository's own file is confined to it, as the workspace's files
  // are; a file the user names on the command line may be anywhere.
  if (options.config) return engine::load_config(*options.config);
  const fs::path root = root_of(options.path);
  if (const fs::path config_file = root / ".constable.yaml"; files::present(config_file))
    return engine::load_config(config_file, root);
  return engine::Config{};
}

ConstitutionSearch search_constitution(const fs::path& root, const engine::Config& config) {
  ConstitutionSearch search;
  search.looked = {"--constitution FILE", fmt::format("'constitution:' in {}", (root / ".constable.yaml").string())};
  std::error_code ec;
  for (const auto& candidate : constitution_candidates(root, config)) {
    if (files::present(candidate) && !fs::is_directory(fs::symlink_status(candidate, ec))) {
      search.found = candidate;
      return search;
    }
    search.looked.push_back(candidate.string());
  }
  if (config.constitution) return search;  // an explicit setting is not second-guessed
  // A monorepo keeps it with its project, one or two directories down.
  const NestedConstitutions nested = find_nested_constitutions(root);
  if (nested.found.size() > 1) search.several = nested.found;
  if (nested.found.size() == 1) search.found = nested.found.front();
  search.looked.push_back((root / "*" / kSpecKitConstitution).string());
  search.looked.push_back(fmt::format(
      "{}{}", (root / "*" / "*" / kSpecKitConstitution).string(),
      nested.truncated ? fmt::format(" (stopped after {} directory entries)", kMaxNestedEntries) : std::string()));
  return search;
}

Result<fs::path> find_constitution(const fs::path& root, const engine::Config& config) {
  ConstitutionSearch search = search_constitution(root, config);
  if (!search.several.empty()) return std::unexpected(several_constitutions(root, search.several));
  if (search.found.empty())
    return fail(fmt::format("no constitution found; looked for (in order):\n  {}", fmt::join(search.looked, "\n  ")));
  return std::move(search.found);
}

// The checks bound to their clauses for a repository using every
// technology (engine::restrict_to_stack narrows them to its stack).
Result<engine::Plan> bind_clauses(const Session& session, const CommonOptions& options) {
  // --select replaces the file's selection; --ignore adds to the file's.
  engine::Selection selection{options.select.empty() ? session.config.select : options.select,
                              session.config.ignore};
  selection.ignore.insert(selection.ignore.end(), options.ignore.begin(), options.ignore.end());
  // Policy directories are relative to the configuration file, like its constitution.
  const fs::path base = !session.config.source.empty() ? fs::path(session.config.source).parent_path()
                        : !session.workspace.root.empty() ? session.workspace.root
                                                          : fs::path(".");
  // The repository's own configuration names policies inside the repository only.
  const fs::path confine_to = options.config || session.config.source.empty() ? fs::path() : base;
  auto policies = policy::load(base, session.config.policies, session.constitution, confine_to);
  if (!policies) return std::unexpected(policies.error());
  return engine::bind_clauses(engine::Catalog::builtin(), session.constitution, session.config, selection,
                              std::move(*policies), cache::default_directory());
}

Result<engine::Plan> bind_checks(const Session& session, const CommonOptions& options,
                                 const workspace::StackFacts& stack) {
  auto plan = bind_clauses(session, options);
  if (plan) engine::restrict_to_stack(*plan, stack);
  return plan;
}

Result<Session> open_detached_session(const CommonOptions& options, const workspace::StackFacts& stack) {
  Session session;
  if (options.config) {
    auto config = engine::load_config(*options.config);
    if (!config) return std::unexpected(config.error());
    session.config = std::move(*config);
  }
  if (auto ok = validate_selectors(session.config, options.select, options.ignore); !ok)
    return std::unexpected(ok.error());
  session.today = options.today.value_or(Date::today());
  // The config's `constitution:` is relative to the config file, as it is to
  // the repository holding a .constable.yaml.
  const fs::path base = options.config ? options.config->parent_path() : fs::path{};
  fs::path constitution_file;
  if (options.constitution) constitution_file = *options.constitution;
  else if (session.config.constitution) constitution_file = base / *session.config.constitution;
  else return fail("no constitution: give --constitution FILE, or 'constitution: PATH' in the --config file");
  auto parsed = constitution::load(constitution_file);
  if (!parsed) return std::unexpected(parsed.error());
  session.constitution = std::move(*parsed);
  add_constitution_warnings(session, base);
  session.transitions = load_transitions(session.constitution, constitution_file, session.config, base, session.today,
                                         session.notes, engine::display_path(session.constitution.path, base));
  session.root_display = "<request>";
  session.workspace.stack = stack;
  auto plan = bind_checks(session, options, stack);
  if (!plan) return std::unexpected(plan.error());
  session.plan = std::move(*plan);
  std::sort(session.notes.begin(), session.notes.end());
  return session;
}

Result<Session> open_session(const CommonOptions& options) {
  Session session;
  std::error_code ec;
  if (!fs::exists(options.path, ec)) return fail("no such file or directory", options.path.string());
  const fs::path root = root_of(options.path);
  session.root_display = options.path.string();
  engine::ProgressListener* const progress = options.progress;
  auto started = [&](engine::Phase phase) {
    if (progress != nullptr) progress->phase_started(phase, 0);
  };
  auto finished = [&](engine::Phase phase, std::size_t count) {
    if (progress != nullptr) progress->phase_finished(phase, count);
  };

  auto config = load_configuration(options);
  if (!config) return std::unexpected(config.error());
  session.config = std::move(*config);

  // Files the repository names (a constitution found by name or named in
  // its .constable.yaml) are confined to it; files the user names on the
  // command line may be anywhere.
  Result<fs::path> constitution_file = options.constitution.value_or(fs::path());
  fs::path confine_to;
  if (!options.constitution) {
    // A constitution named by a --config file is the user's choice too.
    if (!options.config) confine_to = root;
    constitution_file = find_constitution(root, session.config);
  }
  // The constitution is read, and its clauses found, while this thread
  // checks the selectors and discovery walks the tree: neither needs the
  // other until binding ends, where the stack discovery found sets aside
  // the checks for what the repository does not use. Policies are looked up
  // from the workspace's root, which discovery decides: with policies,
  // binding waits for it. Errors are reported in the order of the steps:
  // the selectors', the constitution's, then discovery's.
  std::optional<Result<constitution::Constitution>> parsed;
  std::optional<Result<engine::Plan>> early_plan;
  std::exception_ptr failure;  // of the other thread, rethrown on this one
  auto read_and_bind = [&] {
    try {
      const engine::Stopwatch reading;
      parsed.emplace(constitution::load(*constitution_file, confine_to));
      session.times.constitution = reading.elapsed();
      if (!*parsed || !session.config.policies.empty()) return;
      session.constitution = std::move(**parsed);
      const engine::Stopwatch binding;
      early_plan.emplace(bind_clauses(session, options));
      session.times.bind = binding.elapsed();
    } catch (...) {
      failure = std::current_exception();
    }
  };
  std::jthread reader;
  if (constitution_file) {
    try {
      reader = std::jthread(read_and_bind);
    } catch (const std::system_error&) {
      read_and_bind();  // no thread to be had: one step after the other
    }
  }
  // After the reader: on two cores, threads started before it kept it
  // waiting for one (3 ms of a small repository's run).
  const PreparedLibraries preparing = prepare_libraries(options.path);
  if (auto ok = validate_selectors(session.config, options.select, options.ignore); !ok)
    return std::unexpected(ok.error());
  if (!constitution_file) return std::unexpected(constitution_file.error());
  session.today = options.today.value_or(Date::today());

  workspace::DiscoveryOptions discovery;
  discovery.exclude = session.config.exclude;
  discovery.include = session.config.include;
  discovery.max_file_size = session.config.max_file_size;
  discovery.jobs = options.jobs;
  const engine::Stopwatch discovering;
  auto discovered = workspace::discover(options.path, discovery);
  const auto discovery_time = discovering.elapsed();
  if (reader.joinable()) reader.join();
  if (failure) std::rethrow_exception(failure);

  started(engine::Phase::constitution);
  if (!*parsed) return std::unexpected(parsed->error());
  if (!early_plan) session.constitution = std::move(**parsed);
  finished(engine::Phase::constitution, session.constitution.clauses.size());
  add_constitution_warnings(session, root);
  session.transitions = load_transitions(
      session.constitution, *constitution_file, session.config,
      session.config.source.empty() ? root : fs::path(session.config.source).parent_path(), session.today,
      session.notes, engine::display_path(session.constitution.path, root));

  started(engine::Phase::discover);
  engine::Stopwatch phase;
  if (!discovered) return std::unexpected(discovered.error());
  session.workspace = std::move(*discovered);
  session.repository = git::Repository::discover(session.workspace.root);
  if (session.repository) session.workspace.stack.facts.insert(std::string(kGitRepositoryFact));
  session.times.discover = discovery_time + phase.elapsed();
  finished(engine::Phase::discover, session.workspace.files.size());

  started(engine::Phase::bind);
  phase = {};
  auto plan = early_plan ? std::move(*early_plan) : bind_clauses(session, options);
  if (!plan) return std::unexpected(plan.error());
  session.plan = std::move(*plan);
  engine::restrict_to_stack(session.plan, session.workspace.stack);
  session.times.bind += phase.elapsed();
  finished(engine::Phase::bind, static_cast<std::size_t>(std::count_if(
                                    session.plan.bindings.begin(), session.plan.bindings.end(),
                                    [](const auto& b) { return b.status == engine::BindingStatus::active; })));
  add_git_checks_not_run(session);
  std::sort(session.notes.begin(), session.notes.end());
  return session;
}

}  // namespace constable::app
