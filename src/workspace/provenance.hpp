#pragma once
// Whose file is it? Vendored dependencies, generated code, test fixtures and
// example collections, documentation assets and binary files are in the
// repository but are not the project's own artifacts: constable does not
// judge them unless `.constable.yaml` brings them back (`include:`).

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "workspace/glob.hpp"

namespace constable::workspace {

enum class Provenance : std::uint8_t { project, vendored, generated, fixture, documentation, binary };
inline constexpr std::size_t kProvenanceCount = 6;

// "vendored", "generated", "fixtures", "documentation", "binary": the names
// `include:` accepts, and the summary's labels.
std::string_view to_string(Provenance provenance);
std::optional<Provenance> parse_provenance(std::string_view name);

// What a directory's own name says about everything below it, given what its
// ancestors said (`inherited`), whether one of them is a test directory and
// whether it is at the top of the repository: node_modules/, vendor/,
// third_party/, .venv/ are vendored; testdata/, fixtures/, __fixtures__/,
// examples/, samples/, snippets/, pass/ and fail/ (validator suites),
// resources/, e2e/ or smoke/ below a test directory, and a top-level e2e/ or
// smoke/ suite hold test inputs and examples.
Provenance directory_provenance(std::string_view name, Provenance inherited, bool under_tests, bool top_level);
bool is_test_directory(std::string_view name);

// Whether a file is a test's own source by its name or place (orders_test.go,
// test_orders.py, orders.spec.ts, OrdersTest.java, tests/conftest.py, a
// chart's ci/test-values.yaml): the keys and passwords in it are test inputs.
bool is_test_source(std::string_view path);

// Whether a README's title (its first level-1 heading) presents its
// directory as a collection of examples: "ArgoCD Example Apps", "Dapr
// Quickstarts and Tutorials", "Kubernetes Samples". The subdirectories of
// such a directory are examples (fixtures); a single sample is not a collection.
bool titles_a_collection_of_examples(std::string_view readme);
// The title titles_a_collection_of_examples reads: the first heading when
// of level 1, or a setext heading before any other ("" when neither).
// nullopt when `readme` is only the start of the file (`whole` false) and
// no complete line of it decides the title yet.
std::optional<std::string_view> readme_title(std::string_view readme, bool whole = true);
// Whether a README's title names a collection of examples.
bool names_a_collection_of_examples(std::string_view title);

// Whether a file is an artifact shown in the documentation (a manifest,
// Dockerfile or chart under a top-level docs/ directory) rather than one the
// project deploys; API descriptions stay judged.
bool is_documentation_snippet(std::string_view path);

// Whether a file is an artifact a test feeds to the code under test (a
// manifest, a JSON or YAML document, a Dockerfile under a test/ or tests/
// directory: gatekeeper's test/expansion/cronjob.yaml, test/image/Dockerfile)
// rather than one the project deploys. Test code there stays judged; a
// chart's templates/tests/ hooks are the chart's; `spec/` is not counted, as
// spec-driven projects keep their contracts there.
bool is_test_artifact(std::string_view path);

// Whether a file is a page of documentation (Markdown, reStructuredText or
// AsciiDoc: a README, a tutorial, a chart's install notes): passwords and
// keys in its examples are illustrations, as in a test's sources; provider
// tokens are live wherever they sit.
bool is_documentation_page(std::string_view path);

// What a file's name says: minified bundles are vendored, protobuf and
// controller-gen output is generated, images, archives, fonts and compiled
// objects are binary; project otherwise.
Provenance file_provenance(std::string_view name);

// What .gitattributes files say about a path, per provenance: set, unset
// (`-linguist-vendored`, `=false`) or nothing (nullopt).
using AttributeStates = std::array<std::optional<bool>, kProvenanceCount>;

// The linguist attributes of one directory's .gitattributes:
// `linguist-vendored`, `linguist-generated`, `linguist-documentation` and
// `binary`. Within a file the last matching line wins, as in git.
class AttributeRules {
 public:
  void add_lines(std::string_view content, const std::string& base);
  bool empty() const { return empty_; }
  // Fills the states `path` (a file) has no verdict for yet: apply the
  // deepest directory's rules first, so they win over their parents'.
  void apply(std::string_view path, AttributeStates& states) const;

 private:
  // One rule list per provenance; an unset attribute is a negated pattern,
  // so the last matching line decides, as in git.
  std::array<IgnoreRules, kProvenanceCount> by_provenance_;
  bool empty_ = true;
};

// The provenance of a file, from what its path says and what the attributes
// say: an attribute that is set wins, one that is unset cancels the path's verdict.
Provenance resolve_provenance(Provenance by_path, const AttributeStates& states);

// Which set-aside files are judged anyway: `include:` entries are category
// names or gitignore-style globs.
class Inclusion {
 public:
  explicit Inclusion(const std::vector<std::string>& entries);
  bool includes(Provenance provenance, std::string_view path) const;

 private:
  std::array<bool, kProvenanceCount> categories_{};
  IgnoreRules globs_;
};

}  // namespace constable::workspace
