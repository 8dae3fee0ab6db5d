// Provenance of repository files: well-known locations and names, linguist
// attributes, and the configuration's `include:`.

#include "workspace/provenance.hpp"

#include <algorithm>
#include <cctype>
#include <unordered_set>

#include "core/text.hpp"
#include "workspace/workspace.hpp"

namespace constable::workspace {

namespace {

constexpr std::string_view kVendoredDirectories[] = {
    "node_modules", "bower_components", "jspm_packages", "vendor", "third_party", "third-party", "thirdparty",
    ".venv",        "venv",             "site-packages", ".yarn"};
// Inputs to tests and collections of examples, wherever they are.
constexpr std::string_view kFixtureDirectories[] = {
    "testdata", "test-data", "test_data", "fixtures", "fixture", "__fixtures__", "test-fixtures", "test_fixtures",
    "__snapshots__", "examples", "samples", "snippets", "testresources", "test-resources", "test_resources",
    // Validator test suites: documents that must pass or fail validation.
    "pass", "fail", "valid", "invalid",
    // A fuzzer's seeds and the inputs that once crashed it.
    "corpus", "corpora",
    // Policy test suites (kyverno/policies): the resources a policy must admit or refuse.
    ".chainsaw-test", ".kyverno-test",
    // A scaffold copied into other projects (spec-kit's extensions/template/):
    // its CHANGELOG and manifests are theirs to fill. Helm's templates/ is not this.
    "template"};
// Inputs to tests below a test directory (src/test/resources, tests/e2e).
// bats/ holds a shell test suite's manifests; good/ and bad/ what must be
// admitted or refused (gatekeeper's test/bats/tests/good).
constexpr std::string_view kTestInputDirectories[] = {"resources", "e2e",  "smoke", "smoke-tests", "smoke_tests",
                                                      "bats",      "good", "bad"};
// End-to-end, smoke and fuzz suites at the top of the repository; deeper down
// (deploy/e2e/) such a name is more often an environment.
constexpr std::string_view kTopLevelTestSuites[] = {"e2e", "smoke", "smoke-tests", "smoke_tests", "fuzz", "fuzzing"};
// Demonstrations at the top of the repository (gatekeeper's demo/agilebank):
// examples to show, not what the project deploys. Deeper down (deploy/demo/)
// such a name is more often an environment.
constexpr std::string_view kTopLevelExamples[] = {"demo", "demos"};
constexpr std::string_view kTestDirectories[] = {"test", "tests", "__tests__", "spec", "it"};

constexpr std::string_view kVendoredSuffixes[] = {".min.js", ".min.mjs", ".min.css", "-min.js"};
constexpr std::string_view kGeneratedSuffixes[] = {".pb.go", ".pb.gw.go", "_pb2.py", "_pb2_grpc.py", "_pb2.pyi",
                                                    ".pb.cc", ".pb.h"};
constexpr std::string_view kGeneratedPrefixes[] = {"zz_generated."};
constexpr std::string_view kBinaryExtensions[] = {
    "png", "jpg", "jpeg", "gif", "bmp", "ico", "icns", "webp", "tif", "tiff", "psd", "avif", "heic",
    "pdf", "zip", "gz", "tgz", "bz2", "xz", "zst", "7z", "rar", "tar", "jar", "war", "ear", "class",
    "so", "dylib", "dll", "exe", "o", "a", "lib", "pyc", "pyo", "whl", "egg", "woff", "woff2", "ttf",
    "otf", "eot", "mp3", "mp4", "m4a", "mov", "avi", "mkv", "webm", "wav", "ogg", "flac", "sqlite",
    "sqlite3", "db", "parquet", "avro", "onnx", "pt", "pkl", "npy", "npz", "deb", "rpm", "dmg", "iso"};

template <std::size_t N>
bool one_of(std::string_view name, const std::string_view (&names)[N]) {
  return std::find(std::begin(names), std::end(names), name) != std::end(names);
}

std::optional<Provenance> attribute_provenance(std::string_view attribute) {
  if (attribute == "linguist-vendored") return Provenance::vendored;
  if (attribute == "linguist-generated") return Provenance::generated;
  if (attribute == "linguist-documentation") return Provenance::documentation;
  if (attribute == "binary") return Provenance::binary;
  return std::nullopt;
}

}  // namespace

std::string_view to_string(Provenance provenance) {
  switch (provenance) {
    case Provenance::project: return "project";
    case Provenance::vendored: return "vendored";
    case Provenance::generated: return "generated";
    case Provenance::fixture: return "fixtures";
    case Provenance::documentation: return "documentation";
    case Provenance::binary: return "binary";
  }
  return "project";
}

std::optional<Provenance> parse_provenance(std::string_view name) {
  for (std::size_t i = 1; i < kProvenanceCount; ++i) {
    const auto provenance = static_cast<Provenance>(i);
    if (name == to_string(provenance)) return provenance;
  }
  return std::nullopt;
}

bool is_test_directory(std::string_view name) { return one_of(name, kTestDirectories); }

bool is_test_source(std::string_view path) {
  for (const auto segment : text::split(text::dirname(path), '/'))
    if (is_test_directory(segment)) return true;
  const std::string_view name = text::basename(path);
  // A chart's ci/*values.yaml: the values chart-testing installs it with.
  const std::string_view dir = text::dirname(path);
  if ((dir == "ci" || dir.ends_with("/ci")) && name.find("values") != std::string_view::npos &&
      (name.ends_with(".yaml") || name.ends_with(".yml")))
    return true;
  const auto dot = name.find('.');
  const std::string_view stem = name.substr(0, dot);
  const std::string_view extension = dot == std::string_view::npos ? std::string_view{} : name.substr(dot);
  if (stem.ends_with("_test") || stem.ends_with("_spec") || stem.ends_with("Test") || stem.ends_with("Tests") ||
      (stem.starts_with("test_") && extension == ".py") || name == "conftest.py")
    return true;
  // orders.test.ts, orders.spec.jsx
  return extension.starts_with(".test.") || extension.starts_with(".spec.");
}

std::optional<std::string_view> readme_title(std::string_view readme, bool whole) {
  std::string_view previous;
  text::LineCursor lines(readme);
  for (std::string_view raw; lines.next(raw);) {
    // The last line of a text cut short may be cut too: it decides nothing.
    if (!whole && raw.data() + raw.size() == readme.data() + readme.size()) return std::nullopt;
    const auto line = text::trim(raw);
    if (line.starts_with('#')) return line.starts_with("# ") ? line.substr(2) : std::string_view();
    // A setext heading: the line above a row of '='.
    if (!previous.empty() && !line.empty() && line.find_first_not_of('=') == std::string_view::npos) return previous;
    previous = line;
  }
  if (!whole) return std::nullopt;
  return std::string_view();
}

bool names_a_collection_of_examples(std::string_view title) {
  const std::string lower = text::to_lower(title);
  // Plural nouns only: "Swagger Petstore Sample" is one project, not a collection.
  static constexpr std::string_view kCollections[] = {
      "examples", "example apps", "example applications", "example projects", "samples", "sample apps",
      "sample applications", "quickstarts", "quick starts", "tutorials", "demos"};
  for (const auto word : kCollections) {
    const auto at = lower.find(word);
    if (at == std::string::npos) continue;
    const std::size_t end = at + word.size();
    const bool starts_word = at == 0 || !std::isalnum(static_cast<unsigned char>(lower[at - 1]));
    const bool ends_word = end == lower.size() || !std::isalnum(static_cast<unsigned char>(lower[end]));
    if (starts_word && ends_word) return true;
  }
  return false;
}

bool titles_a_collection_of_examples(std::string_view readme) {
  return names_a_collection_of_examples(*readme_title(readme));
}

Provenance directory_provenance(std::string_view name, Provenance inherited, bool under_tests, bool top_level) {
  if (inherited != Provenance::project) return inherited;
  if (one_of(name, kVendoredDirectories)) return Provenance::vendored;
  // A numbered sibling is the same (argo-cd's reposerver/repository/testdata2/).
  const std::string_view unnumbered = name.substr(0, name.find_last_not_of("0123456789") + 1);
  if (one_of(name, kFixtureDirectories) || one_of(unnumbered, kFixtureDirectories)) return Provenance::fixture;
  if (under_tests && one_of(name, kTestInputDirectories)) return Provenance::fixture;
  if (top_level && (one_of(name, kTopLevelTestSuites) || one_of(name, kTopLevelExamples))) return Provenance::fixture;
  return Provenance::project;
}

namespace {

bool under_documentation(std::string_view path) {
  const std::string top = text::to_lower(path.substr(0, path.find('/')));
  return top.size() != path.size() && (top == "docs" || top == "doc" || top == "documentation");
}

}  // namespace

bool is_documentation_page(std::string_view path) {
  const std::string name = text::to_lower(text::basename(path));
  return classify(path) == FileKind::markdown || name.ends_with(".rst") || name.ends_with(".adoc") ||
         name.ends_with(".mdx");
}

bool is_test_artifact(std::string_view path) {
  const FileKind kind = classify(path);
  if (kind != FileKind::yaml && kind != FileKind::json && kind != FileKind::dockerfile) return false;
  // A chart's own test hooks (templates/tests/) are part of the chart.
  if (path.find("/templates/") != std::string_view::npos || path.starts_with("templates/")) return false;
  for (const auto segment : text::split(text::dirname(path), '/')) {
    const std::string lower = text::to_lower(segment);
    if (lower == "test" || lower == "tests" || lower == "__tests__" || lower == "testing") return true;
  }
  return false;
}

bool is_documentation_snippet(std::string_view path) {
  if (!under_documentation(path)) return false;
  const FileKind kind = classify(path);
  if (kind != FileKind::yaml && kind != FileKind::json && kind != FileKind::dockerfile &&
      kind != FileKind::helm_template)
    return false;
  // An API description kept with the documentation is the API's contract.
  const std::string name = text::to_lower(text::basename(path));
  return name.find("api") == std::string::npos && name.find("swagger") == std::string::npos;
}

Provenance file_provenance(std::string_view name) {
  const std::string lower = text::to_lower(name);
  for (const auto suffix : kVendoredSuffixes)
    if (lower.ends_with(suffix)) return Provenance::vendored;
  for (const auto suffix : kGeneratedSuffixes)
    if (lower.ends_with(suffix)) return Provenance::generated;
  for (const auto prefix : kGeneratedPrefixes)
    if (lower.starts_with(prefix)) return Provenance::generated;
  // Runs for every file of the repository: a hash lookup, not a scan of the list.
  static const std::unordered_set<std::string_view> kBinary(std::begin(kBinaryExtensions), std::end(kBinaryExtensions));
  if (const auto dot = lower.rfind('.'); dot != std::string::npos && dot > 0) {
    if (kBinary.contains(std::string_view(lower).substr(dot + 1))) return Provenance::binary;
  }
  return Provenance::project;
}

void AttributeRules::add_lines(std::string_view content, const std::string& base) {
  for (const auto raw : text::split_lines(content)) {
    const auto line = text::trim(raw);
    // Comments, macro definitions, and negative patterns (which git forbids).
    if (line.empty() || line.front() == '#' || line.starts_with("[attr]") || line.front() == '!') continue;
    std::vector<std::string_view> tokens;
    std::size_t at = 0;
    std::string pattern;
    if (line.front() == '"') {  // a quoted pattern; C-style escapes are rare enough to leave literal
      const auto close = line.find('"', 1);
      if (close == std::string_view::npos) continue;
      pattern = std::string(line.substr(1, close - 1));
      at = close + 1;
    } else {
      const auto end = line.find_first_of(" \t");
      pattern = std::string(line.substr(0, end));
      at = end == std::string_view::npos ? line.size() : end;
    }
    while (at < line.size()) {
      const auto start = line.find_first_not_of(" \t", at);
      if (start == std::string_view::npos) break;
      const auto end = line.find_first_of(" \t", start);
      tokens.push_back(line.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
      at = end == std::string_view::npos ? line.size() : end;
    }
    for (auto attribute : tokens) {
      bool set = true;
      if (attribute.front() == '-') {
        set = false;
        attribute.remove_prefix(1);
      } else if (attribute.front() == '!') {
        continue;  // unspecified: back to the path's own verdict
      }
      if (const auto eq = attribute.find('='); eq != std::string_view::npos) {
        const auto value = text::to_lower(attribute.substr(eq + 1));
        if (value == "false" || value == "0" || value == "no") set = !set;
        attribute = attribute.substr(0, eq);
      }
      const auto provenance = attribute_provenance(attribute);
      if (!provenance) continue;
      GlobPattern glob;
      if (!GlobPattern::parse(set ? pattern : "!" + pattern, base, glob)) continue;
      by_provenance_[static_cast<std::size_t>(*provenance)].add(std::move(glob));
      empty_ = false;
    }
  }
}

void AttributeRules::apply(std::string_view path, AttributeStates& states) const {
  for (std::size_t i = 1; i < kProvenanceCount; ++i) {
    if (states[i].has_value() || by_provenance_[i].empty()) continue;
    states[i] = by_provenance_[i].ignored(path, false);
  }
}

Provenance resolve_provenance(Provenance by_path, const AttributeStates& states) {
  // Attributes the project set, most specific to the least.
  for (const auto provenance :
       {Provenance::vendored, Provenance::generated, Provenance::documentation, Provenance::binary}) {
    if (states[static_cast<std::size_t>(provenance)].value_or(false)) return provenance;
  }
  if (states[static_cast<std::size_t>(by_path)] == std::optional<bool>(false)) return Provenance::project;
  return by_path;
}

Inclusion::Inclusion(const std::vector<std::string>& entries) {
  for (const auto& entry : entries) {
    if (const auto provenance = parse_provenance(entry)) {
      categories_[static_cast<std::size_t>(*provenance)] = true;
      continue;
    }
    GlobPattern glob;
    if (GlobPattern::parse(entry, "", glob)) globs_.add(std::move(glob));
  }
}

bool Inclusion::includes(Provenance provenance, std::string_view path) const {
  if (provenance == Provenance::project || categories_[static_cast<std::size_t>(provenance)]) return true;
  return !globs_.empty() && globs_.ignored(path, false).value_or(false);
}

}  // namespace constable::workspace
