// nextjs/bundle-budget: bundle size is monitored against a budget no larger
// than the clause's ("route-level chunks < 200KB gzipped"): size-limit,
// bundlewatch or nextjs-bundle-analysis with their limits. A bundle analyzer
// without a budget only draws a picture, so it does not count.

#include <fmt/format.h>
#include <re2/re2.h>

#include "checks/nextjs/nextjs_checks.hpp"
#include "checks/nextjs/nextjs_support.hpp"
#include "core/text.hpp"

namespace constable::checks::nextjs {

namespace {
namespace bundle_budget_check {

constexpr engine::CheckInfo kInfo{
    .id = "nextjs/bundle-budget",
    .domain = "nextjs",
    .nature = Nature::reliability,
    .summary = "Monitor bundle size with a budget no larger than the clause's",
    .rationale = "JavaScript size is the cost every visitor pays before a page becomes interactive, and it "
                 "grows one dependency at a time; only a budget checked on every change stops it. Recognised: "
                 "size-limit (a \"size-limit\" key in package.json or a .size-limit.* file, each entry's "
                 "`limit`), bundlewatch (a \"bundlewatch\" key or bundlewatch.config.*, each `maxSize`) and "
                 "nextjs-bundle-analysis (package.json's nextBundleAnalysis.budget, in bytes). Every budget "
                 "must be at most the clause's size.",
    .remediation = "Add size-limit with an entry per route chunk, e.g. \"size-limit\": [{ \"path\": "
                   "\".next/static/chunks/**/*.js\", \"limit\": \"200 KB\", \"gzip\": true }], and run it in CI.",
    .bad_example = "package.json:\n{ \"devDependencies\": { \"@next/bundle-analyzer\": \"^15.0.0\" } }\n",
    .good_example = "package.json:\n{ \"size-limit\": [{ \"path\": \".next/static/chunks/**/*.js\", \"limit\": "
                    "\"200 KB\" }] }\n",
    .parameters = "the largest budget (\"200KB\"), in bytes",
    .clause = {.section = "next\\.?js", .text = "bundle size"},
    .file_kind = FileKind::other,
    .stack = "nextjs",
    .scope = engine::Scope::repository,
};

// "200 KB", "200kB", "0.2 MB", "204800" (bytes) -> bytes; nullopt when unreadable.
std::optional<double> size_in_bytes(std::string_view text) {
  static const RE2 kSize(R"(^\s*(\d+(?:\.\d+)?)\s*([kKmM]i?[bB]|[bB]|)\s*$)");
  std::string number, unit;
  if (!RE2::FullMatch(text, kSize, &number, &unit)) return std::nullopt;
  double value = std::stod(number);
  const std::string lower = text::to_lower(unit);
  if (lower.starts_with("k")) value *= 1024;
  if (lower.starts_with("m")) value *= 1024 * 1024;
  return value;
}

struct Budget {
  double bytes;
  std::string text;
  std::string path;
  int line;
};

class BundleBudgetCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  Result<void> bind(const constitution::Clause& clause, const engine::Config&) override {
    static const RE2 kBudget(R"((?i)(\d+(?:\.\d+)?)\s*(kb|kib|mb|mib)\b)");
    std::string number, unit;
    if (!RE2::PartialMatch(clause.text, kBudget, &number, &unit))
      return fail(fmt::format("the bundle-size clause states no size such as \"200KB\": \"{}\"", clause.text));
    budget_text_ = number + unit;
    budget_ = *size_in_bytes(number + unit);
    return {};
  }

  std::string bound_parameters() const override { return fmt::format("budget {} ({:.0f} bytes)", budget_text_, budget_); }

  void check_repository(const engine::RepositoryContext& repository, engine::Emitter& out) const override {
    for (const Project& project : next_projects(repository)) {
      std::vector<Budget> budgets;
      bool monitored = false;
      const std::string* package_text = repository.text(*project.package_json);
      if (package_text == nullptr) continue;
      const auto add = [&](const std::string& value, const std::string& path, std::string_view text) {
        monitored = true;
        if (const auto bytes = size_in_bytes(value))
          budgets.push_back({*bytes, value, path,
                             std::max(1, line_matching(text, fmt::format(R"re((limit|maxSize|budget)"?\s*:\s*["']?{})re",
                                                                         RE2::QuoteMeta(value))))});
      };
      for (const char* key : {"size-limit", "bundlewatch"}) {
        const auto it = project.package.find(key);
        if (it == project.package.end()) continue;
        const nlohmann::json& entries = it->is_object() ? it->value("files", nlohmann::json::array()) : *it;
        if (!entries.is_array()) continue;
        for (const auto& entry : entries)
          for (const char* field : {"limit", "maxSize"})
            if (entry.is_object() && entry.contains(field) && entry.at(field).is_string())
              add(entry.at(field).get<std::string>(), project.package_json->path, *package_text);
      }
      if (const auto it = project.package.find("nextBundleAnalysis"); it != project.package.end() && it->is_object())
        if (const auto budget = it->find("budget"); budget != it->end() && budget->is_number())
          add(fmt::format("{}", budget->get<double>()), project.package_json->path, *package_text);
      // Config files of their own: limits read from their text, whatever the format.
      static const RE2 kLimit(R"re((?:limit|maxSize)["']?\s*:\s*["']([^"']+)["'])re");
      for (const workspace::File* file : project.files) {
        const std::string_view name = project.relative(file->path);
        if (!name.starts_with(".size-limit") && !name.starts_with("bundlewatch.config")) continue;
        const std::string* content = repository.text(*file);
        if (content == nullptr) continue;
        monitored = true;
        re2::StringPiece input(*content);
        std::string value;
        while (RE2::FindAndConsume(&input, kLimit, &value)) add(value, file->path, *content);
      }
      if (!monitored) {
        const bool analyzer = project.dependency("@next/bundle-analyzer").has_value();
        const int line = line_matching(*package_text, analyzer ? R"("@next/bundle-analyzer"\s*:)" : R"("next"\s*:)");
        out.emit({.range = SourceRange::at_line(std::max(1, line)),
                  .message = analyzer ? fmt::format("@next/bundle-analyzer draws the bundle but sets no budget; add "
                                                    "size-limit or bundlewatch with a limit of at most {}",
                                                    budget_text_)
                                      : fmt::format("bundle size is not monitored: no size-limit, bundlewatch or "
                                                    "nextjs-bundle-analysis budget of at most {}",
                                                    budget_text_),
                  .path_override = project.package_json->path});
        continue;
      }
      for (const Budget& budget : budgets)
        if (budget.bytes > budget_)
          out.emit({.range = SourceRange::at_line(budget.line),
                    .message = fmt::format("bundle budget {} is above the constitution's {}", budget.text, budget_text_),
                    .path_override = budget.path});
    }
  }

 private:
  double budget_ = 200 * 1024;
  std::string budget_text_ = "200KB";
};

}  // namespace bundle_budget_check
}  // namespace

std::unique_ptr<engine::Check> make_bundle_budget_check() {
  return engine::make_check<bundle_budget_check::BundleBudgetCheck>();
}

}  // namespace constable::checks::nextjs
