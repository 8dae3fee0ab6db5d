#include "checks/workflow/workflow_support.hpp"

#include <array>

#include <fmt/format.h>

#include "core/text.hpp"
#include "formats/yaml/yaml.hpp"

namespace constable::checks::workflow {

namespace {

bool is_markdown(std::string_view path) {
  const std::string lower = text::to_lower(path);
  return lower.ends_with(".md") || lower.ends_with(".markdown");
}

// The direct children of `dir` ("a/b/") that are Markdown files.
bool directly_in(std::string_view path, std::string_view dir) {
  if (path.size() <= dir.size() || !text::iequals(path.substr(0, dir.size()), dir)) return false;
  return path.substr(dir.size()).find('/') == std::string_view::npos;
}

}  // namespace

PullRequestTemplates find_pull_request_templates(const workspace::Workspace& workspace) {
  PullRequestTemplates found;
  for (const auto& file : workspace.files) {
    const std::string_view path = file.path;
    if (!is_markdown(path)) continue;
    const std::string_view name = text::basename(path);
    const std::string lower_name = text::to_lower(name);
    const bool template_name = lower_name == "pull_request_template.md";
    if (template_name && (path == name || directly_in(path, ".github/") || directly_in(path, "docs/"))) {
      found.defaults.push_back(&file);
    } else if (directly_in(path, ".github/pull_request_template/")) {
      found.choices.push_back(&file);
    } else if (directly_in(path, ".gitlab/merge_request_templates/")) {
      (lower_name == "default.md" ? found.defaults : found.choices).push_back(&file);
    }
  }
  return found;
}

std::string_view hosting_service(const workspace::Workspace& workspace) {
  bool gitlab = false;
  for (const auto& file : workspace.files) {
    if (file.path.starts_with(".github/")) return "GitHub";
    gitlab = gitlab || file.path.starts_with(".gitlab/") || file.path == ".gitlab-ci.yml" ||
             file.path == ".gitlab-ci.yaml";
  }
  return gitlab ? "GitLab" : "";
}

std::string_view read_text(const engine::RepositoryContext& repo, const workspace::File& file) {
  const std::string* content = repo.text(file);
  return content != nullptr ? std::string_view(*content) : std::string_view{};
}

std::optional<long long> number_word(std::string_view word) {
  static constexpr std::array<std::string_view, 11> kWords = {"zero", "one", "two",   "three", "four", "five",
                                                              "six",  "seven", "eight", "nine",  "ten"};
  for (std::size_t i = 0; i < kWords.size(); ++i)
    if (text::iequals(word, kWords[i])) return static_cast<long long>(i);
  return std::nullopt;
}

namespace {

std::string scalar_or(const yaml::Node* node, std::string_view fallback) {
  if (node == nullptr || !node->is_scalar() || node->is_null()) return std::string(fallback);
  return std::string(node->value);
}

// A ruleset in GitHub's REST shape (the export, or probot's `rulesets:`).
std::optional<DeclaredProtection> read_ruleset(const yaml::Node& ruleset, const std::string& path) {
  if (!ruleset.is_mapping()) return std::nullopt;
  const yaml::Node* rules = ruleset.get("rules");
  if (rules == nullptr || !rules->is_sequence()) return std::nullopt;
  const std::string target = scalar_or(ruleset.get("target"), "branch");
  const std::string enforcement = scalar_or(ruleset.get("enforcement"), "active");
  // Tag and push rulesets protect no branch; disabled and evaluate-only ones enforce nothing.
  if (!text::iequals(target, "branch") || !text::iequals(enforcement, "active")) return std::nullopt;
  DeclaredProtection out{.path = path,
                         .line = ruleset.start.line,
                         .description = fmt::format("ruleset '{}' in {}", scalar_or(ruleset.get("name"), "?"), path),
                         .ruleset = true,
                         .force_push = DeclaredProtection::ForcePush::not_blocked,
                         .force_push_line = ruleset.start.line};
  for (const yaml::Node* rule : rules->items) {
    if (rule == nullptr || !rule->is_mapping()) continue;
    const std::string type = scalar_or(rule->get("type"), "");
    if (type == "non_fast_forward") {
      out.force_push = DeclaredProtection::ForcePush::blocked;
    } else if (type == "pull_request") {
      out.reviews = DeclaredProtection::Reviews::required;
      out.reviews_line = rule->start.line;
      if (const yaml::Node* count = rule->at("parameters", "required_approving_review_count"); count != nullptr) {
        out.approvals = count->as_int();
        out.reviews_line = count->start.line;
      }
    }
  }
  return out;
}

// The body of GitHub's "update branch protection" call (probot settings'
// `protection:`), whose defaults block force pushes.
DeclaredProtection read_protection_body(const yaml::Node& protection, const std::string& path, int line,
                                        std::string description) {
  DeclaredProtection out{.path = path, .line = line, .description = std::move(description)};
  if (const yaml::Entry* force = protection.find("allow_force_pushes"); force != nullptr) {
    const yaml::Node* value = force->value;
    // The API takes a boolean, or an object with `enabled` in older shapes.
    std::optional<bool> allowed = value != nullptr ? value->as_bool() : std::nullopt;
    if (value != nullptr && value->is_mapping() && value->get("enabled") != nullptr)
      allowed = value->get("enabled")->as_bool();
    if (allowed.value_or(false)) out.force_push = DeclaredProtection::ForcePush::allowed;
    out.force_push_line = force->key->start.line;
  }
  if (const yaml::Entry* reviews = protection.find("required_pull_request_reviews"); reviews != nullptr) {
    out.reviews_line = reviews->key->start.line;
    if (reviews->value == nullptr || reviews->value->is_null()) {
      out.reviews = DeclaredProtection::Reviews::not_required;
    } else if (reviews->value->is_mapping()) {
      out.reviews = DeclaredProtection::Reviews::required;
      if (const yaml::Node* count = reviews->value->get("required_approving_review_count"); count != nullptr) {
        out.approvals = count->as_int();
        out.reviews_line = count->start.line;
      }
    }
  }
  return out;
}

std::optional<DeclaredProtection> read_settings_branch(const yaml::Node& branch, const std::string& path) {
  if (!branch.is_mapping()) return std::nullopt;
  const yaml::Node* protection = branch.get("protection");
  if (protection == nullptr || !protection->is_mapping()) return std::nullopt;  // null removes protection
  return read_protection_body(*protection, path, branch.start.line,
                              fmt::format("branch '{}' in {}", scalar_or(branch.get("name"), "?"), path));
}

// A file holding the body of GitHub's "update branch protection" call, as
// kept beside scripts that apply it (.github/branch-protection/main.json).
bool is_protection_body(const yaml::Node& root) {
  if (!root.is_mapping()) return false;
  for (std::string_view key : {"required_pull_request_reviews", "allow_force_pushes", "required_status_checks",
                               "enforce_admins"})
    if (root.find(key) != nullptr) return true;
  return false;
}

bool is_settings_path(std::string_view path) { return path == ".github/settings.yml" || path == ".github/settings.yaml"; }

// Rulesets and protection bodies kept under .github/ (rulesets/main.json, branch-protection/main.json).
bool is_ruleset_path(std::string_view path) {
  if (!path.starts_with(".github/")) return false;
  const std::string lower = text::to_lower(path);
  const bool named = lower.find("ruleset") != std::string::npos || lower.find("branch-protection") != std::string::npos ||
                     lower.find("branch_protection") != std::string::npos;
  return named && (lower.ends_with(".json") || lower.ends_with(".yml") || lower.ends_with(".yaml"));
}

}  // namespace

std::vector<DeclaredProtection> declared_protections(const engine::RepositoryContext& repo) {
  std::vector<DeclaredProtection> out;
  for (const auto& file : repo.workspace().files) {
    const bool settings = is_settings_path(file.path);
    if (!settings && !is_ruleset_path(file.path)) continue;
    const yaml::Stream* stream = repo.yaml(file);
    if (stream == nullptr) continue;
    for (const auto& document : stream->documents) {
      const yaml::Node* root = document.root;
      if (root == nullptr) continue;
      if (settings && root->is_mapping()) {
        if (const yaml::Node* branches = root->get("branches"); branches != nullptr && branches->is_sequence())
          for (const yaml::Node* branch : branches->items)
            if (branch != nullptr)
              if (auto p = read_settings_branch(*branch, file.path)) out.push_back(std::move(*p));
        if (const yaml::Node* rulesets = root->get("rulesets"); rulesets != nullptr && rulesets->is_sequence())
          for (const yaml::Node* ruleset : rulesets->items)
            if (ruleset != nullptr)
              if (auto p = read_ruleset(*ruleset, file.path)) out.push_back(std::move(*p));
      } else if (!settings) {
        // An export holds one ruleset; a list of them is accepted too.
        if (root->is_sequence()) {
          for (const yaml::Node* ruleset : root->items)
            if (ruleset != nullptr)
              if (auto p = read_ruleset(*ruleset, file.path)) out.push_back(std::move(*p));
        } else if (auto p = read_ruleset(*root, file.path)) {
          out.push_back(std::move(*p));
        } else if (is_protection_body(*root)) {
          out.push_back(read_protection_body(*root, file.path, root->start.line,
                                             fmt::format("branch protection in {}", file.path)));
        }
      }
    }
  }
  return out;
}

}  // namespace constable::checks::workflow
