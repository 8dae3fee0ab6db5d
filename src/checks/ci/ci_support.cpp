#include "checks/ci/ci_support.hpp"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <bitset>
#include <cctype>
#include <initializer_list>
#include <memory>
#include <tuple>

#include <fmt/format.h>

#include "checks/ci/expansion.hpp"
#include "core/text.hpp"
#include "formats/ci/shell.hpp"
#include "formats/yaml/yaml.hpp"

namespace constable::checks::ci {

namespace {

using constable::ci::Job;
using constable::ci::Step;
using constable::ci::Workflow;

// The recognition table: one row per tool family. `run` matches a
// lower-cased command line of a step (a GitLab script line, a line of a
// script or make target it calls), `uses` the lower-cased action name
// without its @ref. Documented in ci/pipeline-stages' rationale; keep both
// in step. What the table cannot say (a verb of any tool, names of make
// targets and scripts, dry runs, drafts) is in classify_command and
// classify_line below.
struct Recognition {
  Activity activity;
  std::string_view run;
  std::string_view uses;
};

// Unit tests, unless the step, its job or the script it came from says integration or contract.
constexpr std::string_view kTestRunners =
    R"(\b(pytest|py\.test|python3? -m (pytest|unittest)|jest|vitest|mocha|ava|go test|gotestsum|ginkgo|ctest|)"
    R"(cargo (test|nextest)|(npm|yarn|pnpm) (run )?test|bun (run )?test|deno test|make (test|check)|tox|nox|phpunit|)"
    R"(rspec|dotnet test|mvn( -[^ ]+)* (test|verify)|gradlew? (test|check)|mix test|swift test|meson test|bazel test|)"
    R"(sbt test|flutter test|dart test|helm unittest|bats|nx (run-many -t |run )?test|turbo (run )?test)\b)";

// Tests of the assembled system: integration tests whatever their context says.
constexpr std::string_view kEndToEndRunners =
    R"(\b(playwright test|cypress run|helm test|ct install|newman run|kuttl test|chainsaw test|behave|testcafe|)"
    R"(wdio run|codeceptjs run|detox test|mm\.py)\b)";

const std::vector<Recognition>& table() {
  static const std::vector<Recognition> rows = {
      {Activity::lint,
       R"(\b(ruff|black|flake8|pylint|mypy|isort|eslint|prettier|golangci-lint|gofmt|go fmt|go vet|staticcheck|)"
       R"(clang-format|clang-tidy|cppcheck|shellcheck|hadolint|rubocop|stylelint|ktlint|swiftlint|cargo (fmt|clippy)|)"
       R"(markdownlint(-cli2)?|yamllint|actionlint|pre-commit run|prek run|biome (check|lint|ci|format)|dotnet format|)"
       R"((npm|yarn|pnpm|bun) (run )?(lint|format)|make (lint|format|fmt|vet)|helm lint|ct lint|kube-linter|)"
       R"(kubeconform|tflint|terraform fmt)\b)",
       R"((golangci/golangci-lint-action|pre-commit/action|psf/black|astral-sh/ruff-action|chartboost/ruff-action|)"
       R"(hadolint/hadolint-action|super-linter|reviewdog/|wearerequired/lint-action|ludeeus/action-shellcheck|)"
       R"(markdownlint|actionlint|biomejs/))"},
      {Activity::dependency_scan,
       R"(\b(pip-audit|safety (check|scan)|(npm|yarn|pnpm) audit|snyk test|trivy (fs|filesystem|repo|repository|sbom)|)"
       R"(osv-scanner|govulncheck|cargo (audit|deny)|bundle(r)?[- ]audit|dependency-check|grype (dir|sbom|file):|)"
       R"(retire|nancy|mvn [^\n]*dependency-check|audit-ci|better-npm-audit))",
       R"((pypa/gh-action-pip-audit|snyk/actions/(node|python|golang|maven|gradle|ruby|dotnet|php|scala|setup)|)"
       R"(google/osv-scanner-action|actions/dependency-review-action|golang/govulncheck-action|)"
       R"(dependency-check/dependency-check_action|rustsec/audit-check))"},
      {Activity::build,
       R"(\b((npm|yarn|pnpm|bun) (run )?(--?[a-z-]+( [^ -][^ ]*)? )*build\b|go build|cargo build|cmake --build|ninja|)"
       R"(make( all| build| release)?$|python3? -m build|poetry build|uv build|hatch build|pdm build|)"
       R"(mvn( -[^ ]+)* (package|install)|gradlew? (build|assemble)|dotnet (build|publish)|tsc\b|next build|)"
       R"(vite build|webpack|bazel build|meson compile|setup\.py (sdist|bdist)|goreleaser|)"
       R"(nx (run-many -t |run )?build|turbo (run )?build|sbt (compile|package|assembly)|flutter build))",
       R"(^goreleaser/goreleaser-action$)"},
      {Activity::contract_tests,
       R"(\b(pact|pactflow|pact-broker|can-i-deploy|spring-cloud-contract|specmatic|schemathesis|dredd)\b)",
       R"((pactflow/|pact-foundation/|specmatic/|schemathesis/))"},
      {Activity::image_build,
       R"(\b(docker (image )?build|docker buildx (build|bake)|docker compose build|docker-compose build|buildah (bud|build)|)"
       R"(podman build|kaniko|/kaniko/executor|img build|ko (build|publish|resolve|apply)|jib|pack build|nerdctl build|)"
       R"(skaffold (build|run|dev)|nixpacks build)\b)",
       R"((docker/build-push-action|docker/bake-action|redhat-actions/buildah-build|int128/kaniko-action))"},
      {Activity::image_scan,
       R"(\b(trivy (image|i)\b|grype (?:[^ :]+$|[^ ]+:[^ ]+|docker:|registry:)|docker scout (cves|quickview|recommendations)|)"
       R"(snyk container|anchore|clair|dockle|neuvector|twistcli))",
       R"((aquasecurity/trivy-action|anchore/scan-action|docker/scout-action|snyk/actions/docker|crazy-max/ghaction-container-scan|)"
       R"(azure/container-scan))"},
      {Activity::publish,
       R"(\b(docker (image )?push|docker buildx build [^\n]*--push|podman push|buildah push|crane push|skopeo copy|)"
       R"((npm|yarn|pnpm) publish|twine upload|poetry publish|uv publish|flit publish|hatch publish|helm (push|cm-push)|)"
       R"(cargo publish|gh release (create|upload)|mvn( -[^ ]+)* deploy|gradlew? publish|goreleaser( release)?$|)"
       R"(goreleaser release|gem push|dotnet nuget push|oras push|/kaniko/executor|cr upload|semantic-release|)"
       R"(skaffold (build|run)\b[^\n]*--default-repo)\b)",
       R"((pypa/gh-action-pypi-publish|softprops/action-gh-release|goreleaser/goreleaser-action|js-devtools/npm-publish|)"
       R"(ncipollo/release-action|actions/create-release|appleboy/helm-push|bsord/helm-push|helm/chart-releaser-action|)"
       R"(helm-gh-pages))"},
      {Activity::deploy,
       R"(\b(kubectl (apply|rollout (restart|undo)|set image|create|replace)|oc (apply|rollout (restart|undo)|set image)|)"
       R"(helm (upgrade|install)|helmfile (apply|sync)|terraform apply|tofu apply|terragrunt (run-all )?apply|pulumi up|)"
       R"(argocd app sync|flux reconcile|skaffold (run|deploy)|gcloud ([a-z-]+ )?(run|app|functions) deploy|)"
       R"(aws ecs update-service|aws deploy|aws cloudformation deploy|az (webapp|containerapp|functionapp) (deploy|up|update)|)"
       R"(serverless deploy|sls deploy|vercel (deploy|--prod)|fly(ctl)? deploy|netlify deploy|mkdocs gh-deploy|)"
       R"(docker stack deploy|kapp deploy|timoni (bundle )?apply))",
       R"((azure/k8s-deploy|azure/webapps-deploy|google-github-actions/deploy-|aws-actions/amazon-ecs-deploy|)"
       R"(appleboy/ssh-action|peaceiris/actions-gh-pages|actions/deploy-pages|amondnet/vercel-action))"},
      {Activity::local_cluster,
       R"(\b(kind create cluster|minikube start|k3d cluster create|ctlptl (create|apply)|get\.k3s\.io)\b)",
       R"(^(helm/kind-action|engineerd/setup-kind|container-tools/kind-action|medyagh/setup-minikube|)"
       R"(manusa/actions-setup-minikube|absaoss/k3d-action|nolar/setup-k3d-k3s|jupyterhub/action-k3s-helm)$)"},
  };
  return rows;
}

struct Compiled {
  Activity activity;
  std::unique_ptr<RE2> run;
  std::unique_ptr<RE2> uses;
};

RE2::Options regex_options() {
  RE2::Options options;
  options.set_log_errors(false);
  options.set_posix_syntax(false);
  options.set_never_nl(false);
  return options;
}

const std::vector<Compiled>& compiled() {
  static const std::vector<Compiled> rows = [] {
    std::vector<Compiled> out;
    for (const Recognition& row : table())
      out.push_back({row.activity, std::make_unique<RE2>(row.run, regex_options()),
                     std::make_unique<RE2>(row.uses, regex_options())});
    return out;
  }();
  return rows;
}

std::string action_name(std::string_view uses) {
  std::string name = text::to_lower(text::trim(uses));
  if (const auto at = name.find('@'); at != std::string::npos) name.resize(at);
  return name;
}

bool contains(std::string_view haystack, std::string_view needle) { return haystack.find(needle) != std::string_view::npos; }

bool is_one_of(std::string_view word, std::initializer_list<std::string_view> words) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

constexpr std::size_t kTests = kActivityCount;  // a pseudo-bit: "runs tests", unit or not decided by context
using LineActivities = std::bitset<kActivityCount + 1>;

Activities activities_of(const LineActivities& line) {
  Activities out;
  for (std::size_t i = 0; i < kActivityCount; ++i) out.set(i, line.test(i));
  return out;
}

// The words of a name ("test-integration", "scripts/e2e_test.sh"), lower-cased.
std::vector<std::string> name_words(std::string_view name) {
  std::vector<std::string> out;
  std::string word;
  for (char c : text::to_lower(name)) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      word += c;
    } else if (!word.empty()) {
      out.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) out.push_back(std::move(word));
  return out;
}

// What a make target, a script or a package script does, said by its name:
// `make push`, `./scripts/e2e-test.sh`, `npm run deploy`.
LineActivities by_name(std::string_view name) {
  LineActivities out;
  const std::vector<std::string> words = name_words(name);
  auto has = [&](std::initializer_list<std::string_view> any) {
    return std::any_of(words.begin(), words.end(), [&](const std::string& w) { return is_one_of(w, any); });
  };
  if (has({"test", "tests", "unittest", "unittests", "e2e", "spec", "specs"})) {
    if (has({"e2e", "integration", "smoke", "acceptance"})) out.set(bit(Activity::integration_tests));
    else if (has({"contract", "pact"})) out.set(bit(Activity::contract_tests));
    else out.set(kTests);
  }
  if (has({"deploy", "deployment"})) out.set(bit(Activity::deploy));
  if (has({"publish"}) || (has({"push"}) && (words.size() == 1 || has({"image", "images", "docker", "container", "chart",
                                                                      "charts", "manifest", "manifests"}))))
    out.set(bit(Activity::publish));
  return out;
}

// Package manager commands that are not the package's scripts.
bool package_builtin(std::string_view word) {
  return is_one_of(word, {"install", "i", "ci", "add", "remove", "rm", "uninstall", "update", "up", "upgrade", "init",
                          "info", "cache", "config", "global", "link", "unlink", "why", "workspace", "workspaces",
                          "dlx", "exec", "x", "set", "plugin", "pack", "publish", "version", "audit", "outdated",
                          "login", "logout", "list", "ls", "prune", "fetch", "rebuild", "deploy", "env", "setup",
                          "store", "create", "import", "patch", "licenses", "bin", "root", "node"});
}

}  // namespace

