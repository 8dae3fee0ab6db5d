// How constable is shipped: `cmake --install`, `constable version`, the
// container image, the GitHub Action, the pre-commit hooks and the GitLab CI
// template, each held to the CLI it wraps.

#include <unistd.h>

#include <gtest/gtest.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "cli/cli_support.hpp"
#include "formats/ci/pipeline.hpp"
#include "formats/dockerfile/dockerfile.hpp"
#include "formats/yaml/yaml.hpp"

namespace constable::testing {
namespace {

namespace fs = std::filesystem;

const std::string& check_help() {
  static const std::string help = [] {
    auto r = constable({"check", "--help"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  }();
  return help;
}

// Whether `constable check --help` lists `option` ("--fail-on") as an option of its own.
bool check_has_option(const std::string& option) {
  const std::regex listed("(^|[\\s,])" + option + "([\\s,=]|$)");
  return std::regex_search(check_help(), listed);
}

// Every `--option` a command line uses.
std::vector<std::string> options_in(const std::string& command_line) {
  std::vector<std::string> options;
  const std::regex option("(^|\\s)(--[a-z][a-z-]*)");
  for (auto it = std::sregex_iterator(command_line.begin(), command_line.end(), option); it != std::sregex_iterator();
       ++it)
    options.push_back((*it)[2]);
  return options;
}

std::string scalar(const yaml::Node* node) { return node != nullptr ? std::string(node->str()) : std::string(); }

// A repository constable can check in a second: a constitution and one file.
void write_small_repository(const TempDir& repo) {
  repo.write("CONSTITUTION.md", read_file(fixtures_dir() / "constitution" / "reference-excerpt.md"));
  repo.write("README.md", "# small\n");
}

TEST(Distribution, VersionNamesTheCommitAndTheLinkedLibraries) {
  const auto r = constable({"version"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.starts_with(std::string("constable ") + CONSTABLE_VERSION + "\n")) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("\ncommit: (unknown|[0-9a-f]{7,40})\n"))) << r.out;
  // Versions the test itself was compiled against: the report reads the same headers.
  EXPECT_TRUE(std::regex_search(
      r.out, std::regex(fmt::format("\n  fmt +{}\\.{}\\.{}\n", FMT_VERSION / 10000, FMT_VERSION / 100 % 100,
                                    FMT_VERSION % 100))))
      << r.out;
  EXPECT_TRUE(std::regex_search(
      r.out, std::regex(fmt::format("\n  nlohmann_json +{}\\.{}\\.{}\n", NLOHMANN_JSON_VERSION_MAJOR,
                                    NLOHMANN_JSON_VERSION_MINOR, NLOHMANN_JSON_VERSION_PATCH))))
      << r.out;
  for (const char* library : {"CLI11", "cmark-gfm", "libgit2", "libyaml", "OpenSSL", "Vectorscan", "zlib"})
    EXPECT_TRUE(std::regex_search(r.out, std::regex(fmt::format("\n  {} +[0-9]+\\.[0-9]+[^\n]*\n", library))))
        << library << " missing from\n" << r.out;
  // --version stays the bare version, for scripts.
  EXPECT_EQ(constable({"--version"}).out, std::string(CONSTABLE_VERSION) + "\n");
}

TEST(Distribution, InstallPutsTheProgramAndWhatItGeneratesUnderThePrefix) {
  const fs::path build_dir = fs::path(CONSTABLE_BINARY).parent_path().parent_path();
  ASSERT_TRUE(fs::exists(build_dir / "cmake_install.cmake")) << build_dir;
  TempDir prefix;
  const auto install = run_command({"cmake", "--install", build_dir.string(), "--prefix", prefix.path().string()});
  ASSERT_EQ(install.exit_code, 0) << install.out << install.err;
  const fs::path installed = prefix.path() / "bin" / "constable";
  ASSERT_TRUE(fs::exists(installed)) << install.out;
  const auto version = run_command({installed.string(), "version"});
  EXPECT_EQ(version.exit_code, 0) << version.err;
  EXPECT_TRUE(version.out.starts_with(std::string("constable ") + CONSTABLE_VERSION)) << version.out;

  // The man page and completions are installed exactly when the program can
  // generate them, as it generates them.
  const std::vector<std::pair<std::vector<std::string>, fs::path>> generated = {
      {{"man"}, "share/man/man1/constable.1"},
      {{"completion", "bash"}, "share/bash-completion/completions/constable"},
      {{"completion", "zsh"}, "share/zsh/site-functions/_constable"},
      {{"completion", "fish"}, "share/fish/vendor_completions.d/constable.fish"},
  };
  for (const auto& [arguments, relative] : generated) {
    // As the install ran it: without the test environment.
    std::vector<std::string> argv = {CONSTABLE_BINARY};
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    const auto output = run_command(argv);
    const bool can_generate = output.exit_code == 0 && !output.out.empty();
    EXPECT_EQ(fs::exists(prefix.path() / relative), can_generate) << relative;
    if (can_generate) {
      EXPECT_EQ(read_file(prefix.path() / relative), output.out) << relative;
    }
  }

  // DESTDIR stages the whole tree below it, for packagers.
  TempDir stage;
  const auto staged = run_command({"cmake", "--install", build_dir.string(), "--prefix", "/usr/local"}, {},
                                  {"DESTDIR=" + stage.path().string()});
  ASSERT_EQ(staged.exit_code, 0) << staged.out << staged.err;
  EXPECT_TRUE(fs::exists(stage.path() / "usr/local/bin/constable"));
}

TEST(Distribution, DockerfileBuildsTheCliIntoAMinimalNonRootImage) {
  const std::string text = read_file(source_dir() / "Dockerfile");
  const auto df = dockerfile::Dockerfile::parse(text);
  ASSERT_TRUE(df.errors.empty()) << df.errors.front().message;
  ASSERT_EQ(df.stages.size(), 2u);
  EXPECT_TRUE(df.stages[0].resolved_image.starts_with("debian:12")) << df.stages[0].resolved_image;
  EXPECT_TRUE(std::regex_match(df.stages[1].resolved_image, std::regex(R"(debian:12(\.[0-9]+)?-slim(@sha256:[0-9a-f]{64})?)")))
      << df.stages[1].resolved_image;

  std::map<std::string, std::vector<const dockerfile::Instruction*>> final_stage;
  for (const auto* instruction : df.stage_instructions(df.stages[1])) final_stage[instruction->keyword].push_back(instruction);
  ASSERT_EQ(final_stage["USER"].size(), 1u);
  EXPECT_EQ(final_stage["USER"][0]->arguments, "10001:10001");
  ASSERT_EQ(final_stage["WORKDIR"].size(), 1u);
  EXPECT_EQ(final_stage["WORKDIR"][0]->arguments, "/src");
  ASSERT_EQ(final_stage["ENTRYPOINT"].size(), 1u);
  EXPECT_EQ(final_stage["ENTRYPOINT"][0]->exec_args, std::vector<std::string>{"constable"});
  ASSERT_EQ(final_stage["CMD"].size(), 1u);
  EXPECT_EQ(final_stage["CMD"][0]->exec_args, (std::vector<std::string>{"check", "."}));
  // Only runtime libraries, no recommends, no package lists left behind.
  for (const auto* run : final_stage["RUN"]) {
    if (run->arguments.find("apt-get install") == std::string::npos) continue;
    EXPECT_NE(run->arguments.find("--no-install-recommends"), std::string::npos);
    EXPECT_NE(run->arguments.find("rm -rf /var/lib/apt/lists/*"), std::string::npos);
    EXPECT_EQ(run->arguments.find("-dev"), std::string::npos) << run->arguments;
  }
  // The build stage builds the CLI target alone.
  bool builds_constable_only = false;
  for (const auto* run : df.stage_instructions(df.stages[0]))
    builds_constable_only = builds_constable_only || run->arguments.find("--target constable ") != std::string::npos;
  EXPECT_TRUE(builds_constable_only);
  // OCI labels; the version is the project's.
  std::map<std::string, std::string> labels;
  for (const auto* label : final_stage["LABEL"])
    for (const auto& kv : dockerfile::key_values(*label)) labels[kv.key] = kv.value;
  for (const char* key : {"org.opencontainers.image.title", "org.opencontainers.image.description",
                          "org.opencontainers.image.revision"})
    EXPECT_TRUE(labels.contains(key)) << key;
  EXPECT_EQ(labels["org.opencontainers.image.version"], CONSTABLE_VERSION);
  // The build context holds what the build copies, and only that.
  const std::string ignore = read_file(source_dir() / ".dockerignore");
  for (const auto* copy : df.stage_instructions(df.stages[0])) {
    if (copy->keyword != "COPY") continue;
    const std::string source = copy->arguments.substr(0, copy->arguments.find(' '));
    EXPECT_NE(ignore.find("!" + source), std::string::npos) << source << " is not in the build context";
  }
}

// The project's own distribution files pass its own checks against the
// reference constitution: the Dockerfile its Docker checks (always: the
// excerpt in the fixtures has the same Docker sections), and every file
// every check that applies to it.
TEST(Distribution, OwnFilesPassConstableWithTheReferenceConstitution) {
  const auto reference = shared_file("reference-constitution.md");
  const fs::path docker_constitution =
      reference ? *reference : fixtures_dir() / "constitution" / "reference-excerpt.md";
  const auto docker = constable({"check", "Dockerfile", "--select", "docker", "--constitution",
                                 docker_constitution.string(), "--format", "json"},
                                source_dir());
  EXPECT_EQ(docker.exit_code, 0) << docker.out << docker.err;
  const auto docker_report = nlohmann::json::parse(docker.out, nullptr, false);
  ASSERT_FALSE(docker_report.is_discarded()) << docker.out;
  EXPECT_TRUE(docker_report["findings"].empty()) << docker_report["findings"].dump(2);
  bool judged_dockerfile = false;
  for (const auto& rule : docker_report["rules"]) judged_dockerfile = judged_dockerfile || rule.value("id", "") == "docker/non-root-user";
  EXPECT_TRUE(judged_dockerfile) << "the docker checks did not run";

  if (!reference) GTEST_SKIP() << "../shared/reference-constitution.md not present: only the Docker checks ran";
  const auto all = constable({"check", "Dockerfile", ".dockerignore", "action.yml", ".pre-commit-hooks.yaml",
                              "ci/gitlab/constable.gitlab-ci.yml", "--constitution", reference->string(), "--format",
                              "json"},
                             source_dir());
  EXPECT_EQ(all.exit_code, 0) << all.out << all.err;
  const auto report = nlohmann::json::parse(all.out, nullptr, false);
  ASSERT_FALSE(report.is_discarded()) << all.out;
  EXPECT_TRUE(report["findings"].empty()) << report["findings"].dump(2);
}

TEST(Distribution, ImageBuildsAndChecksAMountedRepository) {
  std::string engine;
  for (const char* candidate : {"docker", "podman"}) {
    if (run_command({candidate, "info"}, {}, {}, 60).exit_code == 0) {
      engine = candidate;
      break;
    }
  }
  if (engine.empty()) GTEST_SKIP() << "neither docker nor podman can reach a container engine here; image not built";
  const std::string tag = fmt::format("constable-test:{}", ::getpid());
  const auto build = run_command({engine, "build", "--tag", tag, source_dir().string()}, {}, {}, 3600);
  ASSERT_EQ(build.exit_code, 0) << build.out << build.err;
  const auto version = run_command({engine, "run", "--rm", tag, "version"});
  EXPECT_EQ(version.exit_code, 0) << version.err;
  EXPECT_TRUE(version.out.starts_with(std::string("constable ") + CONSTABLE_VERSION)) << version.out;
  // The default command checks /src: the demo has violations (exit 1).
  const auto demo = run_command({engine, "run", "--rm", "--volume", demo_repo().string() + ":/src:ro", tag});
  EXPECT_EQ(demo.exit_code, 1) << demo.out << demo.err;
  EXPECT_NE(demo.out.find("docker/"), std::string::npos) << demo.out;
  run_command({engine, "rmi", "--force", tag});
}

TEST(Distribution, ActionInputsAreCheckOptions) {
  const std::string text = read_file(source_dir() / "action.yml");
  const auto stream = yaml::parse(text);
  ASSERT_TRUE(stream.ok() && !stream.documents.empty());
  const yaml::Node& action = *stream.documents.front().root;
  const auto parsed = ci::parse_github_action("action.yml", stream);
  EXPECT_TRUE(parsed.errors.empty()) << parsed.errors.front().message;
  ASSERT_TRUE(parsed.composite);
  std::string scripts;
  for (const auto& step : parsed.steps) scripts += step.run + "\n";

  const yaml::Node* inputs = action.get("inputs");
  ASSERT_NE(inputs, nullptr);
  std::set<std::string> names;
  // "(constable check --fail-on)", "(constable check --output-format sarif=FILE)", "(constable check PATH)".
  const std::regex maps_to(R"(\(constable check ([^ )]+)[^)]*\)$)");
  for (const auto& entry : inputs->entries) {
    const std::string name(entry.key->str());
    names.insert(name);
    const std::string description = scalar(entry.value->get("description"));
    std::smatch match;
    if (description.ends_with("(the action's own)")) {
      EXPECT_EQ(name, "image") << "only the image is the action's own";
      continue;
    }
    ASSERT_TRUE(std::regex_search(description, match, maps_to)) << name << ": " << description;
    const std::string option = match[1];
    if (option == "PATH") {
      EXPECT_TRUE(std::regex_search(check_help(), std::regex(R"(Positionals:\s*\n\s*path )"))) << check_help();
    } else {
      EXPECT_TRUE(check_has_option(option)) << name << " maps to " << option << ", which `constable check` lacks";
      EXPECT_NE(scripts.find(option), std::string::npos) << name << ": the action never passes " << option;
    }
    EXPECT_NE(text.find("${{ inputs." + name + " }}"), std::string::npos) << name << " is never used";
  }
  for (const char* required : {"path", "constitution", "format", "fail-on", "diff-base", "sarif", "markdown"})
    EXPECT_TRUE(names.contains(required)) << required;
  EXPECT_EQ(scalar(action.at("inputs", "diff-base", "default")), "${{ github.event.pull_request.base.sha }}");
  for (const char* output : {"exit-code", "sarif", "markdown"})
    EXPECT_NE(action.at("outputs", output, "value"), nullptr) << output;

  // The defaults are values the CLI accepts.
  TempDir repo;
  write_small_repository(repo);
  const auto defaults = constable({"check", repo.path().string(), "--format",
                                   scalar(action.at("inputs", "format", "default")), "--fail-on",
                                   scalar(action.at("inputs", "fail-on", "default"))});
  EXPECT_NE(defaults.exit_code, 2) << defaults.err;
}

// The README's workflow: it parses as a workflow, calls the action with its
// inputs only, uploads the SARIF the action wrote and posts the summary.
TEST(Distribution, ReadmeWorkflowUploadsSarifAndPostsTheSummary) {
  const std::string readme = read_file(source_dir() / "README.md");
  const auto section = readme.find("## Use it in CI");
  ASSERT_NE(section, std::string::npos);
  std::string workflow_text;
  for (auto open = readme.find("```yaml\n", section); open != std::string::npos; open = readme.find("```yaml\n", open + 1)) {
    const auto body = open + 8;
    const std::string block = readme.substr(body, readme.find("```", body) - body);
    if (block.find("upload-sarif") != std::string::npos) {
      workflow_text = block;
      break;
    }
  }
  ASSERT_FALSE(workflow_text.empty()) << "no workflow example uploading SARIF in the README";
  const auto workflow = ci::parse_github_workflow(".github/workflows/constable.yml", workflow_text);
  ASSERT_TRUE(workflow.errors.empty()) << workflow.errors.front().message;
  EXPECT_TRUE(workflow.runs_on_pull_request());
  const auto stream = yaml::parse(workflow_text);
  const yaml::Node& root = *stream.documents.front().root;
  EXPECT_EQ(scalar(root.at("permissions", "security-events")), "write");

  const auto action = yaml::parse(read_file(source_dir() / "action.yml"));
  const yaml::Node* inputs = action.documents.front().root->get("inputs");
  ASSERT_EQ(workflow.jobs.size(), 1u);
  const yaml::Node* steps = root.at("jobs", workflow.jobs.front().id, "steps");
  ASSERT_NE(steps, nullptr);
  std::string action_step_id;
  bool checks_out_history = false, uploads = false, posts_summary = false;
  for (const yaml::Node* step : steps->items) {
    const std::string uses = scalar(step->get("uses"));
    if (uses.starts_with("actions/checkout@"))
      checks_out_history = scalar(step->at("with", "fetch-depth")) == "0";
    if (uses.starts_with("constable-dev/constable@")) {
      action_step_id = scalar(step->get("id"));
      if (const yaml::Node* with = step->get("with")) {
        for (const auto& entry : with->entries)
          EXPECT_NE(inputs->get(entry.key->str()), nullptr) << entry.key->str() << " is not an input of the action";
      }
    }
  }
  ASSERT_FALSE(action_step_id.empty()) << "the workflow does not call the action with an id";
  for (const yaml::Node* step : steps->items) {
    if (scalar(step->get("uses")).starts_with("github/codeql-action/upload-sarif@"))
      uploads = scalar(step->at("with", "sarif_file")) == "${{ steps." + action_step_id + ".outputs.sarif }}";
    const std::string run = scalar(step->get("run"));
    if (run.find(">> \"$GITHUB_STEP_SUMMARY\"") != std::string::npos) {
      const std::string env = scalar(step->at("env", "SUMMARY"));
      posts_summary = env == "${{ steps." + action_step_id + ".outputs.markdown }}";
    }
  }
  EXPECT_TRUE(checks_out_history) << "--diff needs fetch-depth: 0";
  EXPECT_TRUE(uploads) << "no upload-sarif step reading the action's sarif output";
  EXPECT_TRUE(posts_summary) << "no step appending the action's markdown output to $GITHUB_STEP_SUMMARY";
}

TEST(Distribution, PreCommitHooksCheckTheStagedFiles) {
  const auto stream = yaml::parse(read_file(source_dir() / ".pre-commit-hooks.yaml"));
  ASSERT_TRUE(stream.ok() && !stream.documents.empty());
  const yaml::Node& hooks = *stream.documents.front().root;
  ASSERT_TRUE(hooks.is_sequence());
  std::set<std::string> languages;
  for (const yaml::Node* hook : hooks.items) {
    const std::string id = scalar(hook->get("id"));
    const std::string entry = scalar(hook->get("entry"));
    EXPECT_TRUE(entry.starts_with("constable check")) << id << ": " << entry;
    for (const auto& option : options_in(entry)) EXPECT_TRUE(check_has_option(option)) << id << ": " << option;
    ASSERT_NE(hook->get("pass_filenames"), nullptr) << id;
    EXPECT_EQ(hook->get("pass_filenames")->as_bool(), true) << id;
    languages.insert(scalar(hook->get("language")));
  }
  EXPECT_EQ(languages, (std::set<std::string>{"docker", "system"}));
}

TEST(Distribution, GitLabTemplateProducesCodeQualityAndSarifArtifacts) {
  const std::string text = read_file(source_dir() / "ci" / "gitlab" / "constable.gitlab-ci.yml");
  const auto pipeline = ci::parse_gitlab_ci("constable.gitlab-ci.yml", text);
  EXPECT_TRUE(pipeline.errors.empty()) << pipeline.errors.front().message;
  ASSERT_NE(pipeline.job("constable"), nullptr);
  const auto stream = yaml::parse(text);
  const yaml::Node* job = stream.documents.front().root->get("constable");
  ASSERT_NE(job, nullptr);
  std::string script;
  for (const yaml::Node* line : job->get("script")->items) script += std::string(line->str()) + "\n";

  const std::string codequality = scalar(job->at("artifacts", "reports", "codequality"));
  ASSERT_FALSE(codequality.empty());
  EXPECT_NE(script.find("--format gitlab --output " + codequality), std::string::npos) << script;
  std::smatch sarif;
  ASSERT_TRUE(std::regex_search(script, sarif, std::regex(R"(--output-format sarif=(\S+))"))) << script;
  std::set<std::string> paths;
  for (const yaml::Node* path : job->at("artifacts", "paths")->items) paths.insert(std::string(path->str()));
  EXPECT_TRUE(paths.contains(sarif[1])) << sarif[1] << " is not kept as an artifact";
  EXPECT_TRUE(paths.contains(codequality));
  EXPECT_EQ(scalar(job->at("artifacts", "when")), "always");
  for (const auto& option : options_in(script)) EXPECT_TRUE(check_has_option(option)) << option;
}

}  // namespace
}  // namespace constable::testing
