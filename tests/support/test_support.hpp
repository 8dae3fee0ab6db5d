#pragma once
// Helpers shared by the test suites: temporary directories, file writing,
// locating ../shared, running the constable binary.

#include <filesystem>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace constable::testing {

// Tests bound blow-ups (not benchmarks) in time and memory; a sanitized
// build runs several times slower and keeps shadow memory and a quarantine,
// so its bounds are scaled by these.
#if defined(CONSTABLE_SANITIZED)
inline constexpr double kSanitizerSlowdown = 5.0;
inline constexpr long kSanitizerMemoryFactor = 4;
#else
inline constexpr double kSanitizerSlowdown = 1.0;
inline constexpr long kSanitizerMemoryFactor = 1;
#endif

// A fresh directory removed when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  // Writes `content` to `relative` (creating parent directories); returns the full path.
  std::filesystem::path write(std::string_view relative, std::string_view content) const;

 private:
  std::filesystem::path path_;
};

std::string read_file(const std::filesystem::path& file);
std::filesystem::path source_dir();    // the repository root
std::filesystem::path fixtures_dir();  // tests/fixtures
// ../shared/<relative> beside the source tree, or nullopt when absent.
std::optional<std::filesystem::path> shared_file(std::string_view relative);

// The first of `names` found on PATH, as a full path; nullopt when none is.
std::optional<std::string> find_program(std::initializer_list<const char*> names);

// npm packages installed once into `cache`/<name>/node_modules (several test
// processes may ask at once: flock), or nullopt when npm cannot install them
// (offline); the node_modules directory.
std::optional<std::filesystem::path> npm_install(const std::filesystem::path& cache, std::string_view name,
                                                 const std::vector<std::string>& packages, int seconds = 300);

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};
// Runs argv (no shell) with an optional working directory and extra
// environment ("K=V"); captures stdout and stderr. Times out after `seconds`.
CommandResult run_command(const std::vector<std::string>& argv, const std::filesystem::path& cwd = {},
                          const std::vector<std::string>& env = {}, int seconds = 120);

// A run with what it cost: wall time and the child's peak resident set
// (wait4), for tests that bound blow-ups (they are not benchmarks).
struct MeasuredRun {
  int exit_code = -1;  // 128 + signal when killed
  std::string out;
  std::string err;
  double seconds = 0;
  long max_rss_kb = 0;
  bool timed_out = false;  // killed after `seconds`
};
// As run_command, measured.
MeasuredRun run_measured_command(const std::vector<std::string>& argv, const std::filesystem::path& cwd = {},
                                 const std::vector<std::string>& env = {}, int seconds = 120);

}  // namespace constable::testing
