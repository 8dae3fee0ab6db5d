#include "checks/ci/expansion.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "checks/ci/ci_support.hpp"
#include "core/text.hpp"
#include "formats/ci/makefile.hpp"
#include "formats/ci/shell.hpp"
#include "formats/yaml/yaml.hpp"

namespace constable::checks::ci {

namespace {

using constable::ci::Job;
using constable::ci::Step;
using constable::ci::Workflow;

constexpr int kMaxDepth = 5;                 // nested calls followed (a target's prerequisite is one more)
constexpr std::size_t kMaxCommands = 3000;   // command lines read for one step, over every file it calls
constexpr int kMaxCallDepth = 4;             // reusable workflows calling reusable workflows (GitHub's own limit)

// `relative` against the directory `base` ("" is the repository root): "a/b" + "../c" -> "a/c". Nothing for
// what only the shell could resolve ($VAR, ~, globs), absolute paths and paths that leave the repository; the
// workspace variables of GitHub and GitLab name the root.
std::optional<std::string> join_path(std::string_view base, std::string_view relative) {
  for (std::string_view root : {"${{ github.workspace }}", "${{github.workspace}}", "$GITHUB_WORKSPACE",
                                "${GITHUB_WORKSPACE}", "$CI_PROJECT_DIR", "${CI_PROJECT_DIR}"}) {
    if (relative == root) return std::string();
    if (relative.starts_with(root) && relative.size() > root.size() && relative[root.size()] == '/') {
      relative.remove_prefix(root.size() + 1);
      base = "";
      break;
    }
  }
  if (relative.find_first_of("$`*?~{}") != std::string_view::npos || relative.starts_with('/')) return std::nullopt;
  std::vector<std::string_view> parts;
  for (std::string_view part : text::split(base, '/'))
    if (!part.empty() && part != ".") parts.push_back(part);
  for (std::string_view part : text::split(relative, '/')) {
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (parts.empty()) return std::nullopt;
      parts.pop_back();
    } else {
      parts.push_back(part);
    }
  }
  std::string out;
  for (std::string_view part : parts) out += (out.empty() ? "" : "/") + std::string(part);
  return out;
}

std::string in_directory(std::string_view directory, std::string_view name) {
  return directory.empty() ? std::string(name) : std::string(directory) + "/" + std::string(name);
}

// Where a shell is: its directory (nothing once a `cd` went somewhere only the shell knows) and pushd's stack.
struct Shell {
  std::optional<std::string> directory;
  std::vector<std::optional<std::string>> stack{};
};

// One step's walk: what was already followed, and how much was read.
struct Walk {
  std::set<std::string> seen;
  std::size_t commands = 0;
  int line = 0;  // the calling step's line, kept by everything it calls
  std::vector<Step> found;
};

// A Makefile with the files it includes, targets merged.
struct LoadedMakefile {
  std::string directory;
  std::vector<constable::ci::MakeTarget> targets;
  std::string default_target;
};

class Expander {
 public:
  explicit Expander(const engine::RepositoryContext& repo) : repo_(repo) {}

  void expand(Workflow& workflow) {
    for (Job& job : workflow.jobs) {
      Shell job_shell{std::string()};  // GitLab: the lines of a job's scripts share one shell
      for (Step& step : job.steps) {
        Walk walk;
        walk.line = step.line;
        if (!step.uses.empty()) follow_action(step.uses, walk, 0);
        if (!step.run.empty()) {
          Shell own{join_path("", step.working_directory)};
          Shell& shell = workflow.provider == constable::ci::Provider::gitlab_ci ? job_shell : own;
          follow_text(step.run, shell, step.name, walk, 0, false);
        }
        std::erase_if(walk.found, [](const Step& s) { return s.uses.empty() && !recognised(s); });
        step.expansion = std::move(walk.found);
      }
    }
  }

 private:
  const workspace::File* file(std::string_view path) const {
    const auto& files = repo_.workspace().files;
    const auto it = std::lower_bound(files.begin(), files.end(), path,
                                     [](const workspace::File& f, std::string_view p) { return f.path < p; });
    return it != files.end() && it->path == path ? &*it : nullptr;
  }

