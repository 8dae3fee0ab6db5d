// Help footers, "did you mean", and the model of the CLI11 definitions that
// completion scripts and the man page are written from.

#include <algorithm>

#include <fmt/format.h>

#include "cli/cli_model.hpp"
#include "core/suggest.hpp"
#include "core/text.hpp"

namespace constable::cli {

namespace {

struct Example {
  std::string_view command;
  std::string_view what;
};
struct ExitCode {
  int code;
  std::string_view meaning;
};
struct CommandHelp {
  std::string_view path;  // "baseline write"; "" for constable itself
  std::vector<Example> examples;
  std::vector<ExitCode> exit_codes;
};

constexpr std::string_view kUsageError =
    "usage or configuration error (a bad option or value, an invalid .constable.yaml, no constitution found)";

const std::vector<CommandHelp>& command_help() {
  static const std::vector<CommandHelp> kHelp = {
      {"",
       {{"constable init", "write a .constable.yaml for the repository in the current directory"},
        {"constable check", "check it against its constitution"},
        {"constable check --format sarif -o constable.sarif", "a report for GitHub code scanning"},
        {"constable explain docker/non-root-user", "what a check enforces, and how to fix its findings"}},
       {{0, "success (for check: no violation at or above --fail-on)"},
        {1, "check: violations at or above --fail-on; docs and man --check: files out of date"},
        {2, kUsageError}}},
      {"check",
       {{"constable check", "the repository in the current directory, summary last"},
        {"constable check --select docker,kubernetes", "only the Docker and Kubernetes checks"},
        {"constable check --summary first --sort severity --min-severity high", "triage: the worst first"},
        {"constable check -q --fail-on high", "only the summary line; exit 1 on high or critical"},
        {"constable check --baseline constable-baseline.json", "only findings not in the baseline"},
        {"constable check --diff origin/main --format markdown -o summary.md", "the pull-request gate"},
        {"constable check -v --debug", "what it works on, and how long each phase takes (stderr)"}},
       {{0, "no violation at or above --fail-on (default low; none never fails)"},
        {1, "violations at or above --fail-on, shown or not (--min-severity only filters the report)"},
        {2, kUsageError}}},
      {"init",
       {{"constable init", "write .constable.yaml for the repository in the current directory"},
        {"constable init --baseline constable-baseline.json", "and record today's findings"},
        {"constable init --force", "replace an existing .constable.yaml"}},
       {{0, "written"}, {2, "the file exists (without --force), no constitution found, or it cannot be written"}}},
      {"audit",
       {{"constable audit ../payments ../shop --constitution CONSTITUTION.md",
         "audit two repositories into .constable/audit.db"},
        {"constable audit fleet.yaml --store /data/audit.db --shard $JOB_COMPLETION_INDEX/4",
         "one job's quarter of a fleet"},
        {"constable audit report --format markdown", "open, overdue and fixed per repository and team"}},
       {{0, "every repository audited and recorded"},
        {1, "some repositories could not be audited (each recorded with why)"},
        {2, "a usage error, or the store cannot be opened or written"}}},
      {"audit report",
       {{"constable audit report", "the latest state of the default store"},
        {"constable audit report --team payments --format json", "one team's, as JSON (every overdue violation)"}},
       {{0, "reported"}, {2, "no store there, or it cannot be read"}}},
      {"constitution",
       {{"constable constitution lint", "the constitution `check` would use here, judged as a document"},
        {"constable constitution diff --rev HEAD~1", "what the last commit changed in it"},
        {"constable constitution amend", "write the Sync Impact Report and footer after editing it"}},
       {{0, "success"}, {1, "lint: errors or warnings; diff: under-bumped"}, {2, "the constitution cannot be found or read"}}},
      {"constitution lint",
       {{"constable constitution lint", "the constitution `check` would use here"},
        {"constable constitution lint .specify/memory/constitution.md --format json", "as JSON, for a CI annotation"}},
       {{0, "clean, or notes only"}, {1, "errors or warnings"}, {2, "the constitution cannot be found or read"}}},
      {"constitution diff",
       {{"constable constitution diff --rev origin/main", "what this branch changes in the constitution"},
        {"constable constitution diff old.md new.md --impact ../service-a ../service-b",
         "and which repositories would newly fail"}},
       {{0, "the version bump made is enough (or nothing normative changed)"},
        {1, "the change requires a bigger bump than the one made"},
        {2, "a version cannot be read or parsed, or a usage error"}}},
      {"constitution amend",
       {{"constable constitution amend", "after editing: the report and footer against HEAD's version"},
        {"constable constitution amend --to 2.1.0 --dry-run", "show the amended file"}},
       {{0, "amended"}, {2, "the previous version cannot be found, --to is not above it, or the file cannot be written"}}},
      {"baseline",
       {{"constable baseline write constable-baseline.json", "record today's findings"}},
       {{0, "written"}, {2, kUsageError}}},
      {"baseline write",
       {{"constable baseline write constable-baseline.json", "record today's findings"},
        {"constable check --baseline constable-baseline.json", "then report only new ones"}},
       {{0, "written"}, {2, kUsageError}}},
      {"coverage",
       {{"constable coverage", "every clause, and the checks or attestation that enforce it"},
        {"constable coverage --format markdown -o coverage.md", "as a Markdown table"}},
       {{0, "listed"}, {2, kUsageError}}},
      {"explain",
       {{"constable explain docker/non-root-user", "a check: rationale, examples, fix, its clause here"},
        {"constable explain CLAUSE-ID", "a clause (ids: `constable coverage`) and what enforces it"}},
       {{0, "explained"}, {2, "no check or clause of that id (the closest are suggested), or a usage error"}}},
      {"checks",
       {{"constable checks", "every check, its severity and its status in this repository"},
        {"constable checks --format json", "the same as JSON"}},
       {{0, "listed"}, {2, kUsageError}}},
      {"config",
       {{"constable config", "the effective configuration, and where the constitution was looked for"},
        {"constable config ../other-repository", "for another repository"}},
       {{0, "shown (also without a constitution)"}, {2, "an unreadable or invalid configuration"}}},
      {"docs",
       {{"constable docs", "regenerate docs/checks/"}, {"constable docs --check", "fail when the pages are stale"}},
       {{0, "written, or up to date"}, {1, "--check: pages out of date"}, {2, "a page cannot be written"}}},
      {"completion",
       {{"source <(constable completion bash)", "complete in this bash session"},
        {"constable completion zsh > \"${fpath[1]}/_constable\"", "install for zsh"},
        {"constable completion fish > ~/.config/fish/completions/constable.fish", "install for fish"}},
       {{0, "printed"}, {2, "an unknown shell"}}},
      {"man",
       {{"constable man | man -l -", "read the manual"},
        {"constable man -o docs/constable.1 --check", "fail when the checked-in page is stale"}},
       {{0, "printed, written, or up to date"}, {1, "--check: the page is out of date"}, {2, "it cannot be written"}}},
      {"serve",
       {{"constable serve --tls-cert tls.crt --tls-key tls.key --config .constable.yaml",
         "the admission webhook, REST API and metrics on :8443 (docs/serve.md)"},
        {"constable serve --insecure --listen 127.0.0.1:8080 --constitution CONSTITUTION.md",
         "plain HTTP on loopback, to try it"},
        {"kill -HUP PID", "reload the constitution and configuration now (they also reload when they change)"}},
       {{0, "stopped by SIGINT or SIGTERM"},
        {2, "cannot start: no constitution, an invalid configuration, a certificate without subjectAltName, or a "
            "port in use"}}},
      {"mcp",
       {{"claude mcp add constable -- constable mcp", "register it with Claude Code, for the repository it runs in"},
        {"constable mcp --transport http --listen 127.0.0.1:8765", "Streamable HTTP at http://127.0.0.1:8765/mcp"}},
       {{0, "the input ended (stdio), or SIGINT or SIGTERM (http)"},
        {2, "cannot start: no constitution, an invalid configuration, or the port is in use"}}},
      {"health",
       {{"constable health", "probe the server on https://127.0.0.1:8443/readyz (a Dockerfile HEALTHCHECK)"},
        {"constable health --url https://constable.constable.svc/readyz --ca ca.crt", "probe a server elsewhere, verified"}},
       {{0, "the server is ready"}, {1, "not ready, unreachable, or it answered with another status"},
        {2, "a malformed URL"}}},
      {"policy",
       {{"constable policy test policies/", "run the policies' test_ rules, as `opa test` does"},
        {"constable policy eval --cases cases.yaml", "run Rego test cases in OPA's YAML case format"}},
       {{0, "every test or case passed"}, {1, "a test or case failed"}, {2, "a file cannot be read or compiled"}}},
      {"policy export",
       {{"constable policy export --format gatekeeper --constitution CONSTITUTION.md gatekeeper/",
         "the constitution's admission rules for a cluster that runs Gatekeeper"}},
       {{0, "written"}, {2, "no constitution, or the directory cannot be written"}}},
      {"policy verify",
       {{"constable policy verify library/", "every Gatekeeper suite.yaml under library/, as gator verify runs them"}},
       {{0, "every case passed"}, {1, "a case failed"}, {2, "a suite cannot be read"}}},
      {"policy test",
       {{"constable policy test policies/", "each failing test with its file and line"},
        {"constable policy test -v policies/", "also each passing test"}},
       {{0, "every test passed"}, {1, "a test failed"}, {2, "a policy does not parse or compile"}}},
      {"policy eval",
       {{"constable policy eval --cases cases/*.yaml", "each failing case with its file, line and reason"},
        {"constable policy eval -v --cases cases.yaml", "also each passing case"}},
       {{0, "every case passed"}, {1, "a case failed"}, {2, "a case file cannot be read or is malformed"}}},
      {"version", {{"constable version", "the version, the commit and the libraries' versions"}}, {{0, "printed"}}},
  };
  return kHelp;
}

std::string footer_text(const CommandHelp& help) {
  // The command on its line, what it does below: both stay narrow.
  std::string out = "Examples:\n";
  for (const auto& e : help.examples) out += fmt::format("  {}\n      {}\n", e.command, e.what);
  out += "\nExit codes:\n";
  for (const auto& c : help.exit_codes) out += fmt::format("  {}  {}\n", c.code, c.meaning);
  return out;
}

std::string path_of(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* at = &app; at != nullptr && at->get_parent() != nullptr; at = at->get_parent())
    names.insert(names.begin(), at->get_name());
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : " ") + n;
  return out;
}