std::size_t skip_command_prefixes(const std::vector<std::string>& words) {
  std::size_t i = 0;
  while (i < words.size()) {
    const std::string& w = words[i];
    const auto equals = w.find('=');
    if (equals != std::string::npos && equals > 0 && (std::isalpha(static_cast<unsigned char>(w[0])) || w[0] == '_') &&
        w.find('/') > equals) {
      ++i;  // VAR=value
    } else if (is_one_of(w, {"sudo", "env", "time", "exec", "nohup", "command", "xvfb-run", "then", "do", "else", "!",
                             "{", "(", "npx", "bunx"})) {
      ++i;
      while (i < words.size() && words[i].starts_with('-')) ++i;
    } else if (w == "timeout" && i + 1 < words.size()) {
      i += 2;
    } else if (is_one_of(w, {"uv", "poetry", "pipenv", "pdm", "hatch", "rye", "bundle"}) && i + 1 < words.size() &&
               is_one_of(words[i + 1], {"run", "exec"})) {
      i += 2;
      while (i < words.size() && words[i].starts_with('-')) ++i;
    } else if (is_one_of(w, {"pnpm", "yarn"}) && i + 1 < words.size() && is_one_of(words[i + 1], {"dlx", "exec"})) {
      i += 2;
    } else {
      break;
    }
  }
  return i;
}