  // A path a command names: from the shell's directory, else from the repository root.
  const workspace::File* resolve(const Shell& shell, std::string_view path) const {
    if (shell.directory)
      if (const auto joined = join_path(*shell.directory, path))
        if (const workspace::File* found = file(*joined)) return found;
    if (const auto joined = join_path("", path)) return file(*joined);
    return nullptr;
  }

  // The command lines of a script, step or recipe; `record` keeps each line as a step of the expansion.
  void follow_text(std::string_view script, Shell& shell, const std::string& origin, Walk& walk, int depth, bool record) {
    for (const constable::ci::ShellLine& line : constable::ci::shell_lines(script)) {
      if (++walk.commands > kMaxCommands) return;
      if (record) walk.found.push_back({.name = origin, .run = line.text, .line = walk.line});
      for (const std::string& command : constable::ci::simple_commands(line.text))
        follow_command(command, shell, origin, walk, depth);
    }
  }

  void follow_command(std::string_view command, Shell& shell, const std::string& origin, Walk& walk, int depth) {
    std::vector<std::string> words = constable::ci::shell_words(command);
    const std::size_t start = skip_command_prefixes(words);
    if (start >= words.size()) return;
    words.erase(words.begin(), words.begin() + static_cast<std::ptrdiff_t>(start));
    const std::string tool = text::to_lower(text::basename(words[0]));
    if (words[0] == "cd" || words[0] == "pushd") {
      if (words[0] == "pushd") shell.stack.push_back(shell.directory);
      const bool literal = words.size() > 1 && words[1] != "-";
      shell.directory = literal && shell.directory ? join_path(*shell.directory, words[1]) : std::nullopt;
    } else if (words[0] == "popd") {
      if (!shell.stack.empty()) {
        shell.directory = shell.stack.back();
        shell.stack.pop_back();
      }
    } else if (is_make_command(words[0])) {
      follow_make(words, shell, walk, depth);
    } else if (tool == "bash" || tool == "sh" || tool == "zsh" || tool == "dash" || tool == "source" || tool == ".") {
      for (std::size_t i = 1; i < words.size(); ++i) {
        if (words[i].starts_with('-') && !words[i].starts_with("--") && words[i].find('c') != std::string::npos) {  // -c, -ec
          if (i + 1 < words.size() && depth < kMaxDepth) {
            Shell inner = shell;
            follow_text(words[i + 1], inner, origin, walk, depth + 1, true);
          }
          break;
        }
        if (words[i].starts_with('-')) continue;
        follow_script(words[i], shell, walk, depth, true);
        break;
      }
    } else if (tool == "npm" || tool == "yarn" || tool == "pnpm" || tool == "bun") {
      follow_package(words, shell, walk, depth);
    } else if (tool == "ct" && words.size() > 1 && (words[1] == "lint" || words[1] == "install" || words[1] == "lint-and-install")) {
      follow_chart_testing(words, shell, walk, depth);
    } else if (words[0].find('/') != std::string::npos || words[0].ends_with(".sh")) {
      follow_script(words[0], shell, walk, depth, false);
    }
  }

  // A repository script run by a shell (`bash scripts/test.sh`) or by its path (`./scripts/test.sh`).
  void follow_script(std::string_view path, const Shell& shell, Walk& walk, int depth, bool by_shell) {
    if (depth >= kMaxDepth) return;
    const workspace::File* script = resolve(shell, path);
    if (script == nullptr || !walk.seen.insert("script:" + script->path).second) return;
    const std::string_view content = read_file(repo_, *script);
    if (content.empty() || text::looks_binary(content)) return;
    const std::string_view first = text::split_lines(content).front();
    const bool shebang_shell = first.starts_with("#!") && (text::icontains(first, "sh"));
    const bool other_language = first.starts_with("#!") && !shebang_shell;
    const std::string_view name = text::basename(script->path);
    const bool shell_name = name.ends_with(".sh") || name.ends_with(".bash") || name.find('.') == std::string_view::npos;
    if (other_language || (!by_shell && !shell_name && !shebang_shell)) return;
    Shell inner{shell.directory};  // a script starts where its caller is
    follow_text(content, inner, script->path, walk, depth + 1, true);
  }

