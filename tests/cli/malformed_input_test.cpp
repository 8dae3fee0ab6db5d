// The malformed-input suite: every class of bad input a repository can hold,
// each an end-to-end run of the `constable` binary beside a known-bad
// Dockerfile. Every run must finish within a generous time and memory bound
// (measured here with wait4), exit with the expected code, name the bad input
// in a finding or note when something is wrong with it, and still report the
// Dockerfile's violations: bad input never hides the rest of the run.

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli/cli_support.hpp"

namespace constable::testing {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

// Blow-up bounds, not benchmarks: a debug build checks any of these inputs
// in well under a second.
constexpr double kMaxSeconds = 10.0 * kSanitizerSlowdown;
constexpr long kMaxRssKib = 500L * 1024 * kSanitizerMemoryFactor;
constexpr int kKillAfterSeconds = static_cast<int>(12 * kSanitizerSlowdown);  // past the bound already: this only keeps a hanging suite moving
// No single message should be a wall of text (a template error chain, an
// echoed file).
constexpr std::size_t kMaxMessageBytes = 4096;

constexpr std::string_view kBadDockerfile = "FROM ubuntu:latest\nRUN echo hi\n";
// Findings the known-bad Dockerfile must produce in every run that reports.
const std::vector<std::string> kDockerfileChecks = {"docker/non-root-user", "docker/healthcheck",
                                                    "docker/base-image-tag"};

// Marks content outside the repository: it must never appear in any output.
constexpr std::string_view kOutsideMarker = "OUTSIDE-SECRET-7f3a9c";

// ---------------------------------------------------------------------------
// The harness: fork/exec, output captured, wall time and peak RSS from wait4.

struct Measured {
  int exit_code = -1;
  std::string out;
  std::string err;
  double seconds = 0;
  long max_rss_kib = 0;
  bool killed = false;
};

Measured run_measured(const std::vector<std::string>& argv, const std::vector<std::string>& extra_env,
                      const std::string& stdin_path) {
  Measured result;
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) env_strings.emplace_back(*e);
  for (const auto& kv : extra_env) env_strings.push_back(kv);
  std::vector<char*> envp;
  for (auto& kv : env_strings) envp.push_back(kv.data());
  envp.push_back(nullptr);
  std::vector<std::string> args_copy = argv;
  std::vector<char*> args;
  for (auto& a : args_copy) args.push_back(a.data());
  args.push_back(nullptr);

  int out_pipe[2];
  int err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0) return result;
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    const int in = ::open(stdin_path.empty() ? "/dev/null" : stdin_path.c_str(), O_RDONLY);
    if (in >= 0) dup2(in, 0);
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    execvpe(args[0], args.data(), envp.data());
    _exit(127);
  }
  close(out_pipe[1]);
  close(err_pipe[1]);
  const auto deadline = start + std::chrono::seconds(kKillAfterSeconds);
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  int open_fds = 2;
  std::vector<char> buffer(1 << 16);
  while (open_fds > 0) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      kill(pid, SIGKILL);
      result.killed = true;
      break;
    }
    if (poll(fds, 2, static_cast<int>(left.count())) <= 0) continue;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      const ssize_t n = read(fds[i].fd, buffer.data(), buffer.size());
      if (n <= 0) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      } else {
        (i == 0 ? result.out : result.err).append(buffer.data(), static_cast<std::size_t>(n));
      }
    }
  }
  for (auto& fd : fds)
    if (fd.fd >= 0) close(fd.fd);
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  result.max_rss_kib = usage.ru_maxrss;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

// ---------------------------------------------------------------------------
// Building bad repositories.

