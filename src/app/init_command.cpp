// `constable init [PATH]`: a first .constable.yaml for an existing
// repository, written from what is actually there: its constitution, and the
// vendored and generated trees discovery sets aside.

#include <algorithm>
#include <array>
#include <fstream>
#include <map>

#include <fmt/format.h>

#include "app/app.hpp"
#include "core/files.hpp"
#include "core/text.hpp"
#include "engine/attestation.hpp"

namespace constable::app {

namespace fs = std::filesystem;

namespace {

// Editors with the YAML language server validate and complete the file
// against this schema (docs/schema/constable-config.schema.json).
constexpr std::string_view kConfigSchemaUrl =
    "https://raw.githubusercontent.com/constable-dev/constable/main/docs/schema/constable-config.schema.json";

constexpr std::string_view kBaselineName = "constable-baseline.json";

// A directory every discovered file of which is vendored or generated.
struct ForeignTree {
  std::string path;  // relative to the root, '/'-separated, without a trailing '/'
  std::size_t files = 0;
  std::array<bool, workspace::kProvenanceCount> kinds{};
};

bool foreign(workspace::Provenance provenance) {
  return provenance == workspace::Provenance::vendored || provenance == workspace::Provenance::generated;
}

// The outermost directories whose files discovery found, all of them, to be
// vendored or generated: excluding them spares reading them at all.
std::vector<ForeignTree> foreign_trees(const workspace::Workspace& workspace) {
  struct Counts {
    std::size_t files = 0, foreign = 0;
    std::array<bool, workspace::kProvenanceCount> kinds{};
  };
  std::map<std::string, Counts, std::less<>> directories;
  const auto count = [&](std::string_view path, workspace::Provenance provenance) {
    for (std::string_view dir = text::dirname(path); !dir.empty(); dir = text::dirname(dir)) {
      Counts& c = directories[std::string(dir)];
      ++c.files;
      if (foreign(provenance)) {
        ++c.foreign;
        c.kinds[static_cast<std::size_t>(provenance)] = true;
      }
    }
  };
  for (const auto& file : workspace.files) count(file.path, workspace::Provenance::project);
  for (const auto& file : workspace.set_aside) count(file.path, file.provenance);

  const auto whole = [&](std::string_view dir) {
    const auto found = directories.find(dir);
    return found != directories.end() && found->second.files == found->second.foreign;
  };
  std::vector<ForeignTree> trees;
  for (const auto& [dir, counts] : directories) {
    if (counts.files != counts.foreign) continue;
    bool inside_another = false;
    for (std::string_view up = text::dirname(dir); !up.empty() && !inside_another; up = text::dirname(up))
      inside_another = whole(up);
    if (!inside_another) trees.push_back({dir, counts.files, counts.kinds});
  }
  return trees;
}

// The exclude glob for a tree: anchored at the root (a top-level "/vendor/"
// must not also exclude "src/vendor/"), directories only.
std::string exclude_glob(const ForeignTree& tree) {
  return tree.path.find('/') == std::string::npos ? fmt::format("/{}/", tree.path) : tree.path + "/";
}

std::string kinds_text(const ForeignTree& tree) {
  std::vector<std::string_view> kinds;
  for (std::size_t i = 0; i < tree.kinds.size(); ++i)
    if (tree.kinds[i]) kinds.push_back(workspace::to_string(static_cast<workspace::Provenance>(i)));
  std::string out;
  for (std::size_t i = 0; i < kinds.size(); ++i) out += fmt::format("{}{}", i == 0 ? "" : " and ", kinds[i]);
  return out;
}

// A YAML double-quoted scalar.
std::string yaml_quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// A path as a shell word, quoted when it needs to be.
std::string shell_word(const std::string& s) {
  const bool plain = !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/' || c == '.' ||
           c == '_' || c == '-' || c == '+' || c == ':' || c == '@';
  });
  if (plain) return s;
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string config_text(const std::string& constitution, bool constitution_inside,
                        const std::vector<ForeignTree>& trees, const workspace::Workspace& workspace, Date today) {
  std::string out = fmt::format("# yaml-language-server: $schema={}\n", kConfigSchemaUrl);
  out += fmt::format(
      "#\n"
      "# constable configuration, written by `constable init` on {}. Every key is\n"
      "# optional; `constable config` shows the effective configuration and\n"
      "# `constable checks` the check ids that select, ignore and waivers name.\n\n",
      today.to_string());
  if (constitution_inside) {
    out += "# The constitution whose clauses constable enforces.\n";
    out += fmt::format("constitution: {}\n\n", yaml_quoted(constitution));
  } else {
    out += "# The constitution lies outside the repository, where this file cannot name\n"
           "# it: pass it to every run with --constitution.\n";
    out += fmt::format("# constitution: {}\n\n", yaml_quoted(constitution));
  }
  out += "# Files not to read at all (gitignore-style globs; .gitignore is always\n"
         "# honoured). Vendored and generated files are never judged anyway; these\n"
         "# trees, found in the repository, hold nothing else, so excluding them\n"
         "# also spares reading them.\n";
  if (trees.empty()) {
    out += "exclude: []\n";
  } else {
    out += "exclude:\n";
    for (const auto& tree : trees)
      out += fmt::format("  - {}  # {} {}, {}\n", yaml_quoted(exclude_glob(tree)), tree.files,
                         tree.files == 1 ? "file" : "files", kinds_text(tree));
  }
  const auto set_aside = workspace.set_aside_counts();
  const auto fixtures = set_aside[static_cast<std::size_t>(workspace::Provenance::fixture)];
  out += fmt::format(
      "\n# Files that are not the project's own are counted, not judged: vendored,\n"
      "# generated, fixtures (examples, testdata/...), documentation, binary.\n"
      "# Name a category or a glob to judge them anyway.{}\n"
      "# include: [fixtures]\n",
      fixtures > 0 ? fmt::format(" ({} fixture file{} here.)", fixtures, fixtures == 1 ? "" : "s") : "");
  out += "\n# Only these checks or domains, or all but these (ids: `constable checks`).\n"
         "# select: [docker, kubernetes]\n"
         "# ignore: [docker/healthcheck]\n"
         "\n# The exit code is 1 when a finding is at or above this severity:\n"
         "# critical, high, medium, low (the default) or none.\n"
         "# fail_on: high\n"
         "\n# Larger files are skipped with a note; \"Low: next sprint\" deadlines.\n"
         "# max_file_size: 10MB\n"
         "# sprint_days: 14\n"
         "\n# Time-boxed exceptions: an expired waiver is itself a finding.\n"
         "# waivers:\n"
         "#   - {check: docker/healthcheck, path: \"jobs/**\", reason: \"no port to probe\",\n"
         "#      owner: platform-team, expires: 2027-01-31}\n"
         "\n# Clauses no file can show, vouched for by someone (docs/attestations.md).\n"
         "# attestations:\n"
         "#   - {clause: CLAUSE-ID, evidence: docs/governance/review.md, owner: cto-office,\n"
         "#      date: 2026-09-15, expires: 2027-09-15}\n";
  return out;
}

// "Next:" and the commands to run, their comments aligned.
std::string next_steps(const std::vector<std::pair<std::string, std::string>>& steps) {
  std::size_t width = 0;
  for (const auto& [command, why] : steps) width = std::max(width, command.size());
  std::string out = "\nNext:\n";
  for (const auto& [command, why] : steps) out += fmt::format("  {:<{}}  # {}\n", command, width, why);
  return out;
}

}  // namespace

