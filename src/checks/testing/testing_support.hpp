#pragma once
// What the testing checks share: reading a repository's files once, finding
// a brace-delimited block of a JavaScript or JSON configuration, and turning
// offsets into line numbers.

#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "core/literals.hpp"
#include "engine/check.hpp"

namespace constable::checks::testing {

// The file's text (BOM stripped), read once per run and shared with every
// other check; "" when unreadable.
std::string_view read_file(const engine::RepositoryContext& repo, const workspace::File& file);

// Which of the words that mark k6, Locust and Artillery files `file` holds:
// one pass over it, shared by the load-test checks, which each looked
// through every script and YAML file for their own.
text::Literals::Found load_test_signs(const engine::RepositoryContext& repo, const workspace::File& file);

// The lower-case file name of `path`.
std::string lower_name(std::string_view path);

// The `{...}` block that opens at the first '{' at or after `from` in
// `source`, braces inside string literals and comments skipped; nullopt when
// there is none or it never closes. The offset of its '{' is `*opening`.
std::optional<std::string_view> brace_block(std::string_view source, std::size_t from, std::size_t* opening = nullptr);

// Whether a k6 script only drives a browser (k6/browser) and sends no
// protocol load of its own (k6/http, gRPC, WebSockets): an end-to-end test,
// not a load test.
bool browser_only(std::string_view k6_script);

// Directories holding a Dockerfile the project ships (not a dev container or
// a test image): a k6 or Locust script there is a traffic generator packaged
// as a service (otel-demo's load-generator), not a test.
std::set<std::string, std::less<>> image_directories(const workspace::Workspace& workspace);

// The 1-based line of byte `offset` in `source`.
int line_of(std::string_view source, std::size_t offset);

// Emits a finding at `path`:`line` (0: the whole file).
inline void emit_at(engine::Emitter& out, std::string path, int line, std::string message) {
  out.report_at(std::move(path), line, std::move(message));
}

}  // namespace constable::checks::testing
