#pragma once
// The one way constable reads a file from disk: only regular files (a FIFO or
// a device is refused without ever blocking on it), never more than a size
// limit, and, for files a repository names, never through a symlink that
// leaves the repository. Never throws.

#include <cstdint>
#include <expected>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/error.hpp"

struct stat;

namespace constable::files {

// git's "stat data": a file whose size, times, inode and device are the ones
// recorded has the content recorded with them (the content cache,
// engine/result_cache.hpp; discovery keeps each file's).
struct StatSignature {
  std::uint64_t size = 0, mtime_ns = 0, ctime_ns = 0, inode = 0, device = 0;
  friend bool operator==(const StatSignature&, const StatSignature&) = default;
};
StatSignature signature_of(const struct stat& st);

// What constable reads when nothing else is configured: the repository's files
// (`max_file_size`), the constitution, the configuration, chart files.
inline constexpr std::uintmax_t kDefaultMaxSize = 10ULL * 1024 * 1024;

enum class Problem : std::uint8_t {
  missing,      // no such file, or a broken symlink
  not_regular,  // a directory, FIFO, socket or device
  too_large,    // larger than the limit
  outside,      // a symlink that resolves outside the confining directory
  loop,         // a symlink loop
  unreadable,   // permissions, I/O errors
};

struct Failure {
  Problem problem = Problem::unreadable;
  std::uintmax_t size = 0;  // for too_large: the size found (at least limit + 1)
  Error error;              // path and a message that says what is wrong ("file is too large (...)")
};

template <class T>
using Outcome = std::expected<T, Failure>;

struct ReadOptions {
  std::uintmax_t max_size = kDefaultMaxSize;
  // Files a repository names are confined to it: when set, the file, with
  // every symlink resolved, must lie inside this directory (a symlink inside
  // pointing inside is followed, one pointing outside is refused). When
  // empty, the file is one the user named and may be anywhere.
  std::filesystem::path confine_to{};
  // False: a symlink at `file` itself is refused (the workspace's files were
  // found as regular files; a symlink there now was swapped in since).
  bool follow_symlinks = true;
  // The caller has just seen a regular file here (discovery's stat, a
  // directory entry): it is opened without a look first, one path walk
  // instead of two. Whatever is there now is still refused unless it is a
  // regular file; only a device swapped in since would be opened (without
  // blocking) before being refused, and making one takes root.
  bool seen_regular = false;
  // How the file is named in errors; its path when empty.
  std::string display{};
};

// The whole content of a regular file.
Outcome<std::string> read(const std::filesystem::path& file, const ReadOptions& options = {});

// Hears of each read() while installed, with the path as given and the
// outcome: the content cache learns which files a result was made of.
class ReadObserver {
 public:
  virtual ~ReadObserver() = default;
  virtual void observe(const std::filesystem::path& file, const Outcome<std::string>& outcome) = 0;
};

// Tells the installed observer (see ObserveReads) of a read made without
// read(): a file's content the caller already held from an earlier read of
// the same file, taken instead of reading it again.
void observe_read(const std::filesystem::path& file, const Outcome<std::string>& outcome);

// Installs an observer until destroyed, for reads on the constructing thread
// (one file's checks) or on every thread (a phase spread over workers; the
// observer must then be thread-safe). One of each kind at a time; a read is
// told to one of them only, the thread's own when it has one (a chart's
// render inside the manifest phase: the phase takes the chart's reads from
// its observer, and each file is hashed once).
class ObserveReads {
 public:
  enum class On { this_thread, every_thread };
  ObserveReads(ReadObserver& observer, On on);
  // The calling thread's own observer, or null: for work handed to another
  // thread (a render on a deep stack) to be heard of as the caller's.
  static ReadObserver* this_threads();
  ~ObserveReads();
  ObserveReads(const ObserveReads&) = delete;
  ObserveReads& operator=(const ObserveReads&) = delete;

 private:
  On on_;
  ReadObserver* previous_;
};

// The whole content of an open descriptor (standard input), at most `max_size`
// bytes; `display` names it in errors ("<stdin>").
Outcome<std::string> read_descriptor(int fd, std::uintmax_t max_size, std::string display);

// Where `file` really is (every symlink resolved), if it exists inside
// `confine_to` (see ReadOptions); it may be of any type (a directory too).
Outcome<std::filesystem::path> locate(const std::filesystem::path& file, const std::filesystem::path& confine_to,
                                      std::string display = {});

// Whether anything is at `path`, of any type: a FIFO, a directory, a
// dangling symlink (not followed).
bool present(const std::filesystem::path& path);

// Is `inner` `outer` or below it? Both lexically normal, absolute.
bool is_within(const std::filesystem::path& outer, const std::filesystem::path& inner);

// "512 bytes", "10.0 MiB".
std::string human_size(std::uintmax_t bytes);

// "file is too large (50.0 MiB, limit 10.0 MiB)".
std::string too_large_message(std::uintmax_t size, std::uintmax_t limit);

}  // namespace constable::files