std::vector<const CLI::App*> subcommands_of(const CLI::App& app) {
  return app.get_subcommands([](const CLI::App*) { return true; });
}

void add_footers(CLI::App& app) {
  const std::string path = path_of(app);
  for (const auto& help : command_help())
    if (help.path == path) app.footer(footer_text(help));
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) add_footers(*sub);
}

std::vector<std::string> split_choices(const std::string& type_name) {
  if (type_name.find('|') == std::string::npos) return {};
  std::vector<std::string> out;
  for (const auto part : text::split(type_name, '|')) out.emplace_back(part);
  return out;
}

std::string or_list(const std::vector<std::string>& values) {
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i)
    out += fmt::format("{}{}", i == 0 ? "" : i + 1 == values.size() ? " or " : ", ", values[i]);
  return out;
}

OptionModel option_model(const CLI::Option& option) {
  OptionModel model;
  for (const auto& l : option.get_lnames()) model.names.push_back("--" + l);
  for (const auto& s : option.get_snames()) model.names.push_back("-" + s);
  // Long names first, as help lists them; "-o" after "--output".
  if (model.names.empty()) model.positional = option.get_name(true, false);
  model.description = option.get_description();
  model.takes_value = option.get_expected_max() > 0 && option.get_type_size_max() > 0;  // a flag expects none
  model.repeats = option.get_expected_max() > 1;
  model.required = option.get_required();
  if (model.takes_value) {
    const std::string type = option.get_type_name();
    model.choices = split_choices(type);
    model.value_name = model.choices.empty() ? (type.empty() ? std::string("VALUE") : type) : type;
  }
  return model;
}

}  // namespace

