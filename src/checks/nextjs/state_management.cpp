// nextjs/state-management: the section's choices of library hold: TanStack
// Query (at the clause's major version or later) for server state, Zustand
// for global client state, nuqs for URL state and React Hook Form with Zod
// for forms. Bound to the server-state clause; the sibling clauses are read
// in bind_section() and a competing dependency in the project's
// package.json breaks the one naming its concern.

#include <charconv>
#include <span>

#include <fmt/format.h>
#include <re2/re2.h>

#include "checks/nextjs/nextjs_checks.hpp"
#include "checks/nextjs/nextjs_support.hpp"
#include "core/text.hpp"

namespace constable::checks::nextjs {

namespace {
namespace state_management_check {

constexpr engine::CheckInfo kInfo{
    .id = "nextjs/state-management",
    .domain = "nextjs",
    .nature = Nature::maintainability,
    .summary = "Use the chosen state libraries: TanStack Query, Zustand, nuqs, React Hook Form with Zod",
    .rationale = "Two libraries for one concern means two caches, two mental models and two upgrade paths. "
                 "A project's package.json is judged against each State Management clause the constitution "
                 "has: server state (swr, the pre-v4 react-query package, or @tanstack/react-query below the "
                 "clause's major version), global client state (redux, @reduxjs/toolkit, mobx, recoil, jotai, "
                 "valtio, easy-peasy), URL state (use-query-params, next-query-params) and forms (formik, "
                 "react-final-form, @tanstack/react-form, and yup or joi instead of Zod).",
    .remediation = "Migrate the concern to the chosen library (@tanstack/react-query, zustand, nuqs, "
                   "react-hook-form with zod and @hookform/resolvers) and remove the competing dependency.",
    .bad_example = "package.json:\n{ \"dependencies\": { \"next\": \"15.0.0\", \"swr\": \"^2.2.0\" } }\n",
    .good_example = "package.json:\n{ \"dependencies\": { \"next\": \"15.0.0\", \"@tanstack/react-query\": \"^5.59.0\" } }\n",
    .parameters = "the minimum TanStack Query major version (\"v5+\")",
    .clause = {.section = "next\\.?js.*state management", .text = "server state|tanstack|react query"},
    .file_kind = FileKind::other,
    .stack = "nextjs",
    .scope = engine::Scope::repository,
};

struct Competitor {
  std::string_view package;
  std::string_view choice;  // what the clause chose instead
};

constexpr Competitor kServerState[] = {{"swr", "TanStack Query"}, {"react-query", "TanStack Query (@tanstack/react-query)"}};
constexpr Competitor kClientState[] = {
    {"redux", "Zustand"}, {"@reduxjs/toolkit", "Zustand"}, {"react-redux", "Zustand"}, {"mobx", "Zustand"},
    {"mobx-react", "Zustand"}, {"mobx-react-lite", "Zustand"}, {"mobx-state-tree", "Zustand"},
    {"recoil", "Zustand"}, {"jotai", "Zustand"}, {"valtio", "Zustand"}, {"easy-peasy", "Zustand"}};
constexpr Competitor kUrlState[] = {{"use-query-params", "nuqs"}, {"next-query-params", "nuqs"}};
constexpr Competitor kForms[] = {{"formik", "React Hook Form"}, {"react-final-form", "React Hook Form"},
                                 {"final-form", "React Hook Form"}, {"@tanstack/react-form", "React Hook Form"},
                                 {"yup", "Zod"}, {"joi", "Zod"}};

// The major version a range starts from ("^4.2.0" -> 4), nullopt for tags,
// workspace and catalog references.
std::optional<int> major_version(std::string_view range) {
  while (!range.empty() && (range.front() == '^' || range.front() == '~' || range.front() == '=' ||
                            range.front() == '>' || range.front() == 'v' || range.front() == ' '))
    range.remove_prefix(1);
  int major = 0;
  const auto [end, error] = std::from_chars(range.data(), range.data() + range.size(), major);
  if (error != std::errc() || end == range.data()) return std::nullopt;
  return major;
}

class StateManagementCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  Result<void> bind(const constitution::Clause& clause, const engine::Config&) override {
    static const RE2 kVersion(R"((?i)\bv(\d+)\s*\+?)");
    int version = 0;
    minimum_major_ = RE2::PartialMatch(clause.text, kVersion, &version) ? version : 0;
    return {};
  }

  Result<void> bind_section(const std::vector<const constitution::Clause*>& section) override {
    client_ = url_ = forms_ = nullptr;
    for (const constitution::Clause* clause : section) {
      const std::string& text = clause->text;
      if (!client_ && text::icontains(text, "zustand")) client_ = clause;
      if (!url_ && text::icontains(text, "nuqs")) url_ = clause;
      if (!forms_ && text::icontains(text, "react hook form")) forms_ = clause;
    }
    return {};
  }

  std::vector<const constitution::Clause*> also_enforced() const override {
    std::vector<const constitution::Clause*> out;
    for (const constitution::Clause* clause : {client_, url_, forms_})
      if (clause != nullptr) out.push_back(clause);
    return out;
  }

  std::string bound_parameters() const override {
    return minimum_major_ > 0 ? fmt::format("TanStack Query v{}+", minimum_major_) : "TanStack Query, any version";
  }

  void check_repository(const engine::RepositoryContext& repository, engine::Emitter& out) const override {
    for (const Project& project : next_projects(repository)) {
      const std::string* content = repository.text(*project.package_json);
      if (content == nullptr) continue;
      const auto report = [&](std::string_view package, std::string message, const constitution::Clause* clause) {
        const int line = line_matching(*content, fmt::format(R"("{}"\s*:)", RE2::QuoteMeta(package)));
        out.emit({.range = SourceRange::at_line(std::max(1, line)), .message = std::move(message),
                  .path_override = project.package_json->path, .clause = clause});
      };
      const auto competing = [&](std::span<const Competitor> competitors, std::string_view concern,
                                 const constitution::Clause* clause) {
        for (const Competitor& competitor : competitors)
          if (project.dependency(competitor.package))
            report(competitor.package,
                   fmt::format("{} competes with {}, the constitution's choice for {}", competitor.package,
                               competitor.choice, concern),
                   clause);
      };
      competing(kServerState, "server state", nullptr);
      if (const auto range = project.dependency("@tanstack/react-query"); range && minimum_major_ > 0)
        if (const auto major = major_version(*range); major && *major < minimum_major_)
          report("@tanstack/react-query",
                 fmt::format("@tanstack/react-query {} is below v{}", *range, minimum_major_), nullptr);
      if (client_) competing(kClientState, "global client state", client_);
      if (url_) competing(kUrlState, "URL state", url_);
      if (forms_) competing(kForms, "forms", forms_);
    }
  }

 private:
  int minimum_major_ = 0;
  const constitution::Clause* client_ = nullptr;
  const constitution::Clause* url_ = nullptr;
  const constitution::Clause* forms_ = nullptr;
};

}  // namespace state_management_check
}  // namespace

std::unique_ptr<engine::Check> make_state_management_check() {
  return engine::make_check<state_management_check::StateManagementCheck>();
}

}  // namespace constable::checks::nextjs