  void follow_make(const std::vector<std::string>& words, const Shell& shell, Walk& walk, int depth) {
    std::optional<std::string> directory = shell.directory;
    std::string file_name;
    std::vector<std::pair<std::string, std::string>> variables;
    std::vector<std::string> targets;
    for (std::size_t i = 1; i < words.size(); ++i) {
      const std::string& w = words[i];
      auto value = [&](std::string_view flag) -> std::optional<std::string> {
        if (w == flag) return i + 1 < words.size() ? std::optional(words[++i]) : std::nullopt;
        if (flag.size() == 2 && w.starts_with(flag) && w.size() > 2) return w.substr(2);
        return std::nullopt;
      };
      if (auto d = value("-C"); d || w.starts_with("--directory=")) {
        const std::string dir = d ? *d : w.substr(std::string_view("--directory=").size());
        directory = directory ? join_path(*directory, dir) : std::nullopt;
      } else if (auto f = value("-f"); f || w.starts_with("--file=") || w.starts_with("--makefile=")) {
        file_name = f ? *f : w.substr(w.find('=') + 1);
      } else if (w.starts_with('-')) {
        if ((w == "-j" || w == "-l") && i + 1 < words.size() && std::isdigit(static_cast<unsigned char>(words[i + 1][0]))) ++i;
      } else if (const auto equals = w.find('='); equals != std::string::npos) {
        variables.emplace_back(w.substr(0, equals), w.substr(equals + 1));
      } else if (w.find('$') == std::string::npos) {
        targets.push_back(w);
      }
    }
    if (!directory || depth >= kMaxDepth) return;
    const LoadedMakefile* makefile = load_makefile(*directory, file_name);
    if (makefile == nullptr) return;
    if (targets.empty() && !makefile->default_target.empty()) targets.push_back(makefile->default_target);
    for (const std::string& target : targets) follow_target(*makefile, target, variables, walk, depth + 1);
  }

  void follow_target(const LoadedMakefile& makefile, const std::string& target,
                     const std::vector<std::pair<std::string, std::string>>& variables, Walk& walk, int depth) {
    if (depth > kMaxDepth || !walk.seen.insert("make:" + makefile.directory + ":" + target).second) return;
    const std::string origin = "make " + target;
    for (const auto& rule : makefile.targets) {
      if (rule.name != target) continue;
      for (const std::string& prerequisite : rule.prerequisites)
        if (prerequisite.find('$') == std::string::npos) follow_target(makefile, prerequisite, variables, walk, depth + 1);
      for (const auto& recipe : rule.recipe) {
        Shell shell{makefile.directory};  // each recipe line is its own shell, in make's directory
        follow_text(substitute(recipe.command, variables), shell, origin, walk, depth, true);
      }
    }
  }

  // $(NAME) and ${NAME} set on make's command line, and $$ -> $.
  static std::string substitute(std::string command, const std::vector<std::pair<std::string, std::string>>& variables) {
    for (const auto& [name, value] : variables)
      for (const std::string& reference : {"$(" + name + ")", "${" + name + "}"})
        for (std::size_t at = command.find(reference); at != std::string::npos; at = command.find(reference, at + value.size()))
          command.replace(at, reference.size(), value);
    for (std::size_t at = command.find("$$"); at != std::string::npos; at = command.find("$$", at + 1))
      command.replace(at, 2, "$");
    return command;
  }

