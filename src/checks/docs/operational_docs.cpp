#include "checks/docs/operational_docs.hpp"

#include <cctype>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <re2/re2.h>

#include "checks/docs/docs_support.hpp"
#include "core/text.hpp"

namespace constable::checks::docs {

namespace {
namespace operational_docs_check {

bool is_document(std::string_view lower_path) {
  return lower_path.ends_with(".md") || lower_path.ends_with(".markdown") || lower_path.ends_with(".rst") ||
         lower_path.ends_with(".adoc") || lower_path.ends_with(".txt");
}

// A constitution (CONSTITUTION.md, spec-kit's .specify/memory/constitution.md)
// demands runbooks; it is not one.
bool is_constitution(std::string_view lower_path) {
  return lower_path.find("constitution") != std::string_view::npos || lower_path.find(".specify/") != std::string_view::npos;
}

// "3.2 Runbooks:" -> "runbooks": the words of a heading, without numbering,
// emoji or trailing punctuation.
std::string heading_words(std::string_view heading) {
  std::string lower = text::to_lower(heading);
  std::size_t begin = 0, end = lower.size();
  while (begin < end && std::isalpha(static_cast<unsigned char>(lower[begin])) == 0) ++begin;
  while (end > begin && std::isalnum(static_cast<unsigned char>(lower[end - 1])) == 0) --end;
  return lower.substr(begin, end - begin);
}

// Whether the section under `heading` says anything before the next heading.
bool has_body(const std::vector<std::string_view>& lines, const std::vector<Heading>& all, std::size_t index) {
  const int first = all[index].line;  // 1-based line of the heading
  const int next = index + 1 < all.size() ? all[index + 1].line : static_cast<int>(lines.size()) + 1;
  for (int line = first + 1; line < next; ++line) {
    const auto i = static_cast<std::size_t>(line - 1);
    if (i < lines.size() && !text::trim(lines[i]).empty() && lines[i].find_first_not_of("=-") != std::string_view::npos)
      return true;
  }
  // A heading whose sub-sections hold the content: "## Runbooks" / "### Restart".
  return index + 1 < all.size() && all[index + 1].level > all[index].level;
}

// The headings of every Markdown file that may hold a topic, found once per
// run for the four topic checks (each used to read every file again).
struct DocumentHeadings {
  const workspace::File* file;
  std::vector<Heading> headings;
  std::vector<std::string> words;  // heading_words() of each heading
};

const std::vector<DocumentHeadings>& markdown_headings(const engine::RepositoryContext& repo) {
  return engine::derived<std::vector<DocumentHeadings>>(repo, "docs/markdown-headings", [&] {
    std::vector<DocumentHeadings> found;
    for (const auto& file : repo.workspace().files) {
      if (file.kind != FileKind::markdown || is_constitution(text::to_lower(file.path))) continue;
      DocumentHeadings document{&file, headings(read_file(repo, file)), {}};
      document.words.reserve(document.headings.size());
      for (const Heading& heading : document.headings) document.words.push_back(heading_words(heading.text));
      found.push_back(std::move(document));
    }
    return found;
  });
}

class OperationalDocCheck final : public engine::Check {
 public:
  OperationalDocCheck(const engine::CheckInfo& info, OperationalTopic topic)
      : info_(info), topic_(topic) {}

  const engine::CheckInfo& info() const override { return info_; }

  ReadAhead read_ahead(const workspace::Workspace&) const override {
    return {.texts = {FileKind::markdown}, .yaml = {}};
  }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    // Compiled here, not with the check: the catalog constructs every check
    // to learn its metadata, and binding again, in every run.
    const RE2 path(topic_.path_pattern);
    const RE2 heading(topic_.heading_pattern);
    const auto& workspace = repo.workspace();
    for (const auto& file : workspace.files) {
      const std::string lower = text::to_lower(file.path);
      if (is_document(lower) && !is_constitution(lower) && RE2::PartialMatch(lower, path)) return;
    }
    for (const DocumentHeadings& document : markdown_headings(repo)) {
      std::optional<std::vector<std::string_view>> lines;  // split only for a heading on the topic
      for (std::size_t i = 0; i < document.headings.size(); ++i) {
        if (!RE2::PartialMatch(document.words[i], heading)) continue;
        if (!lines) lines = text::split_lines(read_file(repo, *document.file));
        if (has_body(*lines, document.headings, i)) return;
      }
    }
    emit_at(out, std::string(topic_.expected_path), 0,
            fmt::format("the repository deploys services but has no {} document", topic_.name));
  }

 private:
  const engine::CheckInfo& info_;
  OperationalTopic topic_;
};

}  // namespace operational_docs_check
}  // namespace

std::unique_ptr<engine::Check> make_operational_doc_check(const engine::CheckInfo& info, OperationalTopic topic) {
  return std::make_unique<operational_docs_check::OperationalDocCheck>(info, topic);
}

}  // namespace constable::checks::docs
