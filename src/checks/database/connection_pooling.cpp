// database/connection-pooling: "Database queries MUST use connection pooling".

#include <string>
#include <string_view>

#include <fmt/format.h>

#include "checks/database/database_checks.hpp"
#include "checks/database/database_support.hpp"
#include "code/model.hpp"
#include "core/text.hpp"

namespace constable::checks::database {

namespace {
namespace connection_pooling_check {

constexpr engine::CheckInfo kInfo{
    .id = "database/connection-pooling",
    .domain = "database",
    .nature = Nature::reliability,
    .summary = "Do not turn off the engine's connection pool unless an external pooler takes its place",
    .rationale =
        "With `poolclass=NullPool` SQLAlchemy opens a new database connection for every session and closes "
        "it afterwards: every request pays a TCP and TLS handshake and authentication, and a burst of "
        "requests opens as many server connections as it has sessions. That is only sound behind an "
        "external pooler such as PgBouncer (Neon's `-pooler` endpoint).",
    .remediation =
        "Remove `poolclass=NullPool` and size the pool (`pool_size`, `max_overflow`, `pool_pre_ping=True`), "
        "or connect through PgBouncer and say so where the engine is created.",
    .bad_example =
        "from sqlalchemy.pool import NullPool\nfrom sqlmodel import create_engine\n\n"
        "engine = create_engine(DATABASE_URL, poolclass=NullPool)\n",
    .good_example =
        "from sqlmodel import create_engine\n\nengine = create_engine(DATABASE_URL, pool_size=10, max_overflow=5, "
        "pool_pre_ping=True)\n",
    .parameters = "",
    .clause = {.section = "(performance|database|fastapi)", .text = "quer(y|ies).*connection pool"},
    .file_kind = FileKind::source,
    .stack = "",  // engines are recognised by their factory, SQLModel's or SQLAlchemy's
    .scope = engine::Scope::files_of_kind,
};

class ConnectionPoolingCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  bool judges_path(std::string_view path) const override {
    // Operational scripts (scripts/) create engines for one-off administration, not for the application's queries.
    return is_application_python(path) && !is_migration_path(path) && !path.starts_with("scripts/") &&
           !text::contains(path, "/scripts/");
  }

  void check(const engine::FileContext& file, engine::Emitter& out) const override {
    if (!judges_path(file.file().path)) return;
    const code::Module* module = file.code();
    if (module == nullptr) return;
    // NullPool is the documented setting behind PgBouncer: a file that names
    // its external pooler has one.
    if (text::icontains(file.text(), "pgbouncer") || text::icontains(file.text(), "pooler")) return;
    for (const auto& call : module->calls) {
      if (!is_engine_factory(*module, call) || is_sqlite_engine(*module, call)) continue;
      const code::Argument* poolclass = call.keyword("poolclass");
      if (poolclass == nullptr || !poolclass->text.ends_with("NullPool")) continue;
      out.report(poolclass->range,
                 fmt::format("`{}` is created with poolclass=NullPool: every session opens and closes its own "
                             "database connection, with no pool and no external pooler named in this file",
                             call.callee),
                 "poolclass");
    }
  }
};

}  // namespace connection_pooling_check
}  // namespace

std::unique_ptr<engine::Check> make_connection_pooling_check() {
  return engine::make_check<connection_pooling_check::ConnectionPoolingCheck>();
}

}  // namespace constable::checks::database