namespace {

// Tools whose subcommands are never a release verb (`git push`, `pip install --upgrade`), or that
// name a script or target instead (their names are read by by_name).
bool no_release_verbs(std::string_view tool) {
  return is_one_of(tool, {"git", "hg", "svn", "echo", "printf", "cd", "pushd", "popd", "ls", "mkdir", "cat", "rm", "cp",
                          "mv", "ln", "touch", "grep", "egrep", "sed", "awk", "find", "test", "[", "[[", "chmod",
                          "chown", "export", "set", "unset", "source", ".", "curl", "wget", "tar", "unzip", "zip", "jq",
                          "yq", "tee", "xargs", "sort", "head", "tail", "wc", "date", "sleep", "exit", "return", "read",
                          "local", "declare", "trap", "if", "for", "while", "case", "apt", "apt-get", "brew", "yum",
                          "dnf", "apk", "choco", "snap", "pip", "pip3", "pipx", "gem", "go", "cargo", "dotnet", "mvn",
                          "gradle", "npm", "yarn", "pnpm", "bun", "make", "gmake", "python", "python3", "node", "ruby",
                          "perl", "bash", "sh", "zsh", "pwsh", "gh", "ssh", "scp", "rsync", "gsutil"});
}

}  // namespace

bool is_make_command(std::string_view word) {
  return is_one_of(text::to_lower(word), {"make", "gmake", "$(make)", "${make}", "$make"});
}