Outcome init(const InitOptions& options) {
  std::error_code ec;
  if (!fs::is_directory(options.path, ec))
    return usage_error(fmt::format("{}: not a directory (init takes the repository's root)", options.path.string()));
  const fs::path root = options.path;
  const fs::path config_file = root / ".constable.yaml";
  if (files::present(config_file) && !options.force)
    return usage_error(fmt::format("{} exists; `constable config` shows what it sets, --force replaces it",
                                   config_file.string()));

  fs::path constitution_file;
  if (options.constitution) {
    constitution_file = *options.constitution;
  } else {
    auto found = find_constitution(root, engine::Config{});
    if (!found) return usage_error(found.error().to_string());
    constitution_file = std::move(*found);
  }
  // Read now, so that a constitution constable cannot use fails here rather
  // than at the first check.
  auto constitution = constitution::load(constitution_file, options.constitution ? fs::path() : root);
  if (!constitution) return usage_error(constitution.error().to_string());

  auto workspace = workspace::discover(root, {});
  if (!workspace) return usage_error(workspace.error().to_string());
  const std::vector<ForeignTree> trees = foreign_trees(*workspace);

  const std::string relative = engine::display_path(constitution_file, root);
  const bool inside = !fs::path(relative).is_absolute();
  const Date today = options.today.value_or(Date::today());
  {
    std::ofstream out(config_file, std::ios::binary | std::ios::trunc);
    out << config_text(relative, inside, trees, *workspace, today);
    if (!out) return usage_error(fmt::format("cannot write {}", config_file.string()));
  }

  Outcome outcome;
  outcome.out = fmt::format("wrote {}: constitution {} ({} clauses), {} excluded {}\n", config_file.string(), relative,
                            constitution->clauses.size(), trees.size(), trees.size() == 1 ? "tree" : "trees");
  const std::string path = shell_word(options.path.string());
  const std::string constitution_flag =
      inside ? std::string() : fmt::format(" --constitution {}", shell_word(constitution_file.string()));
  if (options.baseline) {
    CheckOptions check;
    check.path = root;
    check.constitution = options.constitution;
    check.today = options.today;
    Outcome written = write_baseline(check, *options.baseline);
    outcome.out += written.out;
    outcome.err += written.err;
    if (written.exit_code != kExitClean) {
      outcome.exit_code = written.exit_code;
      return outcome;
    }
    const std::string baseline = shell_word(options.baseline->string());
    outcome.out += next_steps({
        {fmt::format("constable check {}{} --baseline {}", path, constitution_flag, baseline),
         "only what is new since the baseline: nothing yet"},
        {fmt::format("constable coverage {}{}", path, constitution_flag), "which clauses are enforced, and by what"},
        {fmt::format("constable check {}{} --baseline {} --diff origin/main", path, constitution_flag, baseline),
         "the pull-request gate: only what a change adds"},
    });
    return outcome;
  }
  outcome.out += next_steps({
      {fmt::format("constable check {}{}", path, constitution_flag), "every finding, with its clause and due date"},
      {fmt::format("constable baseline write {} {}{}", kBaselineName, path, constitution_flag),
       "accept today's findings"},
      {fmt::format("constable check {}{} --baseline {}", path, constitution_flag, kBaselineName),
       "the gate: only findings not in the baseline"},
  });
  return outcome;
}

}  // namespace constable::app
