// docs/required-documents: the project documents the constitution lists
// (ARCHITECTURE.md, CONTRIBUTING.md, CHANGELOG.md, ...) exist.

#include <fmt/format.h>
#include <re2/re2.h>

#include "checks/docs/docs_checks.hpp"
#include "checks/docs/docs_support.hpp"
#include "core/text.hpp"

namespace constable::checks::docs {

namespace {
namespace required_documents_check {

constexpr engine::CheckInfo kInfo{
    .id = "docs/required-documents",
    .domain = "docs",
    .nature = Nature::documentation,
    .summary = "Maintain the project documents the constitution lists",
    .rationale = "Design, contribution rules and history each have one agreed place, so nobody has to ask and "
                 "tools can link to them. The documents are the file names the Project Documentation list "
                 "starts its items with (ARCHITECTURE.md, CONTRIBUTING.md, CHANGELOG.md; README.md is "
                 "docs/readme-quickstart's), looked up case-insensitively at the root, in docs/, doc/ and "
                 ".github/. An empty file does not count.",
    .remediation = "Add the missing document at the repository root: ARCHITECTURE.md (system design overview), "
                   "CONTRIBUTING.md (how to build, test and propose changes), CHANGELOG.md (Keep a Changelog).",
    .bad_example = "README.md\nCHANGELOG.md\n",
    .good_example = "README.md\nARCHITECTURE.md\nCONTRIBUTING.md\nCHANGELOG.md\n",
    .parameters = "the document file names, from the section's list",
    .clause = {.section = "project documentation|documentation", .text = "architecture\\.md"},
    .file_kind = FileKind::other,
    .stack = "",
    .scope = engine::Scope::repository,
};

class RequiredDocumentsCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  Result<void> bind_section(const std::vector<const constitution::Clause*>& section) override {
    static const RE2 kFile(R"(^\s*([A-Za-z0-9_-]+\.md)\b.*)");
    documents_.clear();
    document_clauses_.clear();
    for (const constitution::Clause* clause : section) {
      std::string name;
      if (RE2::FullMatch(clause->text, kFile, &name) && !text::iequals(name, "README.md")) {
        documents_.push_back(name);
        document_clauses_.push_back(clause);
      }
    }
    if (documents_.empty()) return fail("docs/required-documents: the section names no document (NAME.md ...)");
    return {};
  }

  std::vector<const constitution::Clause*> also_enforced() const override { return document_clauses_; }

  std::string bound_parameters() const override {
    std::string out;
    for (const auto& d : documents_) out += (out.empty() ? "" : ", ") + d;
    return out;
  }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    // Each document has its own clause ("CHANGELOG.md following Keep a
    // Changelog format"): its finding cites it and its fix says what it holds.
    for (std::size_t i = 0; i < documents_.size(); ++i) {
      const std::string& name = documents_[i];
      const constitution::Clause* clause = document_clauses_[i];
      const workspace::File* file = find_document(repo.workspace(), name, true);
      std::string message;
      std::string path;
      if (file == nullptr) {
        message = fmt::format("the repository has no {}", name);
        path = name;
      } else if (text::trim(read_file(repo, *file)).empty()) {
        message = fmt::format("{} is empty", file->path);
        path = file->path;
      } else {
        continue;
      }
      out.emit({.range = SourceRange::whole_file(),
                .message = std::move(message),
                .remediation = fmt::format("Write {} at the repository root, as the constitution asks: \"{}\".", name,
                                           clause->text),
                .path_override = std::move(path),
                .clause = clause});
    }
  }

 private:
  std::vector<std::string> documents_;
  std::vector<const constitution::Clause*> document_clauses_;
};

}  // namespace required_documents_check
}  // namespace

std::unique_ptr<engine::Check> make_required_documents_check() {
  return engine::make_check<required_documents_check::RequiredDocumentsCheck>();
}

}  // namespace constable::checks::docs
