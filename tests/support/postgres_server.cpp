#include "support/postgres_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <grp.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <random>
#include <sstream>

#include <fmt/format.h>

namespace constable::testing {

namespace {

namespace fs = std::filesystem;

struct ConnectionCloser {
  void operator()(PGconn* connection) const { PQfinish(connection); }
};
struct ResultClearer {
  void operator()(PGresult* result) const { PQclear(result); }
};

struct State {
  std::unique_ptr<PostgresServer> server;
  bool tried = false;
  bool not_installed = false;
  std::string failure;
};

State& state() {
  static State s;
  return s;
}

// Debian's server programs: /usr/lib/postgresql/<major>/bin, the newest
// major first; else initdb on PATH.
std::optional<fs::path> server_programs() {
  std::vector<std::pair<int, fs::path>> found;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    const fs::path bin = entry.path() / "bin";
    if (::access((bin / "initdb").c_str(), X_OK) == 0 && ::access((bin / "pg_ctl").c_str(), X_OK) == 0)
      found.emplace_back(std::atoi(entry.path().filename().c_str()), bin);
  }
  if (!found.empty()) return std::max_element(found.begin(), found.end())->second;
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/bin:/bin";
  std::stringstream stream(dirs);
  for (std::string dir; std::getline(stream, dir, ':');)
    if (::access((fs::path(dir) / "initdb").c_str(), X_OK) == 0 &&
        ::access((fs::path(dir) / "pg_ctl").c_str(), X_OK) == 0)
      return fs::path(dir);
  return std::nullopt;
}

std::string random_hex(std::size_t length) {
  std::random_device device;
  std::string out;
  while (out.size() < length) out += fmt::format("{:08x}", device());
  out.resize(length);
  return out;
}

int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return 0;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0)
    port = ntohs(address.sin_port);
  ::close(fd);
  return port;
}