CLI::Option* choices(CLI::Option* option, std::vector<std::string> values) {
  std::string type;
  for (const auto& v : values) type += (type.empty() ? "" : "|") + v;
  option->type_name(type);
  option->check(CLI::Validator(
      [values](std::string& input) -> std::string {
        if (std::find(values.begin(), values.end(), input) != values.end()) return {};
        const std::vector<std::string_view> candidates(values.begin(), values.end());
        return fmt::format("must be {}, got '{}'{}", or_list(values), text::sanitize_utf8(input),
                           text::did_you_mean(input, candidates));
      },
      "", "choices"));
  return option;
}

std::string alternatives(std::string_view said) {
  std::string out;
  std::size_t start = 0;
  while (start < said.size()) {
    std::size_t end = said.size();
    std::size_t next = said.size();
    for (const std::string_view separator : {std::string_view(", "), std::string_view(" or ")}) {
      const auto at = said.find(separator, start);
      if (at != std::string_view::npos && at < end) {
        end = at;
        next = at + separator.size();
      }
    }
    out += (out.empty() ? "" : "|") + std::string(said.substr(start, end - start));
    start = next;
  }
  return out;
}

void add_help_footers(CLI::App& cli) { add_footers(cli); }

std::optional<std::string> parse_error_hint(const CLI::App& cli, const std::vector<std::string>& args) {
  const CLI::App* app = &cli;
  bool options_seen = false;
  for (const std::string& arg : args) {
    if (arg == "--") break;
    if (arg.starts_with("--")) {
      options_seen = true;
      const std::string name = arg.substr(0, arg.find('='));
      std::vector<std::string> known;
      for (const CLI::Option* option : app->get_options())
        for (const auto& l : option->get_lnames()) known.push_back("--" + l);
      if (std::find(known.begin(), known.end(), name) != known.end()) continue;
      const std::vector<std::string_view> candidates(known.begin(), known.end());
      if (auto match = text::closest_match(name, candidates))
        return fmt::format("unknown option '{}' for `{}`; did you mean '{}'?", text::sanitize_utf8(name),
                           path_of(*app).empty() ? "constable" : "constable " + path_of(*app), *match);
      continue;
    }
    if (arg.starts_with('-') || options_seen) continue;  // an option's value, or a short option
    const auto subs = subcommands_of(*app);
    if (subs.empty()) continue;  // a positional
    const auto found = std::find_if(subs.begin(), subs.end(), [&](const CLI::App* s) { return s->get_name() == arg; });
    if (found != subs.end()) {
      app = *found;
      continue;
    }
    std::vector<std::string_view> names;
    for (const CLI::App* s : subs) names.push_back(s->get_name());
    const std::string where = path_of(*app).empty() ? "" : " " + path_of(*app);
    return fmt::format("unknown command 'constable{} {}'{} (see `constable{} --help`)", where,
                       text::sanitize_utf8(arg), text::did_you_mean(arg, names), where);
  }
  return std::nullopt;
}

std::string CommandModel::name() const {
  std::string out = "constable";
  for (const auto& p : path) out += " " + p;
  return out;
}

CommandModel describe(const CLI::App& app) {
  CommandModel model;
  const std::string path = path_of(app);
  if (!path.empty())
    for (const auto part : text::split(path, ' ')) model.path.emplace_back(part);
  model.description = app.get_description();
  model.footer = app.get_footer();
  for (const CLI::Option* option : app.get_options()) {
    OptionModel o = option_model(*option);
    (o.names.empty() ? model.positionals : model.options).push_back(std::move(o));
  }
  for (const CLI::App* sub : subcommands_of(app)) model.subcommands.push_back(describe(*sub));
  return model;
}

}  // namespace constable::cli