PackageCommand package_command(const std::vector<std::string>& words) {
  PackageCommand out;
  if (words.empty()) return out;
  const std::string tool = text::to_lower(text::basename(words[0]));
  std::vector<std::string> positional;  // npm takes options anywhere before `--`
  for (std::size_t w = 1; w < words.size() && words[w] != "--"; ++w) {
    const std::string& word = words[w];
    if (!word.starts_with('-')) {
      positional.push_back(word);
      continue;
    }
    const auto equals = word.find('=');
    const std::string flag = text::to_lower(word.substr(0, equals));  // classification reads lower-cased commands
    const bool pnpm = tool == "pnpm";
    const bool filter = is_one_of(flag, {"--filter", "--workspace"}) || (pnpm && flag == "-f") || (tool == "npm" && flag == "-w");
    if (!filter && !is_one_of(flag, {"--prefix", "--cwd", "--dir"}) && !(pnpm && flag == "-c")) continue;
    std::string value;
    if (equals != std::string::npos) value = word.substr(equals + 1);
    else if (w + 1 < words.size()) value = words[++w];
    if (filter) out.filter = value;
    else out.directories.push_back(value);
  }
  if (positional.empty()) return out;
  const std::string& command = positional.front();
  if (command == "run" || command == "run-script") {
    if (positional.size() > 1) out.script = positional[1];
  } else if (command == "test" || command == "t" || command == "tst") {
    if (tool != "bun") out.script = "test";  // `bun test` is bun's own test runner
  } else if (command == "start") {
    out.script = "start";
  } else if (tool != "npm" && !package_builtin(command)) {
    out.script = command;
  }
  return out;
}

