#include "unit/checks/check_test_support.hpp"

#include <fmt/format.h>
#include <re2/re2.h>

#include "core/text.hpp"
#include "support/test_support.hpp"

namespace constable::testing {

TestFileContext::TestFileContext(std::string path, std::string text, engine::Config config)
    : text_(std::move(text)), config_(std::move(config)) {
  file_.path = std::move(path);
  file_.absolute = file_.path;
  file_.size = text_.size();
  file_.kind = FileKind::dockerfile;
  lines_ = text::split_lines(text::strip_bom(text_));
}

const dockerfile::Dockerfile& TestFileContext::dockerfile() const {
  if (!dockerfile_) dockerfile_ = dockerfile::Dockerfile::parse(text_);
  return *dockerfile_;
}

namespace {

constitution::Clause make_clause(std::vector<std::string> path, std::string text, int line) {
  constitution::Clause clause;
  clause.section_path = std::move(path);
  clause.text = std::move(text);
  clause.line = line;
  clause.end_line = line;
  clause.kind = constitution::ClauseKind::list_item;
  clause.id = fmt::format("{}/{}", clause.section_path.empty() ? "" : clause.section_path.back(),
                          text::slugify(clause.text, 8));
  return clause;
}

// Inline markup removed: **bold**, `code`.
std::string plain(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c != '*' && c != '`') out.push_back(c);
  }
  return std::string(text::trim(out));
}

std::vector<constitution::Clause> scan_markdown(std::string_view markdown) {
  std::vector<constitution::Clause> out;
  std::vector<std::string> path;
  bool fenced = false;
  const std::vector<std::string_view> lines = text::split_lines(markdown);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string_view line = text::trim(lines[i]);
    if (line.starts_with("```")) fenced = !fenced;
    if (fenced) continue;
    if (line.starts_with('#')) {
      const std::size_t level = line.find_first_not_of('#');
      if (level == std::string_view::npos || line[level] != ' ') continue;
      path.resize(std::min(path.size(), level - 1));
      while (path.size() < level - 1) path.emplace_back();
      path.push_back(plain(line.substr(level)));
      continue;
    }
    if (line.starts_with("- ") || line.starts_with("* ")) {
      out.push_back(make_clause(path, plain(line.substr(2)), static_cast<int>(i) + 1));
    }
  }
  return out;
}

std::vector<constitution::Clause> builtin_clauses() {
  const std::vector<std::string> docker = {"Project Constitution", "Cloud-Native Deployment", "Docker Standards",
                                           "Dockerfile Requirements"};
  const std::vector<std::string> tagging = {"Project Constitution", "Cloud-Native Deployment", "Docker Standards",
                                            "Image Tagging"};
  const std::vector<std::string> secrets = {"Project Constitution", "Security and Compliance",
                                            "Security Standards", "Secrets Management"};
  return {
      make_clause(docker, "Multi-stage builds MUST be used for optimization", 204),
      make_clause(docker, "Base images MUST be from official repositories or approved internal registry", 205),
      make_clause(docker, "Image size MUST be minimized (Alpine Linux preferred for production)", 206),
      make_clause(docker, "Non-root user MUST be specified", 207),
      make_clause(docker, "Health checks MUST be implemented via HEALTHCHECK instruction", 208),
      make_clause(docker, "Build arguments MUST NOT contain secrets", 209),
      make_clause(tagging, "latest tag is PROHIBITED in production", 215),
      make_clause(secrets, "Secrets MUST NEVER be committed to version control", 430),
  };
}

bool matches(std::string_view pattern, std::string_view text) {
  if (pattern.empty()) return true;
  RE2::Options options;
  options.set_case_sensitive(false);
  options.set_log_errors(false);
  const RE2 re(pattern, options);
  return re.ok() && RE2::PartialMatch(text, re);
}

class CollectingEmitter final : public engine::Emitter {
 public:
  CollectingEmitter(std::string id, std::vector<Emitted>& out) : id_(std::move(id)), out_(out) {}
  void emit(engine::Emission emission) override { out_.push_back({id_, std::move(emission)}); }

 private:
  std::string id_;
  std::vector<Emitted>& out_;
};

}  // namespace

const std::vector<constitution::Clause>& reference_clauses() {
  static const std::vector<constitution::Clause> clauses = [] {
    if (const auto file = shared_file("reference-constitution.md")) {
      auto scanned = scan_markdown(read_file(*file));
      if (!scanned.empty()) return scanned;
    }
    return builtin_clauses();
  }();
  return clauses;
}

const constitution::Clause* find_clause(const engine::ClauseMatcher& matcher,
                                        const std::vector<constitution::Clause>& clauses) {
  for (const constitution::Clause& clause : clauses) {
    std::string section;
    for (const std::string& heading : clause.section_path) {
      if (!section.empty()) section += " > ";
      section += heading;
    }
    if (matches(matcher.section, section) && matches(matcher.text, clause.text)) return &clause;
  }
  return nullptr;
}

CheckRun run_checks(const std::vector<engine::CheckFactory>& factories, const engine::FileContext& file,
                    const std::vector<constitution::Clause>* clauses) {
  CheckRun run;
  const std::vector<constitution::Clause>& pool = clauses != nullptr ? *clauses : reference_clauses();
  for (const engine::CheckFactory factory : factories) {
    const std::unique_ptr<engine::Check> check = factory();
    const engine::CheckInfo& info = check->info();
    const constitution::Clause* clause = find_clause(info.clause, pool);
    if (clause == nullptr) {
      run.errors.push_back(fmt::format("{}: no clause matches its matcher", info.id));
      continue;
    }
    if (auto bound = check->bind(*clause, file.config()); !bound) {
      run.errors.push_back(fmt::format("{}: bind failed: {}", info.id, bound.error().to_string()));
      continue;
    }
    CollectingEmitter emitter(std::string(info.id), run.emitted);
    check->check(file, emitter);
  }
  return run;
}

}  // namespace constable::testing