std::string tail_of(const fs::path& file, std::size_t bytes = 2000) {
  std::ifstream in(file, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return text.size() > bytes ? text.substr(text.size() - bytes) : text;
}

// Who runs the server: nobody else when this process is not root; as root,
// the postgres system user (initdb and postgres refuse root).
struct ServerUser {
  bool switch_user = false;
  uid_t uid = 0;
  gid_t gid = 0;
};

// Runs argv as `user` with its output appended to `log`; the exit status.
int run_as(const ServerUser& user, const std::vector<std::string>& argv, const fs::path& log) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (out < 0) return -1;
  if (user.switch_user && ::fchown(out, user.uid, user.gid) != 0) {
    ::close(out);
    return -1;
  }
  const int null = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(null, 0);
    ::dup2(out, 1);
    ::dup2(out, 2);
    ::close_range(3, ~0U, 0);
    if (user.switch_user && (::setgroups(0, nullptr) != 0 || ::setgid(user.gid) != 0 || ::setuid(user.uid) != 0))
      ::_exit(126);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::close(out);
  ::close(null);
  if (pid < 0) return -1;
  int status = 0;
  if (::waitpid(pid, &status, 0) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

PostgresServer* PostgresServer::shared() {
  State& s = state();
  if (!s.tried) {
    s.tried = true;
    std::unique_ptr<PostgresServer> server(new PostgresServer());
    s.failure = server->start();
    if (s.failure.empty())
      s.server = std::move(server);
    else
      s.not_installed = s.failure.starts_with("initdb is not installed");
  }
  return s.server.get();
}

const std::string& PostgresServer::failure() { return state().failure; }
bool PostgresServer::not_installed() { return state().not_installed; }

std::string PostgresServer::start() {
  const auto programs = server_programs();
  if (!programs)
    return "initdb is not installed (Debian: apt-get install postgresql): the PostgreSQL store's tests need a server";
  ServerUser user;
  if (::geteuid() == 0) {
    const passwd* postgres = ::getpwnam("postgres");
    if (postgres == nullptr) return "running as root, and there is no postgres user to run initdb and postgres as";
    user = {.switch_user = true, .uid = postgres->pw_uid, .gid = postgres->pw_gid};
  }
  std::string pattern = (fs::temp_directory_path() / "constable-pg-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) return "cannot create a temporary directory for the server";
  directory_ = pattern;
  if (user.switch_user && ::chown(directory_.c_str(), user.uid, user.gid) != 0)
    return fmt::format("cannot give {} to the postgres user", directory_);

  // The watchdog: once this process is gone (normally or not), it stops the
  // server and removes the directory. It learns the server's pid from
  // postmaster.pid, so it is started first and can clean up a failed start too.
  int pipe_ends[2];
  if (::pipe2(pipe_ends, O_CLOEXEC) != 0) return "cannot create the watchdog's pipe";
  const std::string script =
      "while read -r line; do :; done; "  // until the test process closes the pipe, or dies
      "pid=$(head -n 1 \"$1/data/postmaster.pid\" 2>/dev/null); "
      "if [ -n \"$pid\" ]; then kill -INT \"$pid\" 2>/dev/null; n=0; "
      "while kill -0 \"$pid\" 2>/dev/null && [ $n -lt 300 ]; do sleep 0.1; n=$((n+1)); done; "
      "kill -KILL \"$pid\" 2>/dev/null; fi; rm -rf \"$1\"";
  const std::vector<std::string> watchdog_argv{"/bin/sh", "-c", script, "constable-pg-watchdog", directory_};
  std::vector<char*> watchdog_args;
  for (const auto& a : watchdog_argv) watchdog_args.push_back(const_cast<char*>(a.c_str()));
  watchdog_args.push_back(nullptr);
  const int null = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  const pid_t watchdog = ::fork();
  if (watchdog == 0) {
    ::dup2(pipe_ends[0], 0);
    ::dup2(null, 1);
    ::dup2(null, 2);
    ::close_range(3, ~0U, 0);  // holding no pipe of the test's open
    ::setsid();                // not in the test's process group: a ^C there must not stop the cleanup
    ::execv(watchdog_args[0], watchdog_args.data());
    ::_exit(127);
  }
  ::close(null);
  ::close(pipe_ends[0]);
  if (watchdog < 0) {
    ::close(pipe_ends[1]);
    return "cannot start the watchdog";
  }
  watchdog_pipe_ = pipe_ends[1];
  watchdog_pid_ = watchdog;

  password_ = "pw-" + random_hex(24);
  const fs::path dir(directory_);
  const fs::path log = dir / "server.log";
  {
    std::ofstream(dir / "pwfile") << password_ << "\n";
    if (user.switch_user && ::chown((dir / "pwfile").c_str(), user.uid, user.gid) != 0)
      return "cannot give the password file to the postgres user";
  }
  const int initialised =
      run_as(user,
             {(*programs / "initdb").string(), "-D", (dir / "data").string(), "-U", "constable",
              "--pwfile=" + (dir / "pwfile").string(), "--auth=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync"},
             log);
  if (initialised != 0) return fmt::format("initdb exited with {}: {}", initialised, tail_of(log));
  // A port found free may be taken before the server binds it: a few tries.
  for (int attempt = 0; attempt < 3; ++attempt) {
    port_ = free_port();
    const std::string options = fmt::format(
        "-c listen_addresses=127.0.0.1 -p {} -k {} -c fsync=off -c full_page_writes=off -c max_connections=60 "
        "-c shared_buffers=16MB",
        port_, directory_);
    const int started = run_as(user,
                               {(*programs / "pg_ctl").string(), "-D", (dir / "data").string(), "-l",
                                (dir / "postgres.log").string(), "-w", "-t", "60", "-o", options, "start"},
                               log);
    if (started == 0) return {};
  }
  return fmt::format("pg_ctl could not start the server: {}\n{}", tail_of(log), tail_of(dir / "postgres.log"));
}

PostgresServer::~PostgresServer() {
  if (watchdog_pipe_ >= 0) ::close(watchdog_pipe_);
  if (watchdog_pid_ > 0) {
    int status = 0;
    ::waitpid(watchdog_pid_, &status, 0);
  }
}

std::string PostgresServer::url(std::string_view database, std::string_view password) const {
  return fmt::format("postgresql://constable:{}@127.0.0.1:{}/{}", password, port_, database);
}

std::string PostgresServer::create_database(std::string* error) {
  const std::string name = fmt::format("store_{}_{}", ::getpid(), ++databases_);
  std::string why;
  postgres_query(url("postgres", password_), fmt::format("CREATE DATABASE {}", name), &why);
  if (!why.empty()) {
    if (error != nullptr) *error = why;
    return {};
  }
  return url(name, password_);
}

std::vector<std::string> postgres_query(const std::string& url, const std::string& sql, std::string* error) {
  const std::unique_ptr<PGconn, ConnectionCloser> connection(PQconnectdb(url.c_str()));
  if (PQstatus(connection.get()) != CONNECTION_OK) {
    if (error != nullptr) *error = PQerrorMessage(connection.get());
    return {};
  }
  const std::unique_ptr<PGresult, ResultClearer> result(PQexec(connection.get(), sql.c_str()));
  const auto status = PQresultStatus(result.get());
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    if (error != nullptr) *error = PQresultErrorMessage(result.get());
    return {};
  }
  std::vector<std::string> row;
  if (PQntuples(result.get()) > 0)
    for (int column = 0; column < PQnfields(result.get()); ++column)
      row.emplace_back(PQgetvalue(result.get(), 0, column));
  return row;
}

}  // namespace constable::testing