namespace {

// What one simple command does beyond the table: a verb of any tool
// (`fastapi deploy`, `timoni mod push`, `flux push artifact`), `--push`,
// ko (which pushes unless told not to), and the names of the targets,
// scripts and package scripts it runs.
LineActivities classify_command(std::string_view command) {
  LineActivities out;
  std::vector<std::string> words = constable::ci::shell_words(command);
  const std::size_t start = skip_command_prefixes(words);
  if (start >= words.size()) return out;
  words.erase(words.begin(), words.begin() + static_cast<std::ptrdiff_t>(start));
  const std::string tool(text::basename(words[0]));
  // Names of what it runs.
  if (is_make_command(words[0])) {
    for (std::size_t i = 1; i < words.size(); ++i) {
      if (words[i].starts_with('-')) {
        if (is_one_of(words[i], {"-c", "-f", "-j", "-i", "-o", "-w"}) && i + 1 < words.size()) ++i;  // lower-cased
        continue;
      }
      if (words[i].find('=') == std::string::npos) out |= by_name(words[i]);
    }
  } else if (is_one_of(tool, {"npm", "yarn", "pnpm", "bun"})) {
    if (const std::string script = package_command(words).script; !script.empty()) out |= by_name(script);
  } else if (is_one_of(tool, {"bash", "sh", "zsh", "source", ".", "python", "python3", "node", "ruby", "perl", "pwsh"})) {
    for (std::size_t i = 1; i < words.size(); ++i) {
      if (words[i] == "-c" || words[i] == "-m") break;
      if (words[i].starts_with('-')) continue;
      out |= by_name(text::basename(words[i]));
      break;
    }
  } else if (contains(words[0], "/") || words[0].ends_with(".sh")) {
    out |= by_name(tool);
  }
  // Verbs.
  if (!no_release_verbs(tool)) {
    for (std::size_t i = 1; i < words.size() && i <= 3; ++i) {
      const std::string& w = words[i];
      if (w.starts_with('-')) break;
      if (w == "deploy") out.set(bit(Activity::deploy));
      if (w == "publish" || w == "push") out.set(bit(Activity::publish));
      if (w.find_first_of("/=$:.") != std::string::npos) break;  // an argument, not a subcommand
    }
  }
  for (const std::string& w : words)
    if (w == "--push" || w == "--push=true") out.set(bit(Activity::publish));
  if (tool == "ko" && words.size() > 1 && is_one_of(words[1], {"build", "publish", "resolve", "apply"})) {
    bool local = false, unknown = false;
    for (const std::string& w : words) {
      local = local || w == "--local" || w == "-L" || w == "--push=false";
      unknown = unknown || (w.starts_with("--push=") && contains(w, "$"));
    }
    if (!local && !unknown && !contains(command, "ko.local") && !contains(command, "kind.local"))
      out.set(bit(Activity::publish));
  }
  return out;
}

// What a command line runs, found in one pass over it: every row's `run`
// pattern, the test runners and the end-to-end runners as one RE2::Set
// (eleven regular expressions, each run on its own, were most of the CI
// checks' time). Pattern i sets bits[i].
struct CommandPatterns {
  RE2::Set set{regex_options(), RE2::UNANCHORED};
  std::vector<LineActivities> bits;
  bool compiled = false;

