// database/query-timeout: "Query timeouts MUST be configured (default: 30s)".

#include <algorithm>
#include <chrono>
#include <string>
#include <string_view>

#include <fmt/format.h>
#include <re2/re2.h>

#include "checks/database/database_checks.hpp"
#include "checks/database/database_support.hpp"
#include "code/model.hpp"
#include "constitution/parameters.hpp"
#include "core/text.hpp"

namespace constable::checks::database {

namespace {
namespace query_timeout_check {

constexpr engine::CheckInfo kInfo{
    .id = "database/query-timeout",
    .domain = "database",
    .nature = Nature::reliability,
    .summary = "Give every database engine a query timeout no longer than the constitution's",
    .rationale =
        "PostgreSQL runs a statement for as long as it takes unless statement_timeout says otherwise, and "
        "asyncpg waits for it unless command_timeout is set: one runaway query holds its connection, its "
        "locks and the request that waits for it, and a few of them exhaust the pool. A timeout turns them "
        "into errors the application can handle.",
    .remediation =
        "Set the timeout on the engine: `create_engine(url, connect_args={\"options\": \"-c "
        "statement_timeout=30000\"})` for psycopg, `create_async_engine(url, connect_args={\"command_timeout\": "
        "30})` or `{\"server_settings\": {\"statement_timeout\": \"30000\"}}` for asyncpg.",
    .bad_example = "from sqlmodel import create_engine\n\nengine = create_engine(DATABASE_URL, pool_pre_ping=True)\n",
    .good_example =
        "from sqlmodel import create_engine\n\nengine = create_engine(\n    DATABASE_URL,\n    pool_pre_ping=True,\n"
        "    connect_args={\"options\": \"-c statement_timeout=30000\"},\n)\n",
    .parameters = "the longest query timeout allowed, from the clause (\"default: 30s\")",
    .clause = {.section = "(sqlmodel|database|query)", .text = "quer(y|ies).*timeouts?"},
    .file_kind = FileKind::source,
    .stack = "",  // engines are recognised by their factory, SQLModel's or SQLAlchemy's
    .scope = engine::Scope::files_of_kind,
};

// Setting names that bound how long a query runs, by driver: PostgreSQL's
// statement_timeout (psycopg options, asyncpg server_settings), asyncpg's
// command_timeout, and MySQL drivers' read timeout and max_execution_time.
constexpr std::string_view kTimeoutSettings[] = {"statement_timeout", "command_timeout", "read_timeout",
                                                 "max_execution_time", "query_timeout"};

class QueryTimeoutCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  Result<void> bind(const constitution::Clause& clause, const engine::Config&) override {
    const auto duration = constitution::capture_duration(clause.text);
    if (!duration || duration->count() <= 0)
      return fail("the clause gives no query timeout, e.g. \"Query timeouts MUST be configured (default: 30s)\"");
    limit_ = *duration;
    return {};
  }
  std::string bound_parameters() const override { return fmt::format("query timeout at most {}", describe(limit_)); }

  bool judges_path(std::string_view path) const override {
    // Operational scripts (scripts/) create engines for one-off administration, not for the application's queries.
    return is_application_python(path) && !is_migration_path(path) && !path.starts_with("scripts/") &&
           !text::contains(path, "/scripts/");
  }

  void check(const engine::FileContext& file, engine::Emitter& out) const override {
    if (!judges_path(file.file().path)) return;
    const code::Module* module = file.code();
    if (module == nullptr) return;
    for (const auto& call : module->calls) {
      if (!is_engine_factory(*module, call) || has_spread_arguments(call) || is_sqlite_engine(*module, call)) continue;
      const std::string_view source = call.node.text();
      if (const auto configured = configured_timeout(source)) {
        if (*configured == std::chrono::milliseconds::zero())
          out.report(call.range,
                     fmt::format("`{}` sets its query timeout to 0, which disables it: the constitution asks for "
                                 "at most {}",
                                 call.callee, describe(limit_)),
                     "timeout");
        else if (*configured > limit_)
          out.report(call.range,
                     fmt::format("`{}` lets a query run for {}, longer than the constitution's {}", call.callee,
                                 describe(*configured), describe(limit_)),
                     "timeout");
        continue;
      }
      // A timeout named in the call with a value from elsewhere, or set in
      // the same file outside any engine call (a connect event's SET,
      // connect_args built apart).
      if (names_timeout(source) || names_timeout_outside_engines(*module, file.text())) continue;
      out.report(call.range,
                 fmt::format("`{}` sets no query timeout (statement_timeout for psycopg, command_timeout for "
                             "asyncpg): a runaway query holds its connection without limit; the constitution asks "
                             "for at most {}",
                             call.callee, describe(limit_)),
                 "timeout");
    }
  }

 private:
  static bool names_timeout(std::string_view source) {
    for (const std::string_view setting : kTimeoutSettings)
      if (text::contains(source, setting)) return true;
    return false;
  }

  static bool names_timeout_outside_engines(const code::Module& module, std::string_view text) {
    std::string outside(text);
    for (const auto& call : module.calls)
      if (is_engine_factory(module, call) && call.node.end_byte() <= outside.size())
        std::fill(outside.begin() + call.node.start_byte(), outside.begin() + call.node.end_byte(), ' ');
    return names_timeout(outside);
  }

  // The literal timeout an engine call sets, when it sets one.
  static std::optional<std::chrono::milliseconds> configured_timeout(std::string_view source) {
    // PostgreSQL: milliseconds unless a unit follows ("30000", "30s", "1min").
    static const RE2 statement(R"re(statement_timeout["']?\s*[=:]\s*["']?(\d+)\s*(ms|s|min|h)?\b)re");
    // asyncpg's command_timeout and MySQL's read_timeout: seconds.
    static const RE2 seconds(R"re((?:command_timeout|read_timeout)["']?\s*[=:]\s*(\d+(?:\.\d+)?)\b)re");
    const re2::StringPiece input(source.data(), source.size());
    std::string value;
    std::string unit;
    if (RE2::PartialMatch(input, statement, &value, &unit)) {
      const long long n = std::stoll(value);
      const long long factor = unit == "s" ? 1000 : unit == "min" ? 60'000 : unit == "h" ? 3'600'000 : 1;
      return std::chrono::milliseconds(n * factor);
    }
    if (RE2::PartialMatch(input, seconds, &value))
      return std::chrono::milliseconds(static_cast<long long>(std::stod(value) * 1000));
    return std::nullopt;
  }

  static std::string describe(std::chrono::milliseconds duration) {
    if (duration.count() % 1000 == 0) return fmt::format("{}s", duration.count() / 1000);
    return fmt::format("{}ms", duration.count());
  }

  std::chrono::milliseconds limit_{30'000};
};

}  // namespace query_timeout_check
}  // namespace

std::unique_ptr<engine::Check> make_query_timeout_check() {
  return engine::make_check<query_timeout_check::QueryTimeoutCheck>();
}

}  // namespace constable::checks::database
