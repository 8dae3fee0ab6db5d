// database/neon-project-settings: "Point-in-time recovery (PITR) MUST be
// enabled (minimum 7 days)" and its sibling "Autoscaling MUST be enabled with
// appropriate min/max compute units", as Neon projects declared in Terraform
// (the neon provider's neon_project and neon_endpoint resources) set them.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <re2/re2.h>

#include "checks/database/database_checks.hpp"
#include "constitution/parameters.hpp"
#include "core/text.hpp"

namespace constable::checks::database {

namespace {
namespace neon_project_settings_check {

constexpr engine::CheckInfo kInfo{
    .id = "database/neon-project-settings",
    .domain = "database",
    .nature = Nature::data_loss,
    .summary = "Keep a Neon project's history for point-in-time recovery, and let its computes autoscale",
    .rationale =
        "Neon restores a branch to any moment of its history window: `history_retention_seconds` below the "
        "constitution's minimum means a mistake noticed after the window cannot be undone. A compute whose "
        "autoscaling minimum and maximum are equal has a fixed size: it cannot absorb a peak nor shrink when "
        "idle. Settings the Terraform code leaves to Neon's plan defaults are not judged.",
    .remediation =
        "Set `history_retention_seconds` to at least the minimum (604800 for 7 days) on the neon_project, and "
        "give its computes a range: `autoscaling_limit_min_cu = 0.25`, `autoscaling_limit_max_cu = 4` in "
        "`default_endpoint_settings` or on the neon_endpoint.",
    .bad_example =
        "resource \"neon_project\" \"shop\" {\n  name                      = \"shop\"\n"
        "  history_retention_seconds = 86400\n}\n",
    .good_example =
        "resource \"neon_project\" \"shop\" {\n  name                      = \"shop\"\n"
        "  history_retention_seconds = 604800\n  default_endpoint_settings {\n"
        "    autoscaling_limit_min_cu = 0.25\n    autoscaling_limit_max_cu = 4\n  }\n}\n",
    .parameters = "the shortest history window, from the clause (\"minimum 7 days\")",
    .clause = {.section = "neon", .text = "point-in-time|pitr"},
    .file_kind = FileKind::other,
    .stack = "",  // a neon_project resource is recognised by itself
    .scope = engine::Scope::every_text_file,
};

struct Block {
  std::string_view type;
  std::string_view name;
  std::size_t begin = 0;  // offset of `resource`
  std::size_t end = 0;    // one past the closing brace
};

// The neon_project and neon_endpoint resources of a Terraform file, by
// brace depth (strings and comments skipped).
std::vector<Block> neon_resources(std::string_view hcl) {
  static const RE2 header(R"re(resource\s+"(neon_project|neon_endpoint)"\s+"([^"]+)"\s*\{)re");
  std::vector<Block> blocks;
  re2::StringPiece input(hcl.data(), hcl.size());
  re2::StringPiece type;
  re2::StringPiece name;
  while (RE2::FindAndConsume(&input, header, &type, &name)) {
    const auto open = static_cast<std::size_t>(input.data() - hcl.data());
    int depth = 1;
    std::size_t i = open;
    for (; i < hcl.size() && depth > 0; ++i) {
      const char c = hcl[i];
      if (c == '"') {
        for (++i; i < hcl.size() && hcl[i] != '"'; ++i)
          if (hcl[i] == '\\') ++i;
      } else if (c == '#' || (c == '/' && i + 1 < hcl.size() && hcl[i + 1] == '/')) {
        while (i < hcl.size() && hcl[i] != '\n') ++i;
      } else if (c == '{') {
        ++depth;
      } else if (c == '}') {
        --depth;
      }
    }
    const auto begin = static_cast<std::size_t>(type.data() - hcl.data());
    blocks.push_back({std::string_view(type.data(), type.size()), std::string_view(name.data(), name.size()),
                      hcl.rfind("resource", begin), i});
  }
  return blocks;
}

struct Setting {
  double value = 0;
  std::size_t offset = 0;
};

std::optional<Setting> number_setting(std::string_view block, std::size_t block_offset, std::string_view key) {
  const RE2 pattern(fmt::format(R"re((?m)^\s*{}\s*=\s*([0-9]+(?:\.[0-9]+)?)\s*(?:#.*|//.*)?$)re", key));
  re2::StringPiece input(block.data(), block.size());
  re2::StringPiece value;
  if (!RE2::PartialMatch(input, pattern, &value)) return std::nullopt;
  return Setting{std::stod(std::string(value.data(), value.size())),
                 block_offset + static_cast<std::size_t>(value.data() - block.data())};
}

int line_at(std::string_view text, std::size_t offset) {
  int line = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) line += text[i] == '\n' ? 1 : 0;
  return line;
}

class NeonProjectSettingsCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  Result<void> bind(const constitution::Clause& clause, const engine::Config&) override {
    const auto window = constitution::capture_duration(clause.text);
    if (!window || window->count() <= 0)
      return fail("the clause gives no history window, e.g. \"PITR MUST be enabled (minimum 7 days)\"");
    minimum_ = std::chrono::duration_cast<std::chrono::seconds>(*window);
    return {};
  }

  Result<void> bind_section(const std::vector<const constitution::Clause*>& section) override {
    static const RE2 autoscaling(R"((?i)autoscal)");
    autoscaling_ = nullptr;
    for (const constitution::Clause* clause : section)
      if (RE2::PartialMatch(clause->text, autoscaling)) autoscaling_ = clause;
    return {};
  }

  std::vector<const constitution::Clause*> also_enforced() const override {
    if (autoscaling_ == nullptr) return {};
    return {autoscaling_};
  }

  std::string bound_parameters() const override {
    return fmt::format("history retention at least {}s ({} days){}", minimum_.count(), minimum_.count() / 86400,
                       autoscaling_ ? "; computes autoscale (minimum below maximum)" : "");
  }

  bool judges_path(std::string_view path) const override { return path.ends_with(".tf"); }

  void check(const engine::FileContext& file, engine::Emitter& out) const override {
    if (!judges_path(file.file().path) || !text::contains(file.text(), "neon_")) return;
    const std::string_view hcl = file.text();
    for (const Block& block : neon_resources(hcl)) {
      const std::string_view body = hcl.substr(block.begin, block.end - block.begin);
      const std::string object = fmt::format("{}.{}", block.type, block.name);
      if (block.type == "neon_project")
        if (const auto retention = number_setting(body, block.begin, "history_retention_seconds");
            retention && retention->value < static_cast<double>(minimum_.count())) {
          const int line = line_at(hcl, retention->offset);
          out.emit({.range = SourceRange::at_line(line),
                    .message = fmt::format("{} keeps {} seconds of history for point-in-time recovery, less than "
                                           "the constitution's {} seconds ({} days)",
                                           object, retention->value, minimum_.count(), minimum_.count() / 86400),
                    .anchor = object + ".history_retention_seconds"});
        }
      if (autoscaling_ == nullptr) continue;
      const auto low = number_setting(body, block.begin, "autoscaling_limit_min_cu");
      const auto high = number_setting(body, block.begin, "autoscaling_limit_max_cu");
      if (low && high && low->value >= high->value) {
        const int line = line_at(hcl, high->offset);
        out.emit({.range = SourceRange::at_line(line),
                  .message = fmt::format("{} fixes its compute at {} CU (autoscaling minimum {} and maximum {}): "
                                         "it does not autoscale",
                                         object, high->value, low->value, high->value),
                  .anchor = object + ".autoscaling",
                  .clause = autoscaling_});
      }
    }
  }

 private:
  std::chrono::seconds minimum_{7 * 86400};
  const constitution::Clause* autoscaling_ = nullptr;
};

}  // namespace neon_project_settings_check
}  // namespace

std::unique_ptr<engine::Check> make_neon_project_settings_check() {
  return engine::make_check<neon_project_settings_check::NeonProjectSettingsCheck>();
}

}  // namespace constable::checks::database