  const LoadedMakefile* load_makefile(const std::string& directory, const std::string& file_name) {
    const workspace::File* found = nullptr;
    if (!file_name.empty()) {
      if (const auto path = join_path(directory, file_name)) found = file(*path);
    } else {
      for (std::string_view name : {"GNUmakefile", "makefile", "Makefile"})
        if ((found = file(in_directory(directory, name))) != nullptr) break;
    }
    if (found == nullptr) return nullptr;
    if (const auto cached = makefiles_.find(found->path); cached != makefiles_.end()) return &cached->second;
    LoadedMakefile loaded{.directory = directory, .targets = {}, .default_target = {}};
    std::vector<const workspace::File*> pending{found};
    std::set<std::string> read;
    while (!pending.empty() && read.size() < 16) {
      const workspace::File* current = pending.back();
      pending.pop_back();
      if (!read.insert(current->path).second) continue;
      constable::ci::Makefile parsed = constable::ci::parse_makefile(read_file(repo_, *current));
      if (loaded.default_target.empty()) loaded.default_target = parsed.default_target;
      for (auto& target : parsed.targets) loaded.targets.push_back(std::move(target));
      for (const std::string& include : parsed.includes)
        if (const auto path = join_path(directory, include))
          if (const workspace::File* included = file(*path)) pending.push_back(included);
    }
    return &makefiles_.emplace(found->path, std::move(loaded)).first->second;
  }

  // `npm test`, `npm run lint`, `yarn build`, `pnpm --filter web test`, `bun run check`.
  void follow_package(const std::vector<std::string>& words, const Shell& shell, Walk& walk, int depth) {
    const std::string tool = text::to_lower(text::basename(words[0]));
    const PackageCommand command = package_command(words);
    const std::string& script = command.script;
    std::optional<std::string> directory = shell.directory;
    for (const std::string& option : command.directories)
      directory = directory ? join_path(*directory, option) : std::nullopt;
    if (!directory) return;
    if (script.empty() || script.find('$') != std::string::npos || depth >= kMaxDepth) return;
    std::optional<std::string> package_directory = directory;
    if (!command.filter.empty()) package_directory = workspace_package(*directory, command.filter);
    if (!package_directory) return;
    follow_package_script(*package_directory, tool, script, walk, depth + 1);
  }

  void follow_package_script(const std::string& directory, const std::string& tool, const std::string& script,
                             Walk& walk, int depth) {
    if (!walk.seen.insert("package:" + directory + ":" + script).second) return;
    const yaml::Node* scripts = package_scripts(directory);
    if (scripts == nullptr) return;
    for (const std::string& name : {"pre" + script, script, "post" + script}) {
      const yaml::Node* body = scripts->get(name);
      if (body == nullptr || !body->is_scalar()) continue;
      Shell shell{directory};
      follow_text(body->value, shell, tool + " run " + script, walk, depth, true);
    }
  }

  const yaml::Node* package_scripts(const std::string& directory) const {
    const workspace::File* manifest = file(in_directory(directory, "package.json"));
    if (manifest == nullptr) return nullptr;
    const yaml::Stream* stream = repo_.yaml(*manifest);
    if (stream == nullptr || stream->documents.empty() || stream->documents.front().root == nullptr) return nullptr;
    const yaml::Node* scripts = stream->documents.front().root->get("scripts");
    return scripts != nullptr && scripts->is_mapping() ? scripts : nullptr;
  }

  // The directory of the workspace package `--filter` names: a directory of that name, else the
  // package.json whose "name" it is.
  std::optional<std::string> workspace_package(const std::string& directory, const std::string& name) {
    if (const auto joined = join_path(directory, name); joined && file(in_directory(*joined, "package.json")) != nullptr)
      return joined;
    if (!package_names_) {
      package_names_.emplace();
      for (const workspace::File& f : repo_.workspace().files) {
        if (text::basename(f.path) != "package.json" || package_names_->size() > 2000) continue;
        const yaml::Stream* stream = repo_.yaml(f);
        if (stream == nullptr || stream->documents.empty() || stream->documents.front().root == nullptr) continue;
        if (const yaml::Node* n = stream->documents.front().root->get("name"); n != nullptr && n->is_scalar())
          package_names_->emplace(n->value, std::string(text::dirname(f.path)));
      }
    }
    if (const auto it = package_names_->find(name); it != package_names_->end()) return it->second;
    return std::nullopt;
  }

