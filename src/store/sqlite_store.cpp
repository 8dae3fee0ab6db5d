// The SQLite backend: one file in WAL mode (readers never wait for the
// writer), a busy timeout so concurrent audits of the same store wait rather
// than fail, one transaction per repository, and synchronous=FULL so that an
// audit killed at any point loses at most the repository in progress.

#include <sqlite3.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "store/schema.hpp"
#include "store/sqlite_store.hpp"

namespace constable::store {

namespace {

constexpr int kBusyTimeoutMs = 30'000;

struct DatabaseCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StatementFinalizer {
  void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};
using Database = std::unique_ptr<sqlite3, DatabaseCloser>;

// One prepared statement: bind by position (1-based), step, read columns.
class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql) : db_(db) {
    sqlite3_stmt* raw = nullptr;
    rc_ = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &raw, nullptr);
    statement_.reset(raw);
  }
  bool ok() const { return rc_ == SQLITE_OK || rc_ == SQLITE_ROW || rc_ == SQLITE_DONE; }
  std::string error() const { return sqlite3_errmsg(db_); }

  Statement& bind(int index, std::string_view text) {
    if (ok())
      rc_ = sqlite3_bind_text(statement_.get(), index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& bind(int index, std::int64_t value) {
    if (ok()) rc_ = sqlite3_bind_int64(statement_.get(), index, value);
    return *this;
  }
  Statement& bind(int index, const std::optional<Date>& date) {
    if (!ok()) return *this;
    if (date) return bind(index, date->to_string());
    rc_ = sqlite3_bind_null(statement_.get(), index);
    return *this;
  }
  Statement& bind_nullable(int index, std::int64_t value) {  // 0 is NULL
    if (!ok()) return *this;
    rc_ = value == 0 ? sqlite3_bind_null(statement_.get(), index) : sqlite3_bind_int64(statement_.get(), index, value);
    return *this;
  }
  // true while there is a row; false at the end or on error (see ok()).
  bool step() {
    if (!ok()) return false;
    rc_ = sqlite3_step(statement_.get());
    return rc_ == SQLITE_ROW;
  }
  std::string text(int column) const {
    const auto* value = sqlite3_column_text(statement_.get(), column);
    return value == nullptr ? std::string()
                            : std::string(reinterpret_cast<const char*>(value),
                                          static_cast<std::size_t>(sqlite3_column_bytes(statement_.get(), column)));
  }
  std::int64_t integer(int column) const { return sqlite3_column_int64(statement_.get(), column); }
  std::optional<Date> date(int column) const {
    if (sqlite3_column_type(statement_.get(), column) == SQLITE_NULL) return std::nullopt;
    return Date::parse(text(column));
  }

 private:
  sqlite3* db_;
  std::unique_ptr<sqlite3_stmt, StatementFinalizer> statement_;
  int rc_ = SQLITE_OK;
};

class SqliteStore final : public Store {
 public:
  SqliteStore(Database db, std::string path) : db_(std::move(db)), path_(std::move(path)) {}

  Result<std::int64_t> begin_run(const Run& run) override {
    return in_transaction([&]() -> Result<std::int64_t> {
      auto id = next_id("runs");
      if (!id) return std::unexpected(id.error());
      Statement insert(db_.get(),
                       "INSERT INTO runs (id, started_at, run_date, constitution_path, constitution_version, "
                       "constitution_sha256, constable_version, finished) VALUES (?, ?, ?, ?, ?, ?, ?, 0)");
      insert.bind(1, *id)
          .bind(2, run.started_at)
          .bind(3, run.run_date.to_string())
          .bind(4, run.constitution_path)
          .bind(5, run.constitution_version)
          .bind(6, run.constitution_sha256)
          .bind(7, run.constable_version)
          .step();
      if (!insert.ok()) return failure("cannot record the run", insert);
      return *id;
    });
  }

  Result<void> finish_run(std::int64_t run) override {
    Statement update(db_.get(), "UPDATE runs SET finished = 1 WHERE id = ?");
    update.bind(1, run).step();
    if (!update.ok()) return failure("cannot finish the run", update);
    return {};
  }

  Result<std::vector<Violation>> violations_of(std::string_view repository) override {
    return select_violations(" WHERE repository = ? ORDER BY id", repository);
  }

  Result<std::vector<Violation>> all_violations() override {
    return select_violations(" ORDER BY repository, id", std::nullopt);
  }

  Result<void> record(const RepositoryRun& audited, const std::vector<Violation>& changed) override {
    return in_transaction([&]() -> Result<void> {
      Statement run(db_.get(),
                    "INSERT INTO repository_runs (run_id, repository, team, source, commit_id, error, clauses, "
                    "clauses_enforced, clauses_attested, files_checked) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
      run.bind(1, audited.run)
          .bind(2, audited.repository)
          .bind(3, audited.team)
          .bind(4, audited.source)
          .bind(5, audited.commit)
          .bind(6, audited.error)
          .bind(7, static_cast<std::int64_t>(audited.clauses))
          .bind(8, static_cast<std::int64_t>(audited.clauses_enforced))
          .bind(9, static_cast<std::int64_t>(audited.clauses_attested))
          .bind(10, static_cast<std::int64_t>(audited.files_checked))
          .step();
      if (!run.ok()) return failure(fmt::format("cannot record repository {}", audited.repository), run);
      auto next = next_id("violations");
      if (!next) return std::unexpected(next.error());
      for (const Violation& v : changed) {
        const std::int64_t id = v.id != 0 ? v.id : (*next)++;
        Statement upsert(db_.get(), v.id != 0 ? kUpdateViolation : kInsertViolation);
        bind_violation(upsert, v, id);
        upsert.step();
        if (!upsert.ok()) return failure(fmt::format("cannot record a violation of {}", audited.repository), upsert);
      }
      return {};
    });
  }

  Result<std::vector<Run>> runs() override {
    Statement select(db_.get(),
                     "SELECT id, started_at, run_date, constitution_path, constitution_version, constitution_sha256, "
                     "constable_version, finished FROM runs ORDER BY id");
    std::vector<Run> out;
    while (select.step()) {
      Run r;
      r.id = select.integer(0);
      r.started_at = select.text(1);
      r.run_date = Date::parse(select.text(2)).value_or(Date{});
      r.constitution_path = select.text(3);
      r.constitution_version = select.text(4);
      r.constitution_sha256 = select.text(5);
      r.constable_version = select.text(6);
      r.finished = select.integer(7) != 0;
      out.push_back(std::move(r));
    }
    if (!select.ok()) return failure("cannot read the runs", select);
    return out;
  }

  Result<std::vector<RepositoryRun>> repository_runs() override {
    Statement select(db_.get(),
                     "SELECT run_id, repository, team, source, commit_id, error, clauses, clauses_enforced, "
                     "clauses_attested, files_checked FROM repository_runs ORDER BY run_id, repository");
    std::vector<RepositoryRun> out;
    while (select.step()) {
      RepositoryRun r;
      r.run = select.integer(0);
      r.repository = select.text(1);
      r.team = select.text(2);
      r.source = select.text(3);
      r.commit = select.text(4);
      r.error = select.text(5);
      r.clauses = static_cast<std::size_t>(select.integer(6));
      r.clauses_enforced = static_cast<std::size_t>(select.integer(7));
      r.clauses_attested = static_cast<std::size_t>(select.integer(8));
      r.files_checked = static_cast<std::size_t>(select.integer(9));
      out.push_back(std::move(r));
    }
    if (!select.ok()) return failure("cannot read the repositories' runs", select);
    return out;
  }

  std::string describe() const override { return "sqlite://" + path_; }

  Result<void> migrate() {
    if (auto ok = execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"); !ok) return ok;
    Statement current(db_.get(), "SELECT MAX(version) FROM schema_version");
    int version = 0;
    if (current.step()) version = static_cast<int>(current.integer(0));
    if (!current.ok()) return failure("cannot read the schema version", current);
    const int newest = kMigrations.back().version;
    if (version > newest)
      return fail(
          fmt::format("the store's schema is version {}, newer than this constable knows ({}): upgrade constable",
                      version, newest),
          path_);
    for (const Migration& migration : kMigrations) {
      if (migration.version <= version) continue;
      auto applied = in_transaction([&]() -> Result<void> {
        if (auto ok = execute(migration.sql); !ok) return ok;
        return execute(fmt::format("INSERT INTO schema_version (version) VALUES ({})", migration.version));
      });
      if (!applied) return applied;
    }
    return {};
  }

 private:
  static constexpr const char* kInsertViolation =
      "INSERT INTO violations (id, repository, check_id, clause_id, fingerprint, severity, path, line, message, "
      "first_seen_run, first_seen_commit, first_seen, last_seen_run, transition_until, due, status, fixed_run, "
      "fixed_commit, fixed_on, reopened, waiver_owner, waiver_expires) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)";
  static constexpr const char* kUpdateViolation =
      "UPDATE violations SET repository = ?2, check_id = ?3, clause_id = ?4, fingerprint = ?5, severity = ?6, "
      "path = ?7, line = ?8, message = ?9, first_seen_run = ?10, first_seen_commit = ?11, first_seen = ?12, "
      "last_seen_run = ?13, transition_until = ?14, due = ?15, status = ?16, fixed_run = ?17, fixed_commit = ?18, "
      "fixed_on = ?19, reopened = ?20, waiver_owner = ?21, waiver_expires = ?22 WHERE id = ?1";

  static void bind_violation(Statement& s, const Violation& v, std::int64_t id) {
    s.bind(1, id)
        .bind(2, v.repository)
        .bind(3, v.check_id)
        .bind(4, v.clause_id)
        .bind(5, v.fingerprint)
        .bind(6, to_string(v.severity))
        .bind(7, v.path)
        .bind(8, static_cast<std::int64_t>(v.line))
        .bind(9, v.message)
        .bind(10, v.first_seen_run)
        .bind(11, v.first_seen_commit)
        .bind(12, v.first_seen.to_string())
        .bind(13, v.last_seen_run)
        .bind(14, v.transition_until)
        .bind(15, v.due.to_string())
        .bind(16, to_string(v.status))
        .bind_nullable(17, v.fixed_run)
        .bind(18, v.fixed_commit)
        .bind(19, v.fixed_on)
        .bind(20, static_cast<std::int64_t>(v.reopened))
        .bind(21, v.waiver_owner)
        .bind(22, v.waiver_expires);
  }

  Result<std::vector<Violation>> select_violations(std::string_view where, std::optional<std::string_view> repository) {
    Statement select(db_.get(), fmt::format("SELECT {} FROM violations{}", kViolationColumns, where));
    if (repository) select.bind(1, *repository);
    std::vector<Violation> out;
    while (select.step()) {
      Violation v;
      v.id = select.integer(0);
      v.repository = select.text(1);
      v.check_id = select.text(2);
      v.clause_id = select.text(3);
      v.fingerprint = select.text(4);
      v.severity = parse_severity(select.text(5)).value_or(Severity::medium);
      v.path = select.text(6);
      v.line = static_cast<int>(select.integer(7));
      v.message = select.text(8);
      v.first_seen_run = select.integer(9);
      v.first_seen_commit = select.text(10);
      v.first_seen = select.date(11).value_or(Date{});
      v.last_seen_run = select.integer(12);
      v.transition_until = select.date(13);
      v.due = select.date(14).value_or(Date{});
      v.status = parse_status(select.text(15)).value_or(Status::open);
      v.fixed_run = select.integer(16);
      v.fixed_commit = select.text(17);
      v.fixed_on = select.date(18);
      v.reopened = static_cast<int>(select.integer(19));
      v.waiver_owner = select.text(20);
      v.waiver_expires = select.date(21);
      out.push_back(std::move(v));
    }
    if (!select.ok()) return failure("cannot read the violations", select);
    return out;
  }

  Result<std::int64_t> next_id(std::string_view table) {
    Statement select(db_.get(), fmt::format("SELECT COALESCE(MAX(id), 0) + 1 FROM {}", table));
    if (!select.step()) return failure(fmt::format("cannot number a new row of {}", table), select);
    return select.integer(0);
  }

  Result<void> execute(std::string_view sql) {
    char* message = nullptr;
    const std::string statements(sql);
    if (sqlite3_exec(db_.get(), statements.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
      std::string why = message != nullptr ? message : sqlite3_errmsg(db_.get());
      sqlite3_free(message);
      return fail(why, path_);
    }
    return {};
  }

  // BEGIN IMMEDIATE takes the write lock at once, so two audits writing the
  // same store queue on the busy timeout instead of failing mid-way.
  template <typename F>
  auto in_transaction(F&& body) -> decltype(body()) {
    if (auto ok = execute("BEGIN IMMEDIATE"); !ok) return std::unexpected(ok.error());
    auto result = body();
    if (!result) {
      (void)execute("ROLLBACK");
      return result;
    }
    if (auto ok = execute("COMMIT"); !ok) {
      (void)execute("ROLLBACK");
      return std::unexpected(ok.error());
    }
    return result;
  }

  std::unexpected<Error> failure(std::string_view what, const Statement& statement) const {
    return fail(fmt::format("{}: {}", what, statement.error()), path_);
  }

  Database db_;
  std::string path_;
};

}  // namespace

Result<std::unique_ptr<Store>> open_sqlite(const std::filesystem::path& file) {
  std::error_code ec;
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ec);
  sqlite3* raw = nullptr;
  const int rc =
      sqlite3_open_v2(file.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
  Database db(raw);
  if (rc != SQLITE_OK)
    return fail(fmt::format("cannot open the store: {}", raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)),
                file.string());
  sqlite3_busy_timeout(db.get(), kBusyTimeoutMs);
  for (const char* pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON"}) {
    if (sqlite3_exec(db.get(), pragma, nullptr, nullptr, nullptr) != SQLITE_OK)
      return fail(fmt::format("cannot set up the store ({}): {}", pragma, sqlite3_errmsg(db.get())), file.string());
  }
  auto store = std::make_unique<SqliteStore>(std::move(db), file.string());
  if (auto migrated = store->migrate(); !migrated) return std::unexpected(migrated.error());
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace constable::store
