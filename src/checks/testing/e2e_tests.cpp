// testing/e2e-tests: "End-to-End Tests: Critical user journeys". A web front
// end has browser tests of its journeys: Playwright, Cypress or another
// browser driver configured or declared.

#include <fmt/format.h>
#include <re2/re2.h>

#include <set>

#include "checks/testing/testing_checks.hpp"
#include "checks/testing/testing_support.hpp"
#include "core/text.hpp"

namespace constable::checks::testing {

namespace {
namespace e2e_tests_check {

constexpr engine::CheckInfo kInfo{
    .id = "testing/e2e-tests",
    .domain = "testing",
    .nature = Nature::reliability,
    .summary = "Test the web front end's critical user journeys end to end in a browser",
    .rationale =
        "Unit and API tests pass while sign-in, search or checkout break in the browser: only a test that "
        "drives the real pages catches a broken journey before users do. A web front end is an application "
        "package (package.json with Next.js, Nuxt, Angular, SvelteKit, Remix, Gatsby, react-scripts, or React, "
        "Vue, Svelte or Solid beside a Vite config or an index.html); libraries are not judged. Its journeys "
        "are tested when the repository configures or declares a browser test runner anywhere: "
        "playwright.config.*, cypress.config.* or cypress.json, or @playwright/test, playwright, cypress, "
        "puppeteer, webdriverio, @wdio/cli, testcafe, nightwatch or selenium-webdriver in a package.json, or "
        "pytest-playwright or selenium in Python requirements, or a k6 script using k6's browser module.",
    .remediation = "Add Playwright (`npm init playwright@latest`) or Cypress with tests of the critical journeys "
                   "(sign in, the main purchase or submission flow), and run them in CI against a deployed "
                   "preview.",
    .bad_example = "web/package.json: {\"dependencies\": {\"next\": \"15.0.3\", \"react\": \"19.0.0\"}}\n",
    .good_example = "web/package.json: {\"dependencies\": {\"next\": \"15.0.3\"}, \"devDependencies\": "
                    "{\"@playwright/test\": \"1.49.0\"}}\nweb/playwright.config.ts\n",
    .parameters = "",
    .clause = {.section = "test", .text = R"(end.to.end|\be2e\b)"},
    .file_kind = FileKind::other,
    .stack = "node",
    .scope = engine::Scope::repository,
};

bool is_config(std::string_view name, std::string_view stem) {
  return name.starts_with(stem) && name.size() > stem.size() && name[stem.size()] == '.' &&
         (name.ends_with(".js") || name.ends_with(".ts") || name.ends_with(".mjs") || name.ends_with(".cjs") ||
          name.ends_with(".mts") || name.ends_with(".json"));
}

bool names_e2e_runner(std::string_view name) {
  return is_config(name, "playwright.config") || is_config(name, "cypress.config") || name == "cypress.json" ||
         is_config(name, "wdio.conf") || is_config(name, "nightwatch.conf") || name == ".testcaferc.json";
}

class E2eTestsCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    static const RE2 kRunner(
        R"re(["'](@playwright/test|playwright|cypress|puppeteer|webdriverio|@wdio/cli|testcafe|nightwatch|selenium-webdriver)["']\s*:)re");
    static const RE2 kPythonRunner(R"((?im)^\s*(pytest-playwright|playwright|selenium)\b)");
    // A framework that is an application by itself, and UI libraries that
    // make one with an app entry point beside them.
    static const RE2 kAppFramework(
        R"re(["'](next|nuxt|@angular/core|@sveltejs/kit|@remix-run/react|gatsby|react-scripts)["']\s*:)re");
    static const RE2 kUiLibrary(R"re(["'](react|vue|svelte|solid-js)["']\s*:)re");
    // Top-level e2e/ suites are set aside as test inputs: their configuration still counts.
    for (const workspace::SetAsideFile& file : repo.workspace().set_aside)
      if (names_e2e_runner(lower_name(file.path))) return;
    std::set<std::string, std::less<>> app_entry_dirs;  // directories with index.html or a Vite config
    for (const workspace::File& file : repo.workspace().files) {
      const std::string name = lower_name(file.path);
      if (name == "index.html" || is_config(name, "vite.config"))
        app_entry_dirs.emplace(text::dirname(file.path));
    }
    std::optional<std::pair<std::string, int>> front_end;
    std::string framework;
    for (const workspace::File& file : repo.workspace().files) {
      const std::string name = lower_name(file.path);
      if (names_e2e_runner(name)) return;
      // k6's browser module drives Chromium through the pages: a browser test too.
      if ((name.ends_with(".js") || name.ends_with(".ts")) && file.size < 1024 * 1024) {
        const std::string_view content = read_file(repo, file);
        if (text::contains(content, "k6/browser") || text::contains(content, "k6/experimental/browser")) return;
        continue;
      }
      if (name.starts_with("requirements") && name.ends_with(".txt")) {
        if (RE2::PartialMatch(read_file(repo, file), kPythonRunner)) return;
        continue;
      }
      if (name != "package.json") continue;
      const std::string_view content = read_file(repo, file);
      if (RE2::PartialMatch(content, kRunner)) return;
      if (front_end) continue;
      re2::StringPiece input(content.data(), content.size()), match;
      const std::string dir(text::dirname(file.path));
      const bool has_entry =
          app_entry_dirs.contains(dir) || app_entry_dirs.contains(dir.empty() ? "public" : dir + "/public");
      bool app = RE2::FindAndConsume(&input, kAppFramework, &match);
      if (!app && has_entry) {
        input = re2::StringPiece(content.data(), content.size());
        app = RE2::FindAndConsume(&input, kUiLibrary, &match);
      }
      if (!app) continue;
      framework = std::string(match.data(), match.size());
      front_end = std::pair{file.path, line_of(content, static_cast<std::size_t>(match.data() - content.data()))};
    }
    if (!front_end) return;
    // The application's own configuration, when it has one, is where the
    // front end is: reported at its first line rather than in package.json.
    const std::string app_dir(text::dirname(front_end->first));
    for (const workspace::File& file : repo.workspace().files) {
      const std::string name = lower_name(file.path);
      if (text::dirname(file.path) != app_dir) continue;
      if (is_config(name, "next.config") || is_config(name, "vite.config") || is_config(name, "nuxt.config") ||
          is_config(name, "svelte.config") || is_config(name, "remix.config") || is_config(name, "gatsby-config")) {
        // Its first line of code, after any leading comment.
        int line = 1;
        const auto lines = text::split_lines(read_file(repo, file));
        for (std::size_t i = 0; i < lines.size(); ++i) {
          const std::string_view code = text::trim(lines[i]);
          if (code.empty() || code.starts_with("//") || code.starts_with("/*") || code.starts_with("*") ||
              code.starts_with("#"))
            continue;
          line = static_cast<int>(i) + 1;
          break;
        }
        front_end = std::pair{file.path, line};
        break;
      }
    }
    emit_at(out, front_end->first, front_end->second,
            fmt::format("the web front end ({} in {}) has no end-to-end tests of its user journeys: no Playwright, "
                        "Cypress or other browser test runner is configured or declared in the repository",
                        framework, app_dir.empty() ? "package.json" : app_dir + "/package.json"));
  }
};

}  // namespace e2e_tests_check
}  // namespace

std::unique_ptr<engine::Check> make_e2e_tests_check() { return engine::make_check<e2e_tests_check::E2eTestsCheck>(); }

}  // namespace constable::checks::testing