  // chart-testing runs the `additional-commands` of its configuration (`--config`, else ct.yaml) for every chart.
  void follow_chart_testing(const std::vector<std::string>& words, const Shell& shell, Walk& walk, int depth) {
    if (depth >= kMaxDepth) return;
    std::vector<std::string> candidates;
    for (std::size_t i = 2; i < words.size(); ++i) {
      if (words[i] == "--config" && i + 1 < words.size()) candidates.push_back(words[i + 1]);
      else if (words[i].starts_with("--config=")) candidates.push_back(words[i].substr(std::string_view("--config=").size()));
    }
    if (candidates.empty()) candidates = {"ct.yaml", "ct.yml", ".ct/ct.yaml", ".ct/ct.yml"};
    for (const std::string& candidate : candidates) {
      const workspace::File* config = resolve(shell, candidate);
      if (config == nullptr) continue;
      if (!walk.seen.insert("ct:" + config->path).second) return;
      const yaml::Stream* stream = repo_.yaml(*config);
      if (stream == nullptr || stream->documents.empty() || stream->documents.front().root == nullptr) return;
      const yaml::Node* commands = stream->documents.front().root->get("additional-commands");
      if (commands == nullptr || !commands->is_sequence()) return;
      for (const yaml::Node* command : commands->items) {
        if (!command->is_scalar()) continue;
        Shell inner = shell;
        follow_text(command->value, inner, "ct " + words[1], walk, depth + 1, true);
      }
      return;
    }
  }

  // A local composite action (`uses: ./.github/actions/setup`): its steps, and what they call.
  void follow_action(std::string_view uses, Walk& walk, int depth) {
    if (!uses.starts_with("./") || depth >= kMaxDepth) return;
    const auto directory = join_path("", uses);
    if (!directory || !walk.seen.insert("action:" + *directory).second) return;
    const workspace::File* metadata = file(in_directory(*directory, "action.yml"));
    if (metadata == nullptr) metadata = file(in_directory(*directory, "action.yaml"));
    if (metadata == nullptr) return;
    const yaml::Stream* stream = repo_.yaml(*metadata);
    if (stream == nullptr) return;
    const constable::ci::Action action = constable::ci::parse_github_action(metadata->path, *stream);
    for (const Step& inner : action.steps) {
      if (++walk.commands > kMaxCommands) return;
      Step called = inner;
      called.line = walk.line;
      if (called.name.empty()) called.name = *directory;
      walk.found.push_back(called);
      if (!inner.uses.empty()) follow_action(inner.uses, walk, depth + 1);
      if (!inner.run.empty()) {
        Shell shell{join_path("", inner.working_directory)};
        follow_text(inner.run, shell, called.name, walk, depth + 1, false);
      }
    }
  }

  const engine::RepositoryContext& repo_;
  std::map<std::string, LoadedMakefile> makefiles_;
  std::optional<std::map<std::string, std::string>> package_names_;
};

// Attaches to each job that calls a local reusable workflow a copy of that workflow, its own calls attached.
void attach_calls(Workflow& workflow, const std::vector<Workflow>& all, std::vector<std::string>& calling, int depth) {
  if (depth >= kMaxCallDepth) return;
  for (Job& job : workflow.jobs) {
    if (!job.uses.starts_with("./")) continue;
    const auto path = join_path("", job.uses.substr(0, job.uses.find('@')));
    if (!path || std::find(calling.begin(), calling.end(), *path) != calling.end()) continue;
    const auto target = std::find_if(all.begin(), all.end(), [&](const Workflow& w) { return w.path == *path; });
    if (target == all.end()) continue;
    Workflow called = *target;
    calling.push_back(*path);
    attach_calls(called, all, calling, depth + 1);
    calling.pop_back();
    job.called = std::make_shared<const Workflow>(std::move(called));
  }
}

}  // namespace

void expand_pipeline(const engine::RepositoryContext& repo, std::vector<Workflow>& workflows) {
  Expander expander(repo);
  for (Workflow& workflow : workflows) expander.expand(workflow);
  const bool calls = std::any_of(workflows.begin(), workflows.end(), [](const Workflow& w) {
    return std::any_of(w.jobs.begin(), w.jobs.end(), [](const Job& j) { return j.uses.starts_with("./"); });
  });
  if (!calls) return;
  const std::vector<Workflow> expanded = workflows;
  for (Workflow& workflow : workflows) {
    std::vector<std::string> calling{workflow.path};
    attach_calls(workflow, expanded, calling, 0);
  }
}

}  // namespace constable::checks::ci
