#include "checks/docs/operational_docs.hpp"

#include <fmt/format.h>
#include <re2/re2.h>

#include "checks/docs/docs_support.hpp"
#include "core/text.hpp"

namespace constable::checks::docs {

namespace {

bool is_document(std::string_view lower_path) {
  return lower_path.ends_with(".md") || lower_path.ends_with(".markdown") || lower_path.ends_with(".rst") ||
         lower_path.ends_with(".adoc") || lower_path.ends_with(".txt");
}

class OperationalDocCheck final : public engine::Check {
 public:
  OperationalDocCheck(const engine::CheckInfo& info, OperationalTopic topic)
      : info_(info), topic_(topic), path_(topic.path_pattern), heading_(topic.heading_pattern) {}

  const engine::CheckInfo& info() const override { return info_; }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    const auto& workspace = repo.workspace();
    const auto& stack = workspace.stack;
    if (!stack.has("docker") && !stack.has("kubernetes") && !stack.has("helm") && !stack.has("terraform")) return;
    for (const auto& file : workspace.files) {
      const std::string lower = text::to_lower(file.path);
      if (is_document(lower) && RE2::PartialMatch(lower, path_)) return;
    }
    for (const auto& file : workspace.files) {
      if (file.kind != FileKind::markdown) continue;
      for (const Heading& heading : headings(read_file(repo, file)))
        if (RE2::PartialMatch(text::to_lower(heading.text), heading_)) return;
    }
    emit_at(out, std::string(topic_.expected_path), 0,
            fmt::format("the repository deploys services but has no {} document", topic_.name));
  }

 private:
  const engine::CheckInfo& info_;
  OperationalTopic topic_;
  RE2 path_;
  RE2 heading_;
};

}  // namespace

std::unique_ptr<engine::Check> make_operational_doc_check(const engine::CheckInfo& info, OperationalTopic topic) {
  return std::make_unique<OperationalDocCheck>(info, topic);
}

}  // namespace constable::checks::docs