std::string repeat(std::string_view s, std::size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

// A repository under test plus a directory outside it (for symlink targets
// and the constitution).
struct Repo {
  TempDir dir;
  TempDir outside;

  Repo() = default;
  Repo(const Repo&) = delete;
  Repo& operator=(const Repo&) = delete;
  ~Repo();

  const fs::path& root() const { return dir.path(); }
  fs::path write(std::string_view relative, std::string_view content) const { return dir.write(relative, content); }
  fs::path path(std::string_view relative) const { return root() / fs::path(relative); }
  void parent_of(std::string_view relative) const { fs::create_directories(path(relative).parent_path()); }

  // A file of `size` bytes that takes no disk space beyond `prefix`.
  void sparse(std::string_view relative, std::uintmax_t size, std::string_view prefix = {}) const {
    fs::resize_file(write(relative, prefix), size);
  }
  void symlink(std::string_view relative, const fs::path& target) const {
    parent_of(relative);
    fs::create_symlink(target, path(relative));
  }
  void fifo(std::string_view relative) const {
    parent_of(relative);
    ASSERT_EQ(mkfifo(path(relative).c_str(), 0644), 0) << relative;
  }
  void socket(std::string_view relative) const {
    parent_of(relative);
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    const std::string full = path(relative).string();
    ASSERT_LT(full.size(), sizeof address.sun_path) << full;
    std::memcpy(address.sun_path, full.c_str(), full.size() + 1);
    EXPECT_EQ(bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0) << full;
    close(fd);
  }
  fs::path outside_file(std::string_view name, std::string_view content) const { return outside.write(name, content); }
  void git(std::vector<std::string> args, const std::string& date = "2026-11-01T00:00:00Z") const {
    constable::testing::git(dir, std::move(args), date);
  }
  std::string git_output(std::vector<std::string> args) const {
    args.insert(args.begin(), "git");
    auto r = run_command(args, root());
    EXPECT_EQ(r.exit_code, 0) << r.err;
    while (!r.out.empty() && r.out.back() == '\n') r.out.pop_back();
    return r.out;
  }
  // Overwrites the loose object `id` with bytes that are not zlib data.
  void corrupt_object(const std::string& id) const {
    const fs::path object = root() / ".git" / "objects" / id.substr(0, 2) / id.substr(2);
    ASSERT_TRUE(fs::exists(object)) << object;
    fs::permissions(object, fs::perms::owner_read | fs::perms::owner_write);
    std::ofstream(object, std::ios::binary | std::ios::trunc) << "this is not a zlib stream\xff\xfe";
  }
};

// Every file constable finds by its name or place (src/workspace/classify.cpp,
// the checks' file lookups), each where it is recognised.
const std::vector<std::string>& recognised_names() {
  static const std::vector<std::string> names = {
      "bad/Dockerfile", "bad/Containerfile", "bad/app.dockerfile",
      "chart/Chart.yaml", "chart/values.yaml", "chart/values-prod.yaml", "chart/templates/deployment.yaml",
      "api/openapi.yaml", "api/swagger.json",
      ".github/workflows/x.yml", ".gitlab-ci.yml",
      "CHANGELOG.md", "README.md", "docs/adr/0001-use-x.md",
      "features/x.feature",
      "k8s/kustomization.yaml", "k8s/deployment.yaml",
      "docker-compose.yml", ".env", "package.json", "pyproject.toml", "requirements.txt", "next.config.js", "main.tf",
  };
  return names;
}

// Files whose content constable parses: when they are garbage, it must say so.
const std::vector<std::string>& parsed_names() {
  static const std::vector<std::string> names = {
      "bad/Dockerfile",   "bad/Containerfile", "bad/app.dockerfile",      "chart/Chart.yaml",
      "chart/values.yaml", "api/openapi.yaml", ".github/workflows/x.yml", ".gitlab-ci.yml",
      "k8s/kustomization.yaml", "k8s/deployment.yaml"};
  return names;
}

// A Helm chart that renders, so template and values cases reach the renderer.
void write_chart(const Repo& repo) {
  repo.write("chart/Chart.yaml", "apiVersion: v2\nname: c\nversion: 1.0.0\nappVersion: 1.0.0\n");
  repo.write("chart/values.yaml", "# Replicas.\nreplicas: 1\n");
}

// ---------------------------------------------------------------------------
// The cases.

struct Expect {
  std::vector<int> exit_codes = {1};
  // Each must be named by a finding (its path, or in its message) or a note;
  // on exit 2 by standard error.
  std::vector<std::string> located = {};
  // Must appear nowhere in standard output or error.
  std::vector<std::string> absent = {};
};

struct Case {
  std::string name;
  std::function<void(Repo&)> make;
  Expect expect;
  std::vector<std::string> args = {};
  // Appended to the reference excerpt, the constitution of the run.
  std::string constitution_extra = {};
  // "" passes the reference excerpt; "discover" lets constable find the
  // repository's own; anything else is passed as --constitution, relative to
  // the repository.
  std::string constitution = {};
  bool unprivileged = false;
  std::string stdin_path = {};
};

std::string reference_excerpt() { return read_file(fixtures_dir() / "constitution" / "reference-excerpt.md"); }

const std::string kGitWorkflowSection =
    "\n## Development Workflow\n\n### Version Control\n#### Git Workflow\n"
    "- Commit messages MUST follow Conventional Commits specification\n";

// ----- YAML, JSON ---------------------------------------------------------

std::string alias_bomb(std::string_view header, int levels = 10) {
  std::string out(header);
  out += "  a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n";
  for (int i = 1; i < levels; ++i) {
    out += fmt::format("  a{}: &a{} [", i, i);
    for (int j = 0; j < 9; ++j) out += fmt::format("{}*a{}", j == 0 ? "" : ",", i - 1);
    out += "]\n";
  }
  return out;
}

std::vector<Case> yaml_cases() {
  return {
      {"YamlAliasBomb",
       [](Repo& r) {
         r.write("k8s/bomb.yaml", alias_bomb("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\ndata:\n"));
       },
       {.located = {"k8s/bomb.yaml"}}},
      {"YamlMergeKeyBomb",
       [](Repo& r) {
         std::string y = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: merge}\ndata:\n  m0: &m0 {k: v}\n";
         for (int i = 1; i < 30; ++i)
           y += fmt::format("  m{}: &m{} {{<<: [*m{}], x{}: [*m{}, *m{}], y{}: *m{}}}\n", i, i, i - 1, i, i - 1, i - 1,
                            i, i - 1);
         r.write("k8s/merge.yaml", y);
       },
       {.located = {"k8s/merge.yaml"}}},
      {"HelmValuesAliasBomb",
       [](Repo& r) {
         write_chart(r);
         r.write("chart/values.yaml", alias_bomb("# Bomb.\nbomb:\n"));
         r.write("chart/templates/cm.yaml",
                 "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  all: {{ toYaml .Values | quote }}\n");
       },
       {.located = {"chart/values.yaml"}}},
      {"YamlDeepFlowNesting",
       [](Repo& r) { r.write("k8s/deep.yaml", "apiVersion: v1\nkind: " + repeat("[", 100000) + "\n"); },
       {.located = {"k8s/deep.yaml"}}},
      {"YamlDeepBlockNesting",
       [](Repo& r) { r.write("k8s/deep.yaml", "apiVersion: v1\nkind: List\nitems:\n" + repeat("- ", 50000) + "x\n"); },
       {.located = {"k8s/deep.yaml"}}},
      {"JsonDeepNesting",
       [](Repo& r) {
         r.write("k8s/deep.json", "{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": " + repeat("[", 100000) +
                                      repeat("]", 100000) + "}\n");
       },
       {.located = {"k8s/deep.json"}}},
      {"YamlManyDocuments",
       [](Repo& r) {
         std::string y;
         for (int i = 0; i < 20000; ++i)
           y += fmt::format("---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c{}}}\n", i);
         y += repeat("---\n", 100000);
         r.write("k8s/many.yaml", y);
       },
       {}},
      {"YamlManyDuplicateKeys",
       [](Repo& r) {
         r.write("k8s/dup.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: d}\ndata:\n" +
                                     repeat("  key: value\n", 100000));
       },
       {.located = {"k8s/dup.yaml"}}},
      {"OpenApiDeepNesting",
       [](Repo& r) {
         r.write("api/openapi.yaml", "openapi: 3.1.0\ninfo: {title: t, version: 1.0.0}\npaths:\n  /x: " +
                                         repeat("{a: ", 50000) + repeat("}", 50000) + "\n");
       },
       {.located = {"api/openapi.yaml"}}},
      {"WorkflowDeepNesting",
       [](Repo& r) {
         r.write(".github/workflows/deep.yml",
                 "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps: " + repeat("[", 100000) + "\n");
       },
       {.located = {".github/workflows/deep.yml"}}},
  };
}

// ----- Markdown: constitution, README, CHANGELOG, Gherkin -------------------

std::string deep_markdown() {
  return repeat("> ", 100000) + "quoted\n\n" + repeat("- ", 50000) + "listed\n\n" + repeat("[", 100000) + "\n\n" +
         repeat("*", 100000) + "\n\n" + repeat("<div>", 20000) + "\n\n" + repeat("1. ", 30000) + "x\n";
}

std::vector<Case> markdown_cases() {
  return {
      {"ConstitutionDeepNesting", [](Repo&) {}, {}, {}, "\n## Deep\n\n" + deep_markdown()},
      {"ConstitutionManyHeadings", [](Repo&) {}, {}, {},
       [] {
         std::string s = "\n## Many\n";
         for (int i = 0; i < 50000; ++i) s += fmt::format("### Heading {}\n- Rule {} MUST hold\n", i, i);
         return s;
       }()},
      {"ReadmeDeepNesting", [](Repo& r) { r.write("README.md", "# Project\n\n" + deep_markdown()); }, {}},
      {"ChangelogDeepNestingAndManyReleases",
       [](Repo& r) {
         std::string c = "# Changelog\n\n## [Unreleased]\n\n" + deep_markdown();
         for (int i = 2000; i > 0; --i) c += fmt::format("## [1.0.{}] - 2024-01-01\n### Added\n- x\n", i);
         c += "## [\n## [1.0.0 - \n## ]]]] - 9999-99-99\n";
         r.write("CHANGELOG.md", c);
       },
       {.located = {"CHANGELOG.md"}}},
      {"AdrDeepNesting",
       [](Repo& r) { r.write("docs/adr/0001-deep.md", "# 1. Deep\n\n## Context\n\n" + deep_markdown()); },
       {}},
      {"GherkinMalformed",
       [](Repo& r) {
         std::string g = "Feature: f\n" + repeat("  Rule: r\n", 10000) + repeat("@tag ", 10000) +
                         "\n  Scenario Outline: o\n    Given <a>\n    Examples:\n      | a |\n      |" +
                         repeat(" x |", 10000) + "\n" + repeat("    Given a step\n", 50000) +
                         "  Examples:\n    | unclosed\nFeature: second\n  Background:\n  Background:\n" +
                         "    Given x\n    \"\"\"\n    never closed\n";
         r.write("features/x.feature", g);
       },
       {}},
  };
}

// ----- Dockerfiles ---------------------------------------------------------

std::vector<Case> dockerfile_cases() {
  return {
      {"DockerfileLineContinuations",
       [](Repo& r) {
         r.write("bad/Dockerfile",
                 "FROM alpine:3.20\nRUN echo \\\n" + repeat("  a \\\n", 200000) + "  b\nUSER app\nRUN echo \\");
       },
       {}},
      {"DockerfileUnclosedHeredocs",
       [](Repo& r) {
         r.write("bad/Dockerfile", "FROM alpine:3.20\nUSER app\nRUN <<EOF cat\nnever closed\n");
         std::string many = "FROM alpine:3.20\nRUN";
         for (int i = 0; i < 5000; ++i) many += fmt::format(" <<H{}", i);
         r.write("many/Dockerfile", many + "\nline\n");
       },
       {.located = {"bad/Dockerfile", "many/Dockerfile"}}},
      {"DockerfileArgExpansionBomb",
       [](Repo& r) {
         std::string d = "FROM alpine:3.20\nARG A0=xxxxxxxxxxxxxxxx\n";
         for (int i = 1; i <= 40; ++i) d += fmt::format("ARG A{}=${{A{}}}${{A{}}}\n", i, i - 1, i - 1);
         d += "FROM alpine:$A40\nENV X=$A40\nRUN echo $A40\nUSER app\nHEALTHCHECK CMD true\n";
         r.write("bomb/Dockerfile", d);
       },
       {.located = {"bomb/Dockerfile"}}},
      {"DockerfileManyStages",
       [](Repo& r) {
         std::string d = "FROM alpine:3.20 AS s0\n";
         for (int i = 1; i < 20000; ++i) d += fmt::format("FROM s{} AS s{}\nCOPY --from=s{} /a /a\n", i - 1, i, i - 1);
         r.write("bad/Dockerfile", d);
       },
       {}},
  };
}

// ----- Helm ------------------------------------------------------------------

std::vector<Case> helm_cases() {
  return {
      {"HelmTemplateNesting",
       [](Repo& r) {
         write_chart(r);
         r.write("chart/templates/parens.yaml", "x: {{ " + repeat("(", 20000) + "1" + repeat(")", 20000) + " }}\n");
         r.write("chart/templates/ifs.yaml", repeat("{{ if true }}", 5000) + "y: 1\n" + repeat("{{ end }}", 5000));
       },
       {.located = {"chart/templates/parens.yaml", "chart/templates/ifs.yaml"}}},
      {"HelmTemplateRecursion",
       [](Repo& r) {
         write_chart(r);
         r.write("chart/values.yaml", "# Self.\nself: \"{{ tpl .Values.self . }}\"\n");
         r.write("chart/templates/tpl.yaml", "x: {{ tpl .Values.self . }}\n");
         r.write("chart/templates/_helpers.tpl", "{{- define \"loop\" -}}{{ include \"loop\" . }}{{- end -}}\n");
         r.write("chart/templates/include.yaml", "y: {{ include \"loop\" . }}\n");
       },
       {.located = {"chart/templates/tpl.yaml", "chart/templates/_helpers.tpl"}}},
      {"HelmTemplatesInvalid",
       [](Repo& r) {
         write_chart(r);
         r.write("chart/templates/unclosed.yaml", "a: {{ .Values.replicas\n");
         r.write("chart/templates/stray-end.yaml", "a: 1\n{{ end }}\n");
         r.write("chart/templates/unknown-func.yaml", "a: {{ frobnicate .Values }}\n");
         r.write("chart/templates/open-define.yaml", "{{ define \"x\" }}a: 1\n");
         r.write("chart/templates/missing.yaml", "a: {{ template \"nowhere\" . }}\n");
         r.write("chart/templates/garbage.yaml", "{{ }}{{{{}}}}{{ ( }}{{ | }}{{ $x := }}{{ range }}\n");
       },
       {.located = {"chart/templates/unclosed.yaml", "chart/templates/stray-end.yaml",
                    "chart/templates/unknown-func.yaml", "chart/templates/open-define.yaml",
                    "chart/templates/missing.yaml", "chart/templates/garbage.yaml"}}},
      {"ChartFilesOfTheWrongShape",
       [](Repo& r) {
         r.write("chart/Chart.yaml", "- apiVersion: v2\n- name: c\n");
         r.write("chart/values.yaml", "- 1\n- 2\n");
         r.write("chart/templates/cm.yaml", "apiVersion: v1\nkind: ConfigMap\ndata:\n  r: {{ .Values.replicas }}\n");
         r.write("scalar/Chart.yaml", "just a string\n");
         r.write("scalar/values.yaml", "42\n");
         r.write("scalar/templates/cm.yaml", "kind: ConfigMap\n");
       },
       {.located = {"chart/Chart.yaml", "scalar/Chart.yaml"}}},
  };
}

// ----- OpenAPI, CI, kustomize --------------------------------------------------

std::vector<Case> reference_cases() {
  return {
      {"OpenApiRefCycles",
       [](Repo& r) {
         r.write("api/openapi.yaml", R"(openapi: 3.1.0
info: {title: t, version: 1.0.0}
paths:
  /loop:
    $ref: '#/paths/~1loop'
  /items:
    get:
      parameters:
        - $ref: '#/components/parameters/P'
      responses:
        '200':
          $ref: '#/components/responses/R'
        '201':
          content:
            application/json:
              schema: {$ref: '#/components/schemas/D'}
        '202':
          content:
            application/json:
              schema: {$ref: 'other.yaml#/components/schemas/G'}
components:
  parameters:
    P: {$ref: '#/components/parameters/P'}
  responses:
    R: {$ref: '#/components/responses/R2'}
    R2: {$ref: '#/components/responses/R'}
  schemas:
    A: {$ref: '#/components/schemas/B'}
    B: {$ref: '#/components/schemas/A'}
    C: {$ref: '#/components/schemas/C'}
    D:
      type: object
      properties: {self: {$ref: '#/components/schemas/D'}, all: {allOf: [{$ref: '#/components/schemas/D'}]}}
    E: {$ref: '#'}
    F: {$ref: 'other.yaml#/components/schemas/G'}
)");
         r.write("api/other.yaml",
                 "openapi: 3.1.0\ninfo: {title: o, version: 1.0.0}\npaths: {}\ncomponents:\n  schemas:\n"
                 "    G: {$ref: 'openapi.yaml#/components/schemas/F'}\n"
                 "    H: {$ref: 'other.yaml#/components/schemas/H'}\n");
       },
       {}},
      {"OpenApiRefChain",
       [](Repo& r) {
         std::string y = "openapi: 3.1.0\ninfo: {title: t, version: 1.0.0}\npaths:\n  /items:\n    get:\n"
                         "      responses:\n        '200':\n          description: ok\n          content:\n"
                         "            application/json:\n              schema: {$ref: '#/components/schemas/S0'}\n"
                         "components:\n  schemas:\n";
         for (int i = 0; i < 20000; ++i) y += fmt::format("    S{}: {{$ref: '#/components/schemas/S{}'}}\n", i, i + 1);
         y += "    S20000: {type: string}\n";
         r.write("api/openapi.yaml", y);
       },
       {}},
      {"OpenApiRefsOutsideTheRepository",
       [](Repo& r) {
         const auto secret = r.outside_file("secret.yaml", fmt::format("x: {}\n", kOutsideMarker));
         r.write("api/openapi.yaml",
                 fmt::format("openapi: 3.1.0\ninfo: {{title: t, version: 1.0.0}}\npaths:\n  /a:\n    get:\n"
                             "      responses:\n"
                             "        '200': {{$ref: '{}#/x'}}\n"
                             "        '201': {{$ref: '/dev/zero#/x'}}\n"
                             "        '202': {{$ref: 'file:///dev/urandom#/x'}}\n"
                             "        '203': {{$ref: '../../../../../../../../../../etc/passwd#/x'}}\n"
                             "        '204': {{$ref: 'http://127.0.0.1:1/x.yaml#/x'}}\n"
                             "        '205': {{$ref: '{}'}}\n",
                             secret.string(), secret.string()));
       },
       {.absent = {std::string(kOutsideMarker), "root:x:0:0"}}},
      {"GithubNeedsCycle",
       [](Repo& r) {
         r.write(".github/workflows/x.yml", R"(name: ci
on: push
jobs:
  a: {runs-on: ubuntu-latest, needs: [c], steps: [{run: make test}]}
  b: {runs-on: ubuntu-latest, needs: [a], steps: [{run: make build}]}
  c: {runs-on: ubuntu-latest, needs: [b, c], steps: [{run: make deploy}], environment: production}
  d: {runs-on: ubuntu-latest, needs: [missing], steps: [{run: docker build .}]}
  e: {needs: [e], uses: ./.github/workflows/x.yml}
  f: {needs: "a", steps: "not a list"}
)");
       },
       {}},
      {"GitlabNeedsCycleAndSelfInclude",
       [](Repo& r) {
         r.write(".gitlab-ci.yml", R"(include:
  - local: .gitlab-ci.yml
  - local: /.gitlab-ci.yml
  - .gitlab-ci.yml
stages: [test, build, deploy]
.a: {extends: .b}
.b: {extends: .a}
.c: {script: [!reference [.c, script]]}
.self: {extends: .self}
test: {stage: test, extends: .a, needs: [deploy], script: [make test]}
build: {stage: build, needs: [test, build], extends: [.self, .c], script: [docker build .]}
deploy: {stage: deploy, needs: [{job: build}, {job: deploy}], script: [make deploy], environment: production}
)");
       },
       {}},
      {"KustomizationSelfInclude",
       [](Repo& r) {
         r.write("k8s/kustomization.yaml", R"(apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: production
resources:
  - .
  - ./
  - kustomization.yaml
  - ../k8s
  - deployment.yaml
components:
  - .
patches:
  - path: kustomization.yaml
)");
         r.write("k8s/deployment.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n"
                                        "spec: {template: {spec: {containers: [{name: web, image: web:latest}]}}}\n");
       },
       {}},
      {"KustomizationsIncludingEachOther",
       [](Repo& r) {
         // A root above a cycle that branches: every level names the next twice.
         r.write("k8s/root/kustomization.yaml", "resources: [../a]\n");
         r.write("k8s/a/kustomization.yaml", "resources: [../b, ../b/, ./../b, ../c, web.yaml]\n");
         r.write("k8s/a/web.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: a}\n");
         r.write("k8s/b/kustomization.yaml", "resources: [../a, ../a/, ../c]\ncomponents: [../c]\n");
         r.write("k8s/c/kustomization.yaml", "kind: Component\nresources: [../a, ../b, ../a/., ../b/.]\n");
         r.write("k8s/base/kustomization.yaml", "resources: [../overlays/prod, web.yaml]\n");
         r.write("k8s/base/web.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: web}\n");
         r.write("k8s/overlays/prod/kustomization.yaml", "namespace: production\nresources: [../../base]\n");
       },
       {}},
      {"KustomizationOutsideTheRepository",
       [](Repo& r) {
         const auto secret = r.outside_file("secret.env", fmt::format("PASSWORD={}\n", kOutsideMarker));
         r.outside_file("res/cm.yaml", fmt::format("apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: {}}}\n",
                                                   kOutsideMarker));
         r.write("k8s/kustomization.yaml",
                 fmt::format("resources:\n  - {}\n  - {}\n  - ../../../../../../../../../../etc\n  - /dev/zero\n"
                             "configMapGenerator:\n  - name: c\n    files: [{}, /dev/zero, /dev/urandom]\n"
                             "    envs: [/etc/passwd]\nsecretGenerator:\n  - name: s\n    envs: [{}]\n"
                             "patches:\n  - path: {}\n",
                             (r.outside.path() / "res").string(), (r.outside.path() / "res" / "cm.yaml").string(),
                             secret.string(), secret.string(), secret.string()));
       },
       {.absent = {std::string(kOutsideMarker), "root:x:0:0"}}},
  };
}

// ----- Sizes -----------------------------------------------------------------------

std::vector<Case> size_cases() {
  return {
      {"SingleLine300MB",
       [](Repo& r) { r.sparse("k8s/huge.yaml", 300ULL << 20, "apiVersion: v1\nkind: ConfigMap\ndata:\n  x: "); },
       {.located = {"k8s/huge.yaml"}}},
      {"SparseFiles1GBWithEveryRecognisedName",
       [](Repo& r) {
         for (const auto& name : recognised_names()) r.sparse(name, 1ULL << 30, "x");
       },
       {.located = recognised_names(), .absent = {"has no values.yaml", "has no file values.yaml"}}},
      {"LongSingleLinesUnderTheSizeLimit",
       [](Repo& r) {
         // Checking costs time linear in the bytes read; 4 MB lines keep a
         // debug build well inside the bound while every parser sees one.
         const std::string long_line = repeat("abcdefgh", (4u << 20) / 8);
         r.write("bad/Dockerfile", "FROM alpine:3.20\nRUN echo " + long_line + "\n");
         r.write("k8s/long.yaml",
                 "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: l}\ndata:\n  x: " + long_line + "\n");
         r.write("README.md", "# R\n\n" + long_line + "\n");
         r.write(".env", "X=" + long_line + "\n");
       },
       {}},
  };
}

// ----- Every recognised name with bad content, or not a file at all -------------

std::vector<Case> named_file_cases() {
  auto each = [](std::function<void(Repo&, const std::string&)> make) {
    return [make](Repo& r) {
      for (const auto& name : recognised_names()) make(r, name);
    };
  };
  return {
      {"BinaryFilesWithEveryRecognisedName",
       each([](Repo& r, const std::string& name) {
         static constexpr char kElf[] = "\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0\xff\xfe\x80\x81garbage";
         r.write(name, std::string_view(kElf, sizeof kElf - 1));
       }),
       {.located = recognised_names()}},
      {"Utf16FilesWithEveryRecognisedName",
       each([](Repo& r, const std::string& name) {
         std::string utf16 = "\xff\xfe";
         for (const char c : std::string_view("FROM ubuntu:latest\nkind: Deployment\n# [Unreleased]\n")) {
           utf16 += c;
           utf16 += '\0';
         }
         r.write(name, utf16);
       }),
       {.located = recognised_names()}},
      {"NulBytesInEveryRecognisedName",
       each([](Repo& r, const std::string& name) {
         static constexpr char kNuls[] = "FROM alpine:3.20\0\nkind: \0Deployment\nname: a\0b\n# [Unreleased]\0\n";
         r.write(name, std::string_view(kNuls, sizeof kNuls - 1));
       }),
       {.located = parsed_names()}},
      {"LoneCarriageReturnsInEveryRecognisedName",
       each([](Repo& r, const std::string& name) {
         r.write(name, "FROM ubuntu:latest\rRUN echo \\\rhi\rapiVersion: v1\rkind: ConfigMap\r"
                       "# Changelog\r## [Unreleased]\r");
       }),
       {}},
      {"CrlfAndBomInEveryRecognisedName",
       each([](Repo& r, const std::string& name) {
         r.write(name, "\xEF\xBB\xBF" "FROM ubuntu:latest\r\nRUN echo \\\r\n  hi\r\n");
       }),
       {.located = {"bad/Dockerfile", "bad/Containerfile", "bad/app.dockerfile"}, .absent = {"\\r"}}},
      // Empty is valid for most; a chart needs its metadata.
      {"EmptyFilesWithEveryRecognisedName", each([](Repo& r, const std::string& name) { r.write(name, ""); }),
       {.located = {"chart/Chart.yaml"}}},
      {"DirectoriesWithEveryRecognisedName",
       each([](Repo& r, const std::string& name) { fs::create_directories(r.path(name) / "inner"); }), {}},
      {"SymlinkLoopsWithEveryRecognisedName",
       each([](Repo& r, const std::string& name) { r.symlink(name, fs::path(name).filename()); }),
       {.located = recognised_names()}},
      {"SymlinksToDevZeroWithEveryRecognisedName",
       each([](Repo& r, const std::string& name) { r.symlink(name, "/dev/zero"); }), {.located = recognised_names()}},
      {"SymlinksToDevUrandomWithEveryRecognisedName",
       each([](Repo& r, const std::string& name) { r.symlink(name, "/dev/urandom"); }),
       {.located = recognised_names()}},
      {"SymlinksOutsideTheRepositoryWithEveryRecognisedName",
       [](Repo& r) {
         const auto secret = r.outside_file("target", fmt::format("root:x:0:0:{}:/root:/bin/bash\n", kOutsideMarker));
         for (const auto& name : recognised_names()) r.symlink(name, secret);
         r.symlink("vendor", r.outside.path());
         r.symlink("etc", "/etc");
       },
       {.located = recognised_names(), .absent = {std::string(kOutsideMarker)}}},
      {"BrokenSymlinksWithEveryRecognisedName",
       each([](Repo& r, const std::string& name) { r.symlink(name, "/nonexistent/target"); }),
       {.located = recognised_names()}},
      {"FifosWithEveryRecognisedName",
       [](Repo& r) {
         for (const auto& name : recognised_names()) r.fifo(name);
         r.fifo(".gitignore");
         r.fifo("k8s/.gitignore");
       },
       {.located = recognised_names()}},
      {"SocketsWithEveryRecognisedName", each([](Repo& r, const std::string& name) { r.socket(name); }),
       {.located = recognised_names()}},
      {"UnreadableFilesWithEveryRecognisedName",
       [](Repo& r) {
         for (const auto& name : recognised_names()) {
           r.write(name, "FROM alpine:3.20\n");
           fs::permissions(r.path(name), fs::perms::none);
         }
         r.write(".gitignore", "*.log\n");
         fs::permissions(r.path(".gitignore"), fs::perms::none);
         r.write("vault/Dockerfile", "FROM alpine:3.20\n");
         fs::permissions(r.path("vault"), fs::perms::none);
       },
       {.located = [] {
          auto all = recognised_names();
          all.insert(all.end(), {"vault", ".gitignore"});
          return all;
        }()},
       {}, {}, {}, true},
  };
}

// ----- Paths and names -------------------------------------------------------------

// Creates `depth` nested directories of `component` below `dir` through file
// descriptors (the full path may exceed PATH_MAX), with a Dockerfile at the bottom.
void make_deep_tree(const fs::path& dir, std::string_view component, int depth) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  ASSERT_GE(fd, 0);
  const std::string name(component);
  for (int i = 0; i < depth; ++i) {
    ASSERT_EQ(mkdirat(fd, name.c_str(), 0755), 0) << std::strerror(errno);
    const int next = openat(fd, name.c_str(), O_RDONLY | O_DIRECTORY);
    close(fd);
    ASSERT_GE(next, 0);
    fd = next;
  }
  const int file = openat(fd, "Dockerfile", O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ASSERT_GE(file, 0);
  ASSERT_EQ(::write(file, kBadDockerfile.data(), kBadDockerfile.size()), static_cast<ssize_t>(kBadDockerfile.size()));
  close(file);
  close(fd);
}

// Removes what make_deep_tree made, through file descriptors too:
// std::filesystem::remove_all cannot reach below PATH_MAX.
void remove_tree_at(int parent, const char* name) {
  const int fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
  if (fd < 0) {
    unlinkat(parent, name, 0);
    return;
  }
  DIR* listing = fdopendir(fd);
  if (listing == nullptr) {
    close(fd);
    return;
  }
  std::vector<std::string> entries;
  while (const dirent* entry = readdir(listing)) {
    const std::string_view entry_name = entry->d_name;
    if (entry_name != "." && entry_name != "..") entries.emplace_back(entry_name);
  }
  for (const auto& entry : entries) remove_tree_at(dirfd(listing), entry.c_str());
  closedir(listing);
  unlinkat(parent, name, AT_REMOVEDIR);
}

Repo::~Repo() {
  // A tree deeper than PATH_MAX (PathsBeyondPathMax) is out of reach of
  // TempDir's std::filesystem::remove_all.
  const int fd = ::open(root().c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return;
  struct stat st {};
  if (fstatat(fd, "deep", &st, AT_SYMLINK_NOFOLLOW) == 0) remove_tree_at(fd, "deep");
  close(fd);
}

std::vector<Case> path_cases() {
  return {
      {"Paths4000CharactersLong",
       [](Repo& r) {
         // 4,000 characters below the repository: 39 components of 100 characters.
         std::string relative;
         for (int i = 0; i < 39; ++i) relative += std::string(99, static_cast<char>('a' + i % 26)) + "/";
         r.write(relative + "Dockerfile", kBadDockerfile);
         r.write(relative + "values.yaml", "a: [\n");
       },
       {.located = {[] {
          std::string relative;
          for (int i = 0; i < 39; ++i) relative += std::string(99, static_cast<char>('a' + i % 26)) + "/";
          return relative + "Dockerfile";
        }()}}},
      {"PathsBeyondPathMax",
       [](Repo& r) {
         fs::create_directories(r.path("deep"));
         make_deep_tree(r.path("deep"), std::string(200, 'd'), 30);  // 6,000 characters
       },
       {.located = {"deep"}}},
      {"NamesWithNewlines",
       [](Repo& r) {
         r.write("new\nline/Dockerfile", kBadDockerfile);
         r.write("k8s/a\nb.yaml", "apiVersion: v1\nkind: [\n");
         r.write("cr\r\n/Dockerfile", kBadDockerfile);
       },
       {.located = {"new\nline/Dockerfile", "k8s/a\nb.yaml", "cr\r\n/Dockerfile"}}},
      {"NamesWithInvalidUtf8",
       [](Repo& r) {
         r.write("caf\xe9/Dockerfile", kBadDockerfile);
         r.write("k8s/\xff\xfe.yaml", "apiVersion: v1\nkind: [\n");
         r.write("\xc0\xaf/Dockerfile", kBadDockerfile);
       },
       {.located = {"caf\xEF\xBF\xBD/Dockerfile", "k8s/\xEF\xBF\xBD\xEF\xBF\xBD.yaml"}}},
  };
}

// ----- .gitignore ---------------------------------------------------------------

std::vector<Case> gitignore_cases() {
  return {
      {"GitignoreBacktrackingPatterns",
       [](Repo& r) {
         r.write(".gitignore",
                 "**/**/**/**/**/*a*b*c*d*e*f*\n*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b\n"
                 "**/*[a-z]*[a-z]*[a-z]*[a-z]*[a-z]*[a-z]*[a-z]*[a-z]*!\n"
                 "!**/**/**/**/**/**/**/**/*q*q*q*q*q*q*q*q*z\n" +
                     repeat("*", 4000) + "x\n" + repeat("**/", 1300) + "y\n" + repeat("[a-", 1000) + "\n");
         std::string nested;
         for (int i = 0; i < 10; ++i) nested += std::string(200, 'a') + "/";
         for (int i = 0; i < 200; ++i) {
           r.write(fmt::format("{}{:03}{}", nested, i, std::string(230, i % 2 == 0 ? 'a' : 'q')), "x");
         }
       },
       {}},
      {"Gitignore100000Patterns",
       [](Repo& r) {
         std::string patterns;
         for (int i = 0; i < 100000; ++i) patterns += fmt::format("generated-{}/**/*.tmp{}\n", i, i);
         r.write(".gitignore", patterns);
         for (int d = 0; d < 20; ++d)
           for (int f = 0; f < 50; ++f) r.write(fmt::format("src/d{}/f{}.txt", d, f), "x");
       },
       {}},
      {"GitignoreTooLargeAndSpecial",
       [](Repo& r) {
         r.sparse(".gitignore", 5ULL << 20, "*.log\n");
         r.fifo("a/.gitignore");
         r.symlink("b/.gitignore", "/dev/zero");
         r.symlink(".git/info/exclude", "/dev/urandom");
         r.write("a/Dockerfile", kBadDockerfile);
         r.write("b/Dockerfile", kBadDockerfile);
       },
       {.located = {".gitignore"}}},
  };
}

// ----- git ---------------------------------------------------------------------------

// A repository with two commits; the known-bad Dockerfile is added by the
// second, so --diff reports it as new.
void two_commits(Repo& r, const std::string& second_message = "feat: second") {
  fs::remove(r.path("Dockerfile"));
  r.git({"init", "-q"});
  r.write("k8s/app.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {v: '1'}\n");
  r.write("notes.txt", "first version\n");
  r.git({"add", "-A"});
  r.git({"commit", "-q", "-m", "feat: first"});
  r.write("k8s/app.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {v: '2'}\n");
  r.write("notes.txt", "second version\n");
  r.write("Dockerfile", kBadDockerfile);
  r.git({"add", "-A"});
  const auto message = r.outside_file("message.txt", second_message);
  r.git({"commit", "-q", "-F", message.string()});
}

std::vector<Case> git_cases() {
  return {
      {"CorruptGitObjectInHistory",
       [](Repo& r) {
         two_commits(r);
         r.corrupt_object(r.git_output({"rev-parse", "HEAD~1:notes.txt"}));
       },
       {.located = {"notes.txt"}},
       {"--history"}},
      {"CorruptGitObjectInDiffBase",
       [](Repo& r) {
         two_commits(r);
         r.corrupt_object(r.git_output({"rev-parse", "HEAD~1:k8s/app.yaml"}));
       },
       {.located = {"k8s/app.yaml"}},
       {"--diff", "HEAD~1"}},
      {"CommitMessageOf10MB",
       [](Repo& r) {
         two_commits(r, "update " + repeat("x", 10u << 20) + "\n\n" + repeat("body line\n", 100000));
       },
       {.located = {".git"}},
       {"--commits", "HEAD~1..HEAD"},
       kGitWorkflowSection},
      // No repository to read commits from is a usage error.
      {"GitFilePointingAtADevice",
       [](Repo& r) { r.write(".git", "gitdir: /dev/zero\n"); },
       {.exit_codes = {2}, .located = {"git repository"}},
       {"--commits", "HEAD~1..HEAD"},
       kGitWorkflowSection},
      {"GitDirectoryIsASymlinkLoop",
       [](Repo& r) { r.symlink(".git", ".git"); },
       {.exit_codes = {2}, .located = {"git repository"}},
       {"--commits", "HEAD~1..HEAD"},
       kGitWorkflowSection},
  };
}

// ----- Configuration and constitution files (read before the workspace) -------------

std::vector<Case> config_cases() {
  // Either a configuration error (exit 2) or a note and a run without it
  // (exit 1) is defensible; either way the file is named and nothing
  // outside the repository is echoed.
  const std::vector<int> error_or_note = {1, 2};
  return {
      {"ConfigIsAFifo", [](Repo& r) { r.fifo(".constable.yaml"); },
       {.exit_codes = error_or_note, .located = {".constable.yaml"}}},
      {"ConfigIsASymlinkToDevZero", [](Repo& r) { r.symlink(".constable.yaml", "/dev/zero"); },
       {.exit_codes = error_or_note, .located = {".constable.yaml"}}},
      {"ConfigIsASymlinkToDevUrandom", [](Repo& r) { r.symlink(".constable.yaml", "/dev/urandom"); },
       {.exit_codes = error_or_note, .located = {".constable.yaml"}}},
      // The user's own configuration cannot be read: that is a configuration error.
      {"ConfigIsUnreadable",
       [](Repo& r) {
         r.write(".constable.yaml", "exclude: []\n");
         fs::permissions(r.path(".constable.yaml"), fs::perms::none);
       },
       {.exit_codes = {2}, .located = {".constable.yaml"}}, {}, {}, {}, true},
      {"ConfigIsASymlinkOutsideTheRepository",
       [](Repo& r) {
         r.symlink(".constable.yaml",
                   r.outside_file("shadow", fmt::format("root:$6$salt${}:19000:0:99999:7:::\n", kOutsideMarker)));
       },
       {.exit_codes = error_or_note, .located = {".constable.yaml"}, .absent = {std::string(kOutsideMarker)}}},
      {"ConfigDeepNesting", [](Repo& r) { r.write(".constable.yaml", "exclude: " + repeat("[", 100000) + "\n"); },
       {.exit_codes = {2}, .located = {".constable.yaml"}, .absent = {"bad file"}}},
      {"ConfigSparse1GB", [](Repo& r) { r.sparse(".constable.yaml", 1ULL << 30, "exclude: []\n"); },
       {.exit_codes = {2}, .located = {".constable.yaml"}}},
      {"DiscoveredConstitutionIsASymlinkOutsideTheRepository",
       [](Repo& r) {
         r.symlink("CONSTITUTION.md",
                   r.outside_file("c.md", "# C\n## Docker Standards\n- Non-root user MUST be specified\n- " +
                                              std::string(kOutsideMarker) + " MUST be kept\n"));
         r.write("docs/constitution.md", reference_excerpt());
       },
       {.exit_codes = error_or_note, .located = {"CONSTITUTION.md"}, .absent = {std::string(kOutsideMarker)}},
       {}, {}, "discover"},
      {"DiscoveredConstitutionIsASymlinkToDevZero",
       [](Repo& r) {
         r.symlink("CONSTITUTION.md", "/dev/zero");
         r.write("docs/constitution.md", reference_excerpt());
       },
       {.exit_codes = error_or_note, .located = {"CONSTITUTION.md"}}, {}, {}, "discover"},
      {"DiscoveredConstitutionIsUnreadable",
       [](Repo& r) {
         r.write("CONSTITUTION.md", reference_excerpt());
         fs::permissions(r.path("CONSTITUTION.md"), fs::perms::none);
       },
       {.exit_codes = {2}, .located = {"CONSTITUTION.md"}}, {}, {}, "discover", true},
      {"DiscoveredConstitutionIsAFifo",
       [](Repo& r) {
         r.fifo(".specify/memory/constitution.md");
         r.write("CONSTITUTION.md", reference_excerpt());
       },
       {.exit_codes = error_or_note, .located = {".specify/memory/constitution.md"}}, {}, {}, "discover"},
      {"ConstitutionIsAFifo", [](Repo& r) { r.fifo("c/CONSTITUTION.md"); },
       {.exit_codes = {2}, .located = {"CONSTITUTION.md"}}, {}, {}, "c/CONSTITUTION.md"},
      {"ConstitutionIsASymlinkToDevZero", [](Repo& r) { r.symlink("c/CONSTITUTION.md", "/dev/zero"); },
       {.exit_codes = {2}, .located = {"CONSTITUTION.md"}}, {}, {}, "c/CONSTITUTION.md"},
      {"ConstitutionSparse400MB", [](Repo& r) { r.sparse("c/CONSTITUTION.md", 400ULL << 20, reference_excerpt()); },
       {.exit_codes = {2}, .located = {"CONSTITUTION.md"}}, {}, {}, "c/CONSTITUTION.md"},
      {"ManifestsFromAnEndlessStdin", [](Repo&) {}, {.exit_codes = error_or_note, .located = {"stdin"}},
       {"--manifests", "-"}, {}, {},
       false, "/dev/zero"},
  };
}

// ----- Secrets -----------------------------------------------------------------------------

constexpr std::string_view kAwsSecret = "q8Zt3VnR0pLx7Wm2Yc9Kd4Hs6Jf1Ga5Bu0Ei3To7";
constexpr std::string_view kSlackToken = "xoxb-2730163452-4910835621-Zq8Tr3Vn0pLx7Wm2Yc9Kd4Hs";
constexpr std::string_view kDatabasePassword = "Vn0pLx7Wm2Yc9Kd4";
constexpr std::string_view kJwt =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ3b3JrZXItNDIiLCJyb2xlIjoiYWRtaW4ifQ."
    "Qm9ndXNTaWduYXR1cmVWYWx1ZTEyMzQ1Njc4OTA";

std::vector<Case> secret_cases() {
  return {
      {"SecretsSharingALineWithOtherFindings",
       [](Repo& r) {
         write_chart(r);
         r.write("chart/values.yaml", fmt::format("aws:\n  secretAccessKey: {}\n", kAwsSecret));
         r.write("bad/Dockerfile",
                 fmt::format("FROM ubuntu:latest\nENV DATABASE_URL=postgres://app:{}@db.internal:5432/app\n"
                             "RUN curl -H 'Authorization: Bearer {}' -d token={} https://example.com\n",
                             kDatabasePassword, kJwt, kSlackToken));
       },
       {.located = {"chart/values.yaml", "bad/Dockerfile"},
        .absent = {std::string(kAwsSecret), std::string(kSlackToken), std::string(kDatabasePassword),
                   std::string(kJwt)}}},
  };
}

std::vector<Case> all_cases() {
  std::vector<Case> all;
  for (auto* group : {yaml_cases, markdown_cases, dockerfile_cases, helm_cases, reference_cases, size_cases,
                      named_file_cases, path_cases, gitignore_cases, git_cases, config_cases, secret_cases}) {
    for (auto& c : group()) all.push_back(std::move(c));
  }
  return all;
}

// ---------------------------------------------------------------------------
// The assertions every case shares.

// Is `needle` named by a finding or note of the report?
bool named_in_report(const Json& report, const std::string& needle) {
  for (const auto& f : report.value("findings", Json::array())) {
    const std::string path = f["location"].value("path", "");
    if (path == needle || path.starts_with(needle + ":") || path.starts_with(needle + "/")) return true;
    if (f.value("message", "").find(needle) != std::string::npos) return true;
  }
  for (const auto& n : report.value("notes", Json::array())) {
    const std::string path = n.value("path", "");
    if (path == needle || path.starts_with(needle + ":") || path.starts_with(needle + "/")) return true;
    if (n.value("message", "").find(needle) != std::string::npos) return true;
  }
  return false;
}

std::string shown(const std::string& s, std::size_t limit = 3000) {
  return s.size() <= limit ? s : s.substr(0, limit) + fmt::format("\n[... {} more bytes]", s.size() - limit);
}

// gtest shows a failing case by its name, not its bytes.
void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

class MalformedInput : public ::testing::TestWithParam<Case> {};

TEST_P(MalformedInput, IsBoundedLocatedAndKeepsTheRestOfTheRun) {
  const Case& c = GetParam();
  Repo repo;
  repo.write("Dockerfile", kBadDockerfile);
  c.make(repo);
  if (::testing::Test::HasFatalFailure()) return;

  std::vector<std::string> argv = {CONSTABLE_BINARY, "check", repo.root().string(), "--format", "json"};
  if (c.constitution.empty()) {
    const auto file = repo.outside_file("constitution.md", reference_excerpt() + c.constitution_extra);
    argv.insert(argv.end(), {"--constitution", file.string()});
  } else if (c.constitution != "discover") {
    argv.insert(argv.end(), {"--constitution", repo.path(c.constitution).string()});
  }
  argv.insert(argv.end(), c.args.begin(), c.args.end());
  if (c.unprivileged && geteuid() == 0) {
    for (const auto* dir : {&repo.dir, &repo.outside})
      fs::permissions(dir->path(), fs::perms::owner_all | fs::perms::others_read | fs::perms::others_exec);
    argv.insert(argv.begin(), {"setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"});
  }

  const Measured r = run_measured(argv, {"CONSTABLE_TODAY=2026-11-22", "NO_COLOR=1"}, c.stdin_path);
  const std::string context = fmt::format("exit {} after {:.2f} s, {} MiB\n--- stderr:\n{}\n--- stdout:\n{}",
                                          r.exit_code, r.seconds, r.max_rss_kib / 1024, shown(r.err), shown(r.out));

  ASSERT_FALSE(r.killed) << "still running after " << kKillAfterSeconds << " s\n" << context;
  EXPECT_LT(r.seconds, kMaxSeconds) << context;
  EXPECT_LT(r.max_rss_kib, kMaxRssKib) << context;
  EXPECT_NE(std::find(c.expect.exit_codes.begin(), c.expect.exit_codes.end(), r.exit_code), c.expect.exit_codes.end())
      << "unexpected exit code\n" << context;
  EXPECT_LT(r.err.size(), kMaxMessageBytes) << "standard error is a wall of text\n" << context;
  for (const auto& secret : c.expect.absent) {
    EXPECT_EQ(r.out.find(secret), std::string::npos) << "'" << secret << "' in standard output\n" << context;
    EXPECT_EQ(r.err.find(secret), std::string::npos) << "'" << secret << "' in standard error\n" << context;
  }

  if (r.exit_code != 1) {
    for (const auto& needle : c.expect.located)
      EXPECT_NE(r.err.find(needle), std::string::npos) << "the error does not name " << needle << "\n" << context;
    return;
  }
  const Json report = Json::parse(r.out, nullptr, false);
  ASSERT_FALSE(report.is_discarded()) << "standard output is not JSON\n" << context;
  for (const auto& needle : c.expect.located)
    EXPECT_TRUE(named_in_report(report, needle)) << "no finding or note names '" << needle << "'\n" << context;
  std::set<std::string> dockerfile_checks;
  for (const auto& f : report.value("findings", Json::array())) {
    if (f["location"].value("path", "") == "Dockerfile") dockerfile_checks.insert(f.value("check", ""));
    EXPECT_LT(f.value("message", "").size(), kMaxMessageBytes) << "a wall of text: " << shown(f.dump(), 600);
  }
  for (const auto& n : report.value("notes", Json::array()))
    EXPECT_LT(n.value("message", "").size(), kMaxMessageBytes) << "a wall of text: " << shown(n.dump(), 600);
  for (const auto& check : kDockerfileChecks)
    EXPECT_TRUE(dockerfile_checks.contains(check)) << "the Dockerfile's " << check << " finding is lost\n" << context;
}

INSTANTIATE_TEST_SUITE_P(Classes, MalformedInput, ::testing::ValuesIn(all_cases()),
                         [](const ::testing::TestParamInfo<Case>& param_info) { return param_info.param.name; });


}  // namespace
}  // namespace constable::testing