  CommandPatterns() {
    bool added = true;
    auto add = [&](std::string_view pattern, LineActivities activities) {
      added = added && set.Add(pattern, nullptr) >= 0;
      bits.push_back(activities);
    };
    for (const Recognition& row : table()) add(row.run, LineActivities().set(bit(row.activity)));
    add(kTestRunners, LineActivities().set(kTests));
    add(kEndToEndRunners, LineActivities().set(bit(Activity::integration_tests)));
    compiled = added && set.Compile();
  }
};

// What `command` runs by the patterns above.
LineActivities match_command_patterns(const std::string& command) {
  static const CommandPatterns patterns;
  LineActivities out;
  std::vector<int> matched;
  RE2::Set::ErrorInfo error{};
  if (patterns.compiled && (patterns.set.Match(command, &matched, &error) || error.kind == RE2::Set::kNoError)) {
    for (const int i : matched) out |= patterns.bits[static_cast<std::size_t>(i)];
    return out;
  }
  // The set's DFA ran out of memory on this command: one pattern at a time.
  for (const Compiled& row : compiled())
    if (RE2::PartialMatch(command, *row.run)) out.set(bit(row.activity));
  static const RE2 tests(kTestRunners, regex_options()), end_to_end(kEndToEndRunners, regex_options());
  if (RE2::PartialMatch(command, tests)) out.set(kTests);
  if (RE2::PartialMatch(command, end_to_end)) out.set(bit(Activity::integration_tests));
  return out;
}

// What one command line does, command by command: the table, the verbs and
// names of classify_command, then what cancels a release: a dry run, a
// draft release, a push to this machine.
LineActivities classify_line(std::string_view lower_line) {
  LineActivities out;
  for (const std::string& command : constable::ci::simple_commands(lower_line)) {
    LineActivities found = classify_command(command) | match_command_patterns(command);
    const bool dry_run = contains(command, "--dry-run") && !contains(command, "--dry-run=none") &&
                         !contains(command, "--dry-run=false");
    if (dry_run) found.reset(bit(Activity::deploy)).reset(bit(Activity::publish));
    if (contains(command, "--draft") && contains(command, "release")) found.reset(bit(Activity::publish));
    if (contains(command, "kaniko") && contains(command, "--no-push")) found.reset(bit(Activity::publish));
    if (contains(command, "goreleaser") &&
        (contains(command, "--snapshot") || contains(command, "--skip=publish") || contains(command, "--skip-publish") ||
         contains(command, "goreleaser build") || contains(command, "goreleaser check")))
      found.reset(bit(Activity::publish));
    if (contains(command, "localhost") || contains(command, "127.0.0.1")) found.reset(bit(Activity::publish));
    out |= found;
  }
  return out;
}

// What an action does from its name and inputs.
LineActivities classify_action(const Step& step) {
  LineActivities out;
  const std::string uses = action_name(step.uses);
  if (uses.empty()) return out;
  for (const Compiled& row : compiled())
    if (RE2::PartialMatch(uses, *row.uses)) out.set(bit(row.activity));
  const std::string_view repository_and_path = uses;
  if (!uses.starts_with("./") && contains(text::basename(repository_and_path), "deploy")) out.set(bit(Activity::deploy));
  auto input_is = [&](std::string_view key, std::string_view value) { return text::iequals(step.input(key), value); };
  if ((uses == "docker/build-push-action" || uses == "docker/bake-action") && input_is("push", "true"))
    out.set(bit(Activity::publish));
  if (uses == "aquasecurity/trivy-action") {
    const std::string_view scan_type = step.input("scan-type");
    if (!scan_type.empty() && !text::iequals(scan_type, "image")) {
      out.reset(bit(Activity::image_scan));
      out.set(bit(Activity::dependency_scan));
    }
  }
  if ((uses == "softprops/action-gh-release" || uses == "ncipollo/release-action") && input_is("draft", "true"))
    out.reset(bit(Activity::publish));
  if (uses == "helm/chart-releaser-action" && input_is("install_only", "true")) out.reset(bit(Activity::publish));
  if (uses == "goreleaser/goreleaser-action") {
    const std::string args = text::to_lower(step.input("args"));
    if (contains(args, "--snapshot") || contains(args, "--skip=publish") || args.starts_with("build") ||
        args.starts_with("check"))
      out.reset(bit(Activity::publish));
  }
  return out;
}

// What the step itself does (its expansion aside); kTests when it runs tests.
LineActivities classify_own(const Step& step) {
  LineActivities out = classify_action(step);
  if (step.run.empty()) return out;
  const std::string run = text::to_lower(step.run);
  for (const constable::ci::ShellLine& line : constable::ci::shell_lines(run)) out |= classify_line(line.text);
  return out;
}

bool says_integration(std::string_view context) {
  for (std::string_view marker : {"integration", "testcontainers", "e2e", "end-to-end", "end to end", "smoke", "acceptance"})
    if (contains(context, marker)) return true;
  return false;
}

// Tests are unit tests unless the names around them say otherwise.
Activities resolve_tests(const LineActivities& found, std::string_view lower_context) {
  Activities out = activities_of(found);
  if (!found.test(kTests)) return out;
  if (says_integration(lower_context)) out.set(bit(Activity::integration_tests));
  else if (contains(lower_context, "contract") || contains(lower_context, "pact")) out.set(bit(Activity::contract_tests));
  else out.set(bit(Activity::unit_tests));
  return out;
}

}  // namespace

std::string_view to_string(Activity activity) {
  switch (activity) {
    case Activity::lint: return "lint and format check";
    case Activity::dependency_scan: return "dependency security scan";
    case Activity::unit_tests: return "unit tests";
    case Activity::build: return "build";
    case Activity::integration_tests: return "integration tests";
    case Activity::contract_tests: return "contract tests";
    case Activity::image_build: return "container image build";
    case Activity::image_scan: return "container image scan";
    case Activity::publish: return "publish";
    case Activity::deploy: return "deploy";
    case Activity::local_cluster: return "throwaway cluster";
  }
  return "?";
}

Activities classify(const Step& step, const Job& job) {
  const std::string names = text::to_lower(job.id + ' ' + job.name + ' ' + step.name);
  Activities out = resolve_tests(classify_own(step), names + ' ' + text::to_lower(step.run));
  for (const Step& called : step.expansion)
    out |= resolve_tests(classify_own(called),
                         names + ' ' + text::to_lower(called.name + ' ' + called.invoked + ' ' + called.run));
  return out;
}

