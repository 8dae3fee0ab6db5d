#pragma once
// What the documentation checks share: reading workspace files, Markdown
// headings, and where Architectural Decision Records live.

#include <string>
#include <string_view>
#include <vector>

#include "engine/check.hpp"
#include "workspace/workspace.hpp"

namespace constable::checks::docs {

struct Heading {
  int level = 0;
  std::string text{};
  int line = 0;
};

// ATX and setext headings outside fenced code blocks, in order.
std::vector<Heading> headings(std::string_view markdown);

// The file's text (BOM stripped), read once per run and shared with every
// other check (RepositoryContext::text); "" when unreadable.
std::string_view read_file(const engine::RepositoryContext& repo, const workspace::File& file);
// The workspace file at `path` (exact), or null.
const workspace::File* find_file(const workspace::Workspace& workspace, std::string_view path);
// The first file named `name` (case-insensitive) at the root, or in docs/ or .github/ when `elsewhere`.
const workspace::File* find_document(const workspace::Workspace& workspace, std::string_view name, bool elsewhere);

// ADR directories: docs/adr, doc/adr, docs/adrs, docs/decisions,
// docs/architecture/decisions, adr, adrs, decisions (at any depth for the
// docs/... forms); an ADR is a Markdown file there other than README,
// index and template files.
bool is_adr_path(std::string_view path);
// The ADR's number from its file name ("0007-use-kafka.md" -> "0007"), "" if none.
std::string adr_number(std::string_view path);

// Emits a finding at `path`:`line` (breaking `clause`, null for the bound one).
inline void emit_at(engine::Emitter& out, std::string path, int line, std::string message,
                    const constitution::Clause* clause = nullptr) {
  out.report_at(std::move(path), line, std::move(message), clause);
}

}  // namespace constable::checks::docs
