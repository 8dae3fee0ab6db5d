// The PostgreSQL backend: one connection, every statement parameterised
// (PQexecParams; only the migrations' fixed DDL goes as plain text), one
// transaction per repository. Several audits may write one store at once
// (the pods of `--shard`): ids are assigned as in SQLite, MAX(id) + 1, so
// each writing transaction first locks the table it numbers in EXCLUSIVE
// mode, which queues writers and leaves readers alone. Migrations run under
// an advisory lock, so pods that start together migrate once. The password
// never appears in a message: the URL is shown redacted and libpq's own
// messages are scrubbed of it.

#include "store/postgres_store.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "core/text.hpp"
#include "store/libpq.hpp"
#include "store/schema.hpp"

namespace constable::store {

namespace {

// libpq's functions: loaded before the first connection opens
// (open_postgres), so every later call has them.
const LibPq& pq() { return *libpq(); }

// The advisory lock that serialises migrations: any fixed number, the same
// in every constable ("cnstbl" in ASCII).
constexpr std::int64_t kMigrationLock = 0x636e7374626c;
constexpr std::string_view kRedacted = "***";
constexpr std::size_t kPipelined = 256;  // statements sent before their results are read

struct ConnectionCloser {
  void operator()(PGconn* connection) const { pq().PQfinish(connection); }
};
struct ResultClearer {
  void operator()(PGresult* result) const { pq().PQclear(result); }
};
using Connection = std::unique_ptr<PGconn, ConnectionCloser>;
using QueryResult = std::unique_ptr<PGresult, ResultClearer>;

std::string percent_decoded(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    unsigned value = 0;
    if (text[i] == '%' && i + 2 < text.size() &&
        std::from_chars(text.data() + i + 1, text.data() + i + 3, value, 16).ptr == text.data() + i + 3) {
      out.push_back(static_cast<char>(value));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

std::string one_line(std::string_view message) {
  std::string out;
  for (const char c : message) {
    if (c == '\n' || c == '\t' || c == '\r') {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// Query parameters as libpq wants them: text, or a null pointer for NULL.
class Parameters {
 public:
  Parameters& text(std::string_view value) {
    values_.emplace_back(std::string(value));
    return *this;
  }
  Parameters& integer(std::int64_t value) { return text(std::to_string(value)); }
  Parameters& date(const std::optional<Date>& value) {
    if (value) return text(value->to_string());
    values_.emplace_back(std::nullopt);
    return *this;
  }
  Parameters& nullable(std::int64_t value) {  // 0 is NULL
    if (value != 0) return integer(value);
    values_.emplace_back(std::nullopt);
    return *this;
  }
  std::vector<const char*> pointers() const {
    std::vector<const char*> out;
    out.reserve(values_.size());
    for (const auto& v : values_) out.push_back(v ? v->c_str() : nullptr);
    return out;
  }

 private:
  std::vector<std::optional<std::string>> values_;
};

// One result's rows, read as the SQLite backend reads its columns.
class Rows {
 public:
  explicit Rows(const PGresult* result) : result_(result) {}
  int size() const { return pq().PQntuples(result_); }
  bool null(int row, int column) const { return pq().PQgetisnull(result_, row, column) != 0; }
  std::string text(int row, int column) const {
    return std::string(pq().PQgetvalue(result_, row, column),
                       static_cast<std::size_t>(pq().PQgetlength(result_, row, column)));
  }
  std::int64_t integer(int row, int column) const {
    const char* value = pq().PQgetvalue(result_, row, column);
    const auto length = static_cast<std::size_t>(pq().PQgetlength(result_, row, column));
    std::int64_t out = 0;
    std::from_chars(value, value + length, out);
    return out;
  }
  std::optional<Date> date(int row, int column) const {
    if (null(row, column)) return std::nullopt;
    return Date::parse(text(row, column));
  }

 private:
  const PGresult* result_;
};

class PostgresStore final : public Store {
 public:
  PostgresStore(Connection connection, std::string shown_url, std::vector<std::string> secrets)
      : connection_(std::move(connection)), shown_url_(std::move(shown_url)), secrets_(std::move(secrets)) {}

  Result<std::int64_t> begin_run(const Run& run) override {
    const std::lock_guard lock(mutex_);
    return in_transaction([&]() -> Result<std::int64_t> {
      auto id = next_id("runs");
      if (!id) return std::unexpected(id.error());
      auto inserted = execute(
          "INSERT INTO runs (id, started_at, run_date, constitution_path, constitution_version, "
          "constitution_sha256, constable_version, finished) VALUES ($1, $2, $3, $4, $5, $6, $7, 0)",
          Parameters()
              .integer(*id)
              .text(run.started_at)
              .text(run.run_date.to_string())
              .text(run.constitution_path)
              .text(run.constitution_version)
              .text(run.constitution_sha256)
              .text(run.constable_version),
          "cannot record the run");
      if (!inserted) return std::unexpected(inserted.error());
      return *id;
    });
  }

  Result<void> finish_run(std::int64_t run) override {
    const std::lock_guard lock(mutex_);
    auto updated =
        execute("UPDATE runs SET finished = 1 WHERE id = $1", Parameters().integer(run), "cannot finish the run");
    if (!updated) return std::unexpected(updated.error());
    return {};
  }

  Result<std::vector<Violation>> violations_of(std::string_view repository) override {
    const std::lock_guard lock(mutex_);
    return select_violations(" WHERE repository = $1 ORDER BY id", Parameters().text(repository));
  }

  Result<std::vector<Violation>> all_violations() override {
    const std::lock_guard lock(mutex_);
    // COLLATE "C": byte order, as SQLite sorts, whatever the database's locale.
    return select_violations(" ORDER BY repository COLLATE \"C\", id", Parameters());
  }

  Result<void> record(const RepositoryRun& audited, const std::vector<Violation>& changed) override {
    const std::lock_guard lock(mutex_);
    return in_transaction([&]() -> Result<void> {
      // Taken first, before the insert below takes its own locks, so every
      // writer acquires in the same order.
      if (auto locked = execute("LOCK TABLE violations IN EXCLUSIVE MODE", Parameters(),
                                "cannot lock the violations for writing");
          !locked)
        return std::unexpected(locked.error());
      auto inserted = execute(
          "INSERT INTO repository_runs (run_id, repository, team, source, commit_id, error, clauses, "
          "clauses_enforced, clauses_attested, files_checked) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
          Parameters()
              .integer(audited.run)
              .text(audited.repository)
              .text(audited.team)
              .text(audited.source)
              .text(audited.commit)
              .text(audited.error)
              .integer(static_cast<std::int64_t>(audited.clauses))
              .integer(static_cast<std::int64_t>(audited.clauses_enforced))
              .integer(static_cast<std::int64_t>(audited.clauses_attested))
              .integer(static_cast<std::int64_t>(audited.files_checked)),
          fmt::format("cannot record repository {}", audited.repository));
      if (!inserted) return std::unexpected(inserted.error());
      auto next = next_id("violations");
      if (!next) return std::unexpected(next.error());
      const std::string what = fmt::format("cannot record a violation of {}", audited.repository);
      for (std::size_t from = 0; from < changed.size(); from += kPipelined) {
        const std::size_t to = std::min(changed.size(), from + kPipelined);
        if (auto written = write_violations(changed, from, to, *next, what); !written) return written;
      }
      return {};
    });
  }

  Result<std::vector<Run>> runs() override {
    const std::lock_guard lock(mutex_);
    auto selected = execute(
        "SELECT id, started_at, run_date, constitution_path, constitution_version, constitution_sha256, "
        "constable_version, finished FROM runs ORDER BY id",
        Parameters(), "cannot read the runs");
    if (!selected) return std::unexpected(selected.error());
    const Rows rows(selected->get());
    std::vector<Run> out;
    out.reserve(static_cast<std::size_t>(rows.size()));
    for (int i = 0; i < rows.size(); ++i) {
      Run r;
      r.id = rows.integer(i, 0);
      r.started_at = rows.text(i, 1);
      r.run_date = rows.date(i, 2).value_or(Date{});
      r.constitution_path = rows.text(i, 3);
      r.constitution_version = rows.text(i, 4);
      r.constitution_sha256 = rows.text(i, 5);
      r.constable_version = rows.text(i, 6);
      r.finished = rows.integer(i, 7) != 0;
      out.push_back(std::move(r));
    }
    return out;
  }

  Result<std::vector<RepositoryRun>> repository_runs() override {
    const std::lock_guard lock(mutex_);
    auto selected = execute(
        "SELECT run_id, repository, team, source, commit_id, error, clauses, clauses_enforced, clauses_attested, "
        "files_checked FROM repository_runs ORDER BY run_id, repository COLLATE \"C\"",
        Parameters(), "cannot read the repositories' runs");
    if (!selected) return std::unexpected(selected.error());
    const Rows rows(selected->get());
    std::vector<RepositoryRun> out;
    out.reserve(static_cast<std::size_t>(rows.size()));
    for (int i = 0; i < rows.size(); ++i) {
      RepositoryRun r;
      r.run = rows.integer(i, 0);
      r.repository = rows.text(i, 1);
      r.team = rows.text(i, 2);
      r.source = rows.text(i, 3);
      r.commit = rows.text(i, 4);
      r.error = rows.text(i, 5);
      r.clauses = static_cast<std::size_t>(rows.integer(i, 6));
      r.clauses_enforced = static_cast<std::size_t>(rows.integer(i, 7));
      r.clauses_attested = static_cast<std::size_t>(rows.integer(i, 8));
      r.files_checked = static_cast<std::size_t>(rows.integer(i, 9));
      out.push_back(std::move(r));
    }
    return out;
  }

  std::string describe() const override { return shown_url_; }

  Result<void> check_connection() const {
    if (pq().PQstatus(connection_.get()) == CONNECTION_OK) return {};
    return fail(fmt::format("cannot connect to the store: {}", scrubbed(pq().PQerrorMessage(connection_.get()))),
                shown_url_);
  }

  Result<void> migrate() {
    const std::lock_guard lock(mutex_);
    if (auto locked = execute("SELECT pg_advisory_lock($1)", Parameters().integer(kMigrationLock),
                              "cannot take the migration lock");
        !locked)
      return std::unexpected(locked.error());
    auto migrated = migrate_locked();
    // The lock is the session's: released here, or with the connection when this fails.
    (void)execute("SELECT pg_advisory_unlock($1)", Parameters().integer(kMigrationLock), "");
    return migrated;
  }

 private:
  static constexpr const char* kInsertViolation =
      "INSERT INTO violations (id, repository, check_id, clause_id, fingerprint, severity, path, line, message, "
      "first_seen_run, first_seen_commit, first_seen, last_seen_run, transition_until, due, status, fixed_run, "
      "fixed_commit, fixed_on, reopened, waiver_owner, waiver_expires) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)";
  static constexpr const char* kUpdateViolation =
      "UPDATE violations SET repository = $2, check_id = $3, clause_id = $4, fingerprint = $5, severity = $6, "
      "path = $7, line = $8, message = $9, first_seen_run = $10, first_seen_commit = $11, first_seen = $12, "
      "last_seen_run = $13, transition_until = $14, due = $15, status = $16, fixed_run = $17, fixed_commit = $18, "
      "fixed_on = $19, reopened = $20, waiver_owner = $21, waiver_expires = $22 WHERE id = $1";

  static Parameters violation_parameters(const Violation& v, std::int64_t id) {
    Parameters p;
    p.integer(id)
        .text(v.repository)
        .text(v.check_id)
        .text(v.clause_id)
        .text(v.fingerprint)
        .text(to_string(v.severity))
        .text(v.path)
        .integer(v.line)
        .text(v.message)
        .integer(v.first_seen_run)
        .text(v.first_seen_commit)
        .text(v.first_seen.to_string())
        .integer(v.last_seen_run)
        .date(v.transition_until)
        .text(v.due.to_string())
        .text(to_string(v.status))
        .nullable(v.fixed_run)
        .text(v.fixed_commit)
        .date(v.fixed_on)
        .integer(v.reopened)
        .text(v.waiver_owner)
        .date(v.waiver_expires);
    return p;
  }

  // Violations [from, to) of `changed`, sent in one pipeline: a repository's
  // thirty violations cost one round trip instead of thirty. `next` numbers
  // the new ones. Bounded by kPipelined so the server's replies never fill
  // the socket while this side is still sending.
  Result<void> write_violations(const std::vector<Violation>& changed, std::size_t from, std::size_t to,
                                std::int64_t& next, std::string_view what) {
    PGconn* connection = connection_.get();
    if (pq().PQenterPipelineMode(connection) != 1)
      return fail(fmt::format("{}: {}", what, connection_error()), shown_url_);
    std::size_t sent = 0;
    std::string why;
    for (std::size_t i = from; i < to; ++i) {
      const Violation& v = changed[i];
      const Parameters parameters = violation_parameters(v, v.id != 0 ? v.id : next++);
      const auto values = parameters.pointers();
      if (pq().PQsendQueryParams(connection, v.id != 0 ? kUpdateViolation : kInsertViolation,
                                 static_cast<int>(values.size()), nullptr, values.data(), nullptr, nullptr, 0) != 1) {
        why = connection_error();
        break;
      }
      ++sent;
    }
    if (pq().PQpipelineSync(connection) != 1 && why.empty()) why = connection_error();
    // Each statement's result, then null; then the sync point. After a
    // failure the rest come back aborted; the first error is the one to tell.
    for (std::size_t i = 0; i < sent; ++i) {
      while (PGresult* raw = pq().PQgetResult(connection)) {
        const QueryResult result(raw);
        if (pq().PQresultStatus(raw) == PGRES_FATAL_ERROR && why.empty())
          why = scrubbed(pq().PQresultErrorMessage(raw));
      }
    }
    for (int guard = 0; guard < 2; ++guard) {  // the sync point (and nothing after it)
      const QueryResult result(pq().PQgetResult(connection));
      if (!result || pq().PQresultStatus(result.get()) == PGRES_PIPELINE_SYNC) break;
    }
    if (pq().PQexitPipelineMode(connection) != 1 && why.empty()) why = connection_error();
    if (!why.empty()) return fail(fmt::format("{}: {}", what, why), shown_url_);
    return {};
  }

  std::string connection_error() const { return scrubbed(pq().PQerrorMessage(connection_.get())); }

  Result<std::vector<Violation>> select_violations(std::string_view where, const Parameters& parameters) {
    auto selected = execute(fmt::format("SELECT {} FROM violations{}", kViolationColumns, where), parameters,
                            "cannot read the violations");
    if (!selected) return std::unexpected(selected.error());
    const Rows rows(selected->get());
    std::vector<Violation> out;
    out.reserve(static_cast<std::size_t>(rows.size()));
    for (int i = 0; i < rows.size(); ++i) {
      Violation v;
      v.id = rows.integer(i, 0);
      v.repository = rows.text(i, 1);
      v.check_id = rows.text(i, 2);
      v.clause_id = rows.text(i, 3);
      v.fingerprint = rows.text(i, 4);
      v.severity = parse_severity(rows.text(i, 5)).value_or(Severity::medium);
      v.path = rows.text(i, 6);
      v.line = static_cast<int>(rows.integer(i, 7));
      v.message = rows.text(i, 8);
      v.first_seen_run = rows.integer(i, 9);
      v.first_seen_commit = rows.text(i, 10);
      v.first_seen = rows.date(i, 11).value_or(Date{});
      v.last_seen_run = rows.integer(i, 12);
      v.transition_until = rows.date(i, 13);
      v.due = rows.date(i, 14).value_or(Date{});
      v.status = parse_status(rows.text(i, 15)).value_or(Status::open);
      v.fixed_run = rows.null(i, 16) ? 0 : rows.integer(i, 16);
      v.fixed_commit = rows.text(i, 17);
      v.fixed_on = rows.date(i, 18);
      v.reopened = static_cast<int>(rows.integer(i, 19));
      v.waiver_owner = rows.text(i, 20);
      v.waiver_expires = rows.date(i, 21);
      out.push_back(std::move(v));
    }
    return out;
  }

  // The caller holds the table's lock (or the whole store is being created
  // under the migration lock), so no other writer numbers at the same time.
  Result<std::int64_t> next_id(std::string_view table) {
    if (auto locked = execute(fmt::format("LOCK TABLE {} IN EXCLUSIVE MODE", table), Parameters(),
                              fmt::format("cannot lock {} for writing", table));
        !locked)
      return std::unexpected(locked.error());
    auto selected = execute(fmt::format("SELECT COALESCE(MAX(id), 0) + 1 FROM {}", table), Parameters(),
                            fmt::format("cannot number a new row of {}", table));
    if (!selected) return std::unexpected(selected.error());
    return Rows(selected->get()).integer(0, 0);
  }

  Result<void> migrate_locked() {
    if (auto created = execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)", Parameters(),
                               "cannot create the schema's version table");
        !created)
      return std::unexpected(created.error());
    auto current =
        execute("SELECT COALESCE(MAX(version), 0) FROM schema_version", Parameters(), "cannot read the schema version");
    if (!current) return std::unexpected(current.error());
    const auto version = static_cast<int>(Rows(current->get()).integer(0, 0));
    const int newest = kMigrations.back().version;
    if (version > newest)
      return fail(
          fmt::format("the store's schema is version {}, newer than this constable knows ({}): upgrade constable",
                      version, newest),
          shown_url_);
    for (const Migration& migration : kMigrations) {
      if (migration.version <= version) continue;
      auto applied = in_transaction([&]() -> Result<void> {
        // Fixed DDL, several statements: the simple query protocol takes them at once.
        const QueryResult result(pq().PQexec(connection_.get(), std::string(migration.sql).c_str()));
        if (pq().PQresultStatus(result.get()) != PGRES_COMMAND_OK)
          return fail(fmt::format("cannot apply migration {}: {}", migration.version,
                                  scrubbed(pq().PQresultErrorMessage(result.get()))),
                      shown_url_);
        auto recorded = execute("INSERT INTO schema_version (version) VALUES ($1)",
                                Parameters().integer(migration.version), "cannot record the schema version");
        if (!recorded) return std::unexpected(recorded.error());
        return {};
      });
      if (!applied) return applied;
    }
    return {};
  }

  // A statement with its parameters; a broken connection (a restarted
  // server) is re-established first when no transaction is open.
  Result<QueryResult> execute(std::string_view sql, const Parameters& parameters, std::string_view what) {
    if (!in_transaction_ && pq().PQstatus(connection_.get()) != CONNECTION_OK) pq().PQreset(connection_.get());
    const std::string statement(sql);
    const auto values = parameters.pointers();
    QueryResult result(pq().PQexecParams(connection_.get(), statement.c_str(), static_cast<int>(values.size()), nullptr,
                                         values.data(), nullptr, nullptr, 0));
    const ExecStatusType status = pq().PQresultStatus(result.get());
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return result;
    const char* why = result ? pq().PQresultErrorMessage(result.get()) : pq().PQerrorMessage(connection_.get());
    return fail(fmt::format("{}: {}", what,
                            scrubbed(why != nullptr && *why != '\0' ? why : pq().PQerrorMessage(connection_.get()))),
                shown_url_);
  }

  template <typename F>
  auto in_transaction(F&& body) -> decltype(body()) {
    if (auto begun = execute("BEGIN", Parameters(), "cannot begin a transaction"); !begun)
      return std::unexpected(begun.error());
    in_transaction_ = true;
    auto result = body();
    if (result) {
      if (auto committed = execute("COMMIT", Parameters(), "cannot commit"); !committed)
        result = std::unexpected(committed.error());
    }
    if (!result) (void)execute("ROLLBACK", Parameters(), "");
    in_transaction_ = false;
    return result;
  }

  std::string scrubbed(std::string_view message) const {
    std::string out = one_line(message);
    for (const std::string& secret : secrets_) {
      for (std::size_t at = out.find(secret); at != std::string::npos; at = out.find(secret, at + kRedacted.size()))
        out.replace(at, secret.size(), kRedacted);
    }
    return out;
  }

  Connection connection_;
  std::string shown_url_;
  std::vector<std::string> secrets_;  // what no message may contain
  bool in_transaction_ = false;
  std::mutex mutex_;  // one statement at a time on the one connection
};

// libpq's notices ("relation already exists, skipping") are not the user's business.
void ignore_notice(void* /*unused*/, const char* /*message*/) {}

}  // namespace

std::string redact_postgres_url(std::string_view url) { return text::redact_url(url, /*user_alone_is_secret=*/false); }

Result<std::unique_ptr<Store>> open_postgres(std::string_view url) {
  const std::string shown = redact_postgres_url(url);
  std::vector<std::string> secrets;
  for (const auto& [begin, end] : text::url_credential_spans(url, /*user_alone_is_secret=*/false)) {
    if (end == begin) continue;
    secrets.emplace_back(url.substr(begin, end - begin));
    secrets.push_back(percent_decoded(secrets.back()));
  }
  if (const char* password = std::getenv("PGPASSWORD"); password != nullptr && *password != '\0')
    secrets.emplace_back(password);
  // Longest first, so a password containing another is replaced whole.
  std::sort(secrets.begin(), secrets.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });

  if (const auto& loaded = libpq(); !loaded) return fail(loaded.error().message, shown);
  const std::string conninfo(url);
  // Earlier entries are defaults the URL may override; later ones win.
  const char* const keywords[] = {"connect_timeout", "dbname", "fallback_application_name", "client_encoding", nullptr};
  const char* const values[] = {"30", conninfo.c_str(), "constable", "UTF8", nullptr};
  Connection connection(pq().PQconnectdbParams(keywords, values, 1));
  if (!connection) return fail("cannot connect to the store: out of memory", shown);
  pq().PQsetNoticeProcessor(connection.get(), ignore_notice, nullptr);
  auto store = std::make_unique<PostgresStore>(std::move(connection), shown, std::move(secrets));
  if (auto connected = store->check_connection(); !connected) return std::unexpected(connected.error());
  if (auto migrated = store->migrate(); !migrated) return std::unexpected(migrated.error());
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace constable::store
