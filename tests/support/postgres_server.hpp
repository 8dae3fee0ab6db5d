#pragma once
// A real PostgreSQL server for the tests of the PostgreSQL store: initdb
// into a temporary directory, postgres on 127.0.0.1 at a free port (and a
// Unix socket in that directory), password authentication (SCRAM). One per
// test process, started when a test first asks and stopped when the
// process ends, even when it dies: a watchdog process stops the server and
// removes the directory once the test process is gone.
//
// initdb refuses to run as root: as root, the server runs as the `postgres`
// system user that Debian's postgresql package creates.

#include <string>
#include <string_view>
#include <vector>

namespace constable::testing {

class PostgresServer {
 public:
  // The server of this process, started on the first call; nullptr when it
  // cannot be (`failure()` says why).
  static PostgresServer* shared();
  static const std::string& failure();
  // True when initdb is not installed at all: the only reason to skip.
  static bool not_installed();

  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;
  ~PostgresServer();

  // A new, empty database of its own: its URL, password included
  // (postgresql://constable:PASSWORD@127.0.0.1:PORT/NAME). Empty on failure,
  // with `error` saying why.
  std::string create_database(std::string* error = nullptr);
  // The URL of `database` with `password` (the right one or not).
  std::string url(std::string_view database, std::string_view password) const;
  const std::string& password() const { return password_; }
  int port() const { return port_; }

 private:
  PostgresServer() = default;
  std::string start();  // "" when running, else why not

  std::string directory_;  // the data directory's parent, the socket's directory, the log
  std::string password_;
  int port_ = 0;
  int watchdog_pipe_ = -1;  // closing it tells the watchdog to stop the server
  int watchdog_pid_ = -1;
  int databases_ = 0;
};

// Runs `sql` (no parameters) on the database at `url` with libpq: the first
// row's columns as text, none when no row. On an error, `error` says why and
// the result is empty.
std::vector<std::string> postgres_query(const std::string& url, const std::string& sql, std::string* error = nullptr);

}  // namespace constable::testing

// At the top of a test that needs the server: binds `server`, or skips when
// initdb is not installed, or fails saying why the server did not start.
#define CONSTABLE_REQUIRE_POSTGRES(server)                                                       \
  ::constable::testing::PostgresServer* server = ::constable::testing::PostgresServer::shared(); \
  if (server == nullptr) {                                                                       \
    if (::constable::testing::PostgresServer::not_installed())                                   \
      GTEST_SKIP() << ::constable::testing::PostgresServer::failure();                           \
    FAIL() << ::constable::testing::PostgresServer::failure();                                   \
  }