Activities classify(const Job& job) {
  Activities out;
  for (const auto& step : job.steps) out |= classify(step, job);
  if (job.called != nullptr)
    for (const Job& called : job.called->jobs) out |= classify(called);
  if (out.test(bit(Activity::local_cluster))) out.reset(bit(Activity::deploy)).reset(bit(Activity::publish));
  if (!job.environment.empty() && !out.test(bit(Activity::local_cluster))) {
    bool says_deploy = contains(text::to_lower(job.id + ' ' + job.name + ' ' + job.stage), "deploy");
    for (const auto& step : job.steps)
      says_deploy = says_deploy || contains(text::to_lower(step.name + ' ' + step.uses), "deploy");
    if (says_deploy) out.set(bit(Activity::deploy));
  }
  if (!job.uses.empty() && job.called == nullptr) {  // a remote reusable workflow: its file name says what it does
    const LineActivities named = by_name(text::basename(action_name(job.uses)));
    out |= activities_of(named) & Activities().set(bit(Activity::deploy)).set(bit(Activity::publish));
  }
  return out;
}

bool recognised(const Step& step) { return classify_own(step).any(); }

namespace {

std::string shortened(std::string_view text, std::size_t max = 70) {
  if (text.size() <= max) return std::string(text);
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 sequence
  return std::string(text.substr(0, cut)) + "...";
}

// The action or the first command line of `step` itself that does one of `wanted`, quoted; "" if none.
std::string own_evidence(const Step& step, const Activities& wanted, Activities& found) {
  if ((found = activities_of(classify_action(step)) & wanted).any()) return action_name(step.uses);
  for (const constable::ci::ShellLine& line : constable::ci::shell_lines(step.run))
    if ((found = activities_of(classify_line(text::to_lower(line.text))) & wanted).any())
      return fmt::format("`{}`", shortened(line.text));
  return {};
}

// The same for the step or what it calls, with where it came from.
std::string evidence(const Step& step, const Activities& wanted, Activities& found) {
  if (std::string what = own_evidence(step, wanted, found); !what.empty()) return what;
  for (const Step& called : step.expansion)
    if (std::string what = own_evidence(called, wanted, found); !what.empty())
      return called.name.empty() || called.name == step.name ? what : fmt::format("{} in {}", what, called.name);
  return {};
}

}  // namespace

std::string evidence(const Step& step, Activity activity) {
  Activities found;
  return evidence(step, Activities().set(bit(activity)), found);
}

std::string shipping_evidence(const Job& job) {
  auto verb = [](const Activities& a) { return a.test(bit(Activity::deploy)) ? "deploys" : "publishes"; };
  Activities ships, found;
  ships.set(bit(Activity::publish)).set(bit(Activity::deploy));
  for (const Step& step : job.steps)
    if (std::string what = evidence(step, ships, found); !what.empty()) return fmt::format("{} ({})", verb(found), what);
  if (job.called != nullptr)
    for (const Job& called : job.called->jobs)
      if (std::string what = shipping_evidence(called); what != "publishes or deploys")
        return fmt::format("{} in {}", what, job.called->path);
  if (!job.environment.empty()) return fmt::format("deploys (environment '{}')", job.environment);
  if (!job.uses.empty()) return fmt::format("deploys or publishes ({})", job.uses);
  return "publishes or deploys";
}

Activities classify_include(std::string_view include) {
  Activities out;
  const std::string lower = text::to_lower(include);
  if (lower.find("dependency-scanning") != std::string::npos) out.set(bit(Activity::dependency_scan));
  if (lower.find("container-scanning") != std::string::npos) out.set(bit(Activity::image_scan));
  return out;
}

bool is_workflow_path(std::string_view path) {
  if (path == ".gitlab-ci.yml" || path == ".gitlab-ci.yaml") return true;
  if (!path.starts_with(".github/workflows/")) return false;
  const std::string_view name = path.substr(std::string_view(".github/workflows/").size());
  return name.find('/') == std::string_view::npos && (name.ends_with(".yml") || name.ends_with(".yaml"));
}

std::string_view read_file(const engine::RepositoryContext& repo, const workspace::File& file) {
  const std::string* content = repo.text(file);
  return content != nullptr ? std::string_view(*content) : std::string_view{};
}

