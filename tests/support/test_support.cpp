#include "support/test_support.hpp"

#include "core/text.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

namespace constable::testing {

namespace fs = std::filesystem;

TempDir::TempDir() {
  std::random_device device;
  const auto base = fs::temp_directory_path();
  for (int attempt = 0; attempt < 100; ++attempt) {
    auto candidate = base / ("constable-test-" + std::to_string(device()));
    std::error_code ec;
    if (fs::create_directory(candidate, ec)) {
      path_ = candidate;
      return;
    }
  }
  throw std::runtime_error("cannot create a temporary directory");
}

TempDir::~TempDir() {
  std::error_code ec;
  // Restore permissions a test may have removed, so that removal succeeds.
  for (auto it = fs::recursive_directory_iterator(path_, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_symlink(ec)) fs::permissions(it->path(), fs::perms::owner_all, fs::perm_options::add, ec);
  }
  fs::remove_all(path_, ec);
}

fs::path TempDir::write(std::string_view relative, std::string_view content) const {
  const fs::path file = path_ / fs::path(relative);
  fs::create_directories(file.parent_path());
  std::ofstream out(file, std::ios::binary);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  return file;
}

std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

fs::path source_dir() { return CONSTABLE_SOURCE_DIR; }
fs::path fixtures_dir() { return CONSTABLE_FIXTURES_DIR; }

std::optional<fs::path> shared_file(std::string_view relative) {
  const fs::path candidate = source_dir().parent_path() / "shared" / fs::path(relative);
  std::error_code ec;
  if (fs::exists(candidate, ec)) return candidate;
  return std::nullopt;
}

MeasuredRun run_measured_command(const std::vector<std::string>& argv, const fs::path& cwd,
                                 const std::vector<std::string>& env, int seconds) {
  MeasuredRun result;
  const auto start = std::chrono::steady_clock::now();
  int out_pipe[2];
  int err_pipe[2];
  if (pipe(out_pipe) != 0 || pipe(err_pipe) != 0) return result;
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    close(out_pipe[0]);
    close(err_pipe[0]);
    close(out_pipe[1]);
    close(err_pipe[1]);
    if (!cwd.empty() && chdir(cwd.c_str()) != 0) _exit(127);
    for (const auto& kv : env) putenv(const_cast<char*>(kv.c_str()));
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  close(out_pipe[1]);
  close(err_pipe[1]);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  int open_fds = 2;
  char buffer[65536];
  while (open_fds > 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      kill(pid, SIGKILL);
      result.timed_out = true;
      result.err += "\n[test harness: command timed out]";
      break;
    }
    if (poll(fds, 2, static_cast<int>(left.count())) <= 0) continue;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP))) continue;
      const ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
      if (n <= 0) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      } else {
        (i == 0 ? result.out : result.err).append(buffer, static_cast<std::size_t>(n));
      }
    }
  }
  for (auto& fd : fds)
    if (fd.fd >= 0) close(fd.fd);
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  result.max_rss_kb = usage.ru_maxrss;  // kilobytes on Linux
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

CommandResult run_command(const std::vector<std::string>& argv, const fs::path& cwd,
                          const std::vector<std::string>& env, int seconds) {
  MeasuredRun run = run_measured_command(argv, cwd, env, seconds);
  return {run.exit_code, std::move(run.out), std::move(run.err)};
}

std::optional<std::string> find_program(std::initializer_list<const char*> names) {
  const char* path = std::getenv("PATH");
  for (const char* name : names) {
    for (const std::string_view dir : text::split(path != nullptr ? path : "/usr/bin:/bin", ':')) {
      const fs::path candidate = fs::path(dir) / name;
      if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
    }
  }
  return std::nullopt;
}

std::optional<std::filesystem::path> npm_install(const std::filesystem::path& cache, std::string_view name,
                                                 const std::vector<std::string>& packages, int seconds) {
  const auto npm = find_program({"npm"});
  if (!npm) return std::nullopt;
  const std::filesystem::path prefix = cache / name;
  // The packages as asked, so a changed pin installs again.
  std::string wanted;
  for (const auto& p : packages) wanted += p + "\n";
  const std::filesystem::path marker = prefix / "installed.txt";
  if (std::filesystem::exists(marker) && read_file(marker) == wanted) return prefix / "node_modules";
  std::filesystem::create_directories(prefix);
  std::vector<std::string> argv{"flock", (prefix / ".lock").string(), *npm, "install", "--prefix", prefix.string(),
                                "--no-audit", "--no-fund", "--no-save", "--loglevel=error"};
  argv.insert(argv.end(), packages.begin(), packages.end());
  if (run_command(argv, prefix, {}, seconds).exit_code != 0) return std::nullopt;
  std::ofstream(marker) << wanted;
  return prefix / "node_modules";
}

}  // namespace constable::testing