namespace {

// Workflows that run on pull requests and pushes, and those that follow them (`workflow_run`).
std::vector<bool> pipeline_members(const std::vector<Workflow>& workflows) {
  std::vector<bool> member(workflows.size(), false);
  for (std::size_t i = 0; i < workflows.size(); ++i) member[i] = workflows[i].runs_on_change();
  for (bool grew = true; grew;) {
    grew = false;
    for (std::size_t i = 0; i < workflows.size(); ++i) {
      if (member[i]) continue;
      for (const std::string& followed : workflows[i].follows)
        for (std::size_t k = 0; k < workflows.size() && !member[i]; ++k)
          if (member[k] && (workflows[k].name == followed || text::basename(workflows[k].path) == followed))
            member[i] = grew = true;
    }
  }
  return member;
}

}  // namespace

namespace {

Pipeline read_pipeline(const engine::RepositoryContext& repo) {
  Pipeline pipeline;
  static const yaml::Stream kUnreadable = yaml::parse("");
  for (const workspace::File& file : repo.workspace().files) {
    if (file.path == ".github/dependabot.yml" || file.path == ".github/dependabot.yaml")
      pipeline.dependabot_path = file.path;
    if (!is_workflow_path(file.path)) continue;
    const yaml::Stream* stream = repo.yaml(file);
    const yaml::Stream& parsed = stream != nullptr ? *stream : kUnreadable;
    if (file.path.starts_with(".gitlab-ci"))
      pipeline.workflows.push_back(constable::ci::parse_gitlab_ci(file.path, parsed));
    else
      pipeline.workflows.push_back(constable::ci::parse_github_workflow(file.path, parsed));
  }
  expand_pipeline(repo, pipeline.workflows);
  pipeline.in_pipeline = pipeline_members(pipeline.workflows);
  return pipeline;
}

}  // namespace

const Pipeline& load_pipeline(const engine::RepositoryContext& repo) {
  return engine::derived<Pipeline>(repo, "ci/pipeline", [&] { return read_pipeline(repo); });
}

std::vector<const Workflow*> Pipeline::change_pipeline() const {
  std::vector<const Workflow*> out;
  for (std::size_t i = 0; i < workflows.size(); ++i)
    if (i < in_pipeline.size() && in_pipeline[i]) out.push_back(&workflows[i]);
  return out;
}

std::vector<const Workflow*> Pipeline::elsewhere() const {
  std::vector<const Workflow*> out;
  for (std::size_t i = 0; i < workflows.size(); ++i)
    if ((i >= in_pipeline.size() || !in_pipeline[i]) && !workflows[i].only_called()) out.push_back(&workflows[i]);
  return out;
}

const Workflow* Pipeline::anchor() const {
  if (workflows.empty()) return nullptr;
  const std::vector<const Workflow*> members = change_pipeline();
  if (members.empty())
    return &*std::max_element(workflows.begin(), workflows.end(),
                              [](const auto& a, const auto& b) { return a.jobs.size() < b.jobs.size(); });
  // Runs on pull requests, then does the most, then has the most jobs; the first in path order on a tie.
  auto score = [](const Workflow& w) {
    Activities done;
    for (const auto& job : w.jobs) done |= classify(job);
    return std::tuple(w.runs_on_pull_request(), done.count(), w.jobs.size());
  };
  const Workflow* best = members.front();
  auto best_score = score(*best);
  for (const Workflow* w : members)
    if (const auto s = score(*w); s > best_score) best = w, best_score = s;
  return best;
}

std::string Pipeline::anchor_path() const {
  const Workflow* w = anchor();
  return w != nullptr ? w->path : ".github/workflows/";
}

int Pipeline::anchor_line() const {
  const Workflow* w = anchor();
  if (w == nullptr) return 0;
  if (change_pipeline().empty() && w->triggers_line > 0) return w->triggers_line;
  return w->jobs_line;
}

std::string describe(const std::vector<const Workflow*>& workflows) {
  std::string out;
  for (const Workflow* w : workflows) {
    std::string triggers;
    for (const std::string& t : w->triggers) triggers += (triggers.empty() ? "" : ", ") + t;
    out += fmt::format("{}{}{}", out.empty() ? "" : "; ", w->path, triggers.empty() ? "" : " (on " + triggers + ")");
  }
  return out;
}

}  // namespace constable::checks::ci
