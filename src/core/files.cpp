#include "core/files.hpp"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <optional>
#include <system_error>
#include <utility>

#include <fmt/format.h>

namespace constable::files {

namespace fs = std::filesystem;

StatSignature signature_of(const struct stat& st) {
  auto nanoseconds = [](const struct timespec& t) {
    return static_cast<std::uint64_t>(t.tv_sec) * 1'000'000'000ULL + static_cast<std::uint64_t>(t.tv_nsec);
  };
  return {static_cast<std::uint64_t>(st.st_size), nanoseconds(st.st_mtim), nanoseconds(st.st_ctim),
          static_cast<std::uint64_t>(st.st_ino), static_cast<std::uint64_t>(st.st_dev)};
}

namespace {

std::unexpected<Failure> failure(Problem problem, std::string message, std::string path, std::uintmax_t size = 0) {
  return std::unexpected(Failure{problem, size, Error{std::move(message), std::move(path), 0, 0}});
}

std::string_view describe_type(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  return "of an unknown type";
}

std::unexpected<Failure> not_regular(mode_t mode, std::string path) {
  return failure(Problem::not_regular, fmt::format("not a regular file ({}): not read", describe_type(mode)),
                 std::move(path));
}

std::unexpected<Failure> from_errno(int error, std::string path) {
  switch (error) {
    case ENOENT:
    case ENOTDIR: return failure(Problem::missing, "no such file", std::move(path));
    case ELOOP:
      return failure(Problem::loop, "symlink loop (or a symlink where none may be): not read", std::move(path));
    case ENXIO: return failure(Problem::not_regular, "not a regular file: not read", std::move(path));
    default:
      return failure(Problem::unreadable, fmt::format("cannot read it ({})", std::strerror(error)), std::move(path));
  }
}

// Reads `fd` to the end, failing once more than `max_size` bytes came.
// Reads straight into the string, sized for `expected` bytes and one more
// (to see the end without growing it), rather than through a buffer. A
// regular file (`sized`) is read as long as fstat said it was: the content
// as of that moment, without a last read to see the end (a system call per
// file is dear on a virtual machine).
Outcome<std::string> read_all(int fd, std::uintmax_t max_size, const std::string& path, std::uintmax_t expected,
                              bool sized = false) {
  std::string out;
  std::size_t filled = 0;
  int error = 0;
  bool at_end = false;
  auto size_for = [&](std::uintmax_t wanted) { return static_cast<std::size_t>(std::min(wanted, max_size + 1)); };
  std::size_t capacity = size_for(expected + 1);
  while (!at_end && error == 0) {
    out.resize_and_overwrite(capacity, [&](char* data, std::size_t size) {
      while (filled < size) {
        const ssize_t n = ::read(fd, data + filled, size - filled);
        if (n < 0) {
          if (errno == EINTR) continue;
          error = errno;
          break;
        }
        if (n == 0) {
          at_end = true;
          break;
        }
        filled += static_cast<std::size_t>(n);
        if (sized && expected > 0 && filled == expected) {
          at_end = true;
          break;
        }
      }
      return filled;
    });
    if (filled > max_size)
      return failure(Problem::too_large,
                     fmt::format("too large (more than the {} limit): not read", human_size(max_size)), path,
                     max_size + 1);
    // The file grew while it was read (or claimed size 0, as /proc files do).
    capacity = size_for(std::max<std::uintmax_t>(std::uintmax_t{2} * capacity, 65536));
  }
  if (error != 0) return from_errno(error, path);
  return out;
}

struct Descriptor {
  int fd = -1;
  ~Descriptor() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

bool present(const fs::path& path) {
  std::error_code ec;
  return fs::symlink_status(path, ec).type() != fs::file_type::not_found && !ec;
}

bool is_within(const fs::path& outer, const fs::path& inner) {
  auto o = outer.begin();
  auto i = inner.begin();
  for (; o != outer.end(); ++o, ++i) {
    if (o->empty()) continue;  // a trailing separator
    if (i == inner.end() || *o != *i) return false;
  }
  return true;
}

std::string human_size(std::uintmax_t bytes) {
  if (bytes < 1024) return fmt::format("{} {}", bytes, bytes == 1 ? "byte" : "bytes");
  static constexpr std::array<const char*, 6> kUnits = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  auto value = static_cast<double>(bytes) / 1024.0;
  std::size_t unit = 0;
  while (value >= 1024.0 && unit + 1 < kUnits.size()) {
    value /= 1024.0;
    ++unit;
  }
  return fmt::format("{:.1f} {}", value, kUnits[unit]);
}

std::string too_large_message(std::uintmax_t size, std::uintmax_t limit) {
  std::string shown_size = human_size(size);
  std::string shown_limit = human_size(limit);
  if (shown_size == shown_limit) {  // 10.0 MiB and 10.0 MiB + 1 byte
    shown_size = fmt::format("{} bytes", size);
    shown_limit = fmt::format("{} bytes", limit);
  }
  return fmt::format("file is too large ({}, limit {}): not read", shown_size, shown_limit);
}

namespace {

// The directory reads are confined to, resolved. A run confines every read
// to its repository's root, so each thread resolves it once (a system call
// per component) and afterwards only checks, with one stat, that the path
// still names the same directory (a long-running server's root may be a
// symlink that is re-pointed between requests).
const fs::path& resolved_root(const fs::path& confine_to) {
  thread_local std::string given;
  thread_local dev_t device = 0;
  thread_local ino_t inode = 0;
  thread_local fs::path resolved;
  struct stat st {};
  const bool exists = ::stat(confine_to.c_str(), &st) == 0;
  if (!exists || confine_to.native() != given || st.st_dev != device || st.st_ino != inode || resolved.empty()) {
    std::error_code ec;
    resolved = fs::canonical(confine_to, ec);
    if (ec) resolved = fs::absolute(confine_to, ec).lexically_normal();
    given = exists ? confine_to.native() : std::string();  // a root that does not exist is not kept
    device = st.st_dev;
    inode = st.st_ino;
  }
  return resolved;
}

}  // namespace

Outcome<fs::path> locate(const fs::path& file, const fs::path& confine_to, std::string display) {
  if (display.empty()) display = file.string();
  std::error_code ec;
  const fs::path& root = resolved_root(confine_to);
  const fs::path resolved = fs::canonical(file, ec);
  if (ec) {
    if (ec == std::errc::too_many_symbolic_link_levels)
      return failure(Problem::loop, "symlink loop: not read", display);
    if (ec == std::errc::no_such_file_or_directory || ec == std::errc::not_a_directory) {
      std::error_code link_ec;
      const bool link = fs::is_symlink(fs::symlink_status(file, link_ec));
      return failure(Problem::missing, link ? "broken symlink" : "no such file", display);
    }
    return failure(Problem::unreadable, fmt::format("cannot resolve it ({})", ec.message()), display);
  }
  if (!is_within(root, resolved))
    return failure(Problem::outside, "points outside the repository (through a symlink or '..'): not read", display);
  return resolved;
}

namespace {

// A descriptor of the directory reads are confined to, kept by each thread
// (checked, as resolved_root is, with one stat of the path each time).
int root_descriptor(const fs::path& confine_to) {
  struct Kept {
    std::string given;
    dev_t device = 0;
    ino_t inode = 0;
    int fd = -1;
    ~Kept() {
      if (fd >= 0) ::close(fd);
    }
  };
  thread_local Kept kept;
  struct stat st {};
  if (::stat(confine_to.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return -1;
  if (kept.fd < 0 || confine_to.native() != kept.given || st.st_dev != kept.device || st.st_ino != kept.inode) {
    if (kept.fd >= 0) ::close(kept.fd);
    kept.fd = ::open(confine_to.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    kept.given = kept.fd >= 0 ? confine_to.native() : std::string();
    kept.device = st.st_dev;
    kept.inode = st.st_ino;
  }
  return kept.fd;
}

int open_beneath(int root, const char* relative, std::uint64_t flags) {
  open_how how{};
  how.flags = flags;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
  long fd = -1;
  do fd = ::syscall(SYS_openat2, root, relative, &how, sizeof how);
  while (fd < 0 && errno == EINTR);
  return static_cast<int>(fd);
}

// Why a confined open failed, or nothing when the general path must decide.
std::optional<Outcome<std::string>> beneath_failure(int error, const fs::path& file, const std::string& display) {
  if (error == ENOSYS || error == EPERM || error == EINVAL || error == E2BIG || error == EXDEV) return std::nullopt;
  if (error == ELOOP) return failure(Problem::loop, "symlink loop: not read", display);
  if (error == ENOENT || error == ENOTDIR) {
    struct stat link {};
    const bool dangling = ::lstat(file.c_str(), &link) == 0 && S_ISLNK(link.st_mode);
    return failure(Problem::missing, dangling ? "broken symlink" : "no such file", display);
  }
  return from_errno(error, display);
}

// The failure for a symlink where none is followed, or one swapped in where a
// regular file was seen.
std::unexpected<Failure> symlink_not_followed(std::string display) {
  return failure(Problem::not_regular, "a symlink here is not followed: not read", std::move(display));
}

// Reads an open descriptor if it is a regular file within the size limit
// (and, given what was looked at before opening, still that file). The file
// may grow while it is read (or claim size 0, as /proc files do): the limit
// holds regardless.
Outcome<std::string> read_opened(int fd, const ReadOptions& options, const std::string& display,
                                 const struct stat* looked = nullptr) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return from_errno(errno, display);
  if (!S_ISREG(st.st_mode)) return not_regular(st.st_mode, display);
  if (looked != nullptr && (st.st_dev != looked->st_dev || st.st_ino != looked->st_ino))
    return failure(Problem::unreadable, "replaced while it was read: not read", display);
  const auto size = static_cast<std::uintmax_t>(st.st_size);
  if (size > options.max_size)
    return failure(Problem::too_large, too_large_message(size, options.max_size), display, size);
  return read_all(fd, options.max_size, display, size, true);
}

// Opens a file seen as regular beneath the root, and reads it if it still is.
std::optional<Outcome<std::string>> open_and_read_beneath(int root, const char* relative, std::uint64_t nofollow,
                                                          const fs::path& file, const ReadOptions& options,
                                                          const std::string& display) {
  Descriptor descriptor{open_beneath(root, relative, O_RDONLY | O_NONBLOCK | O_CLOEXEC | nofollow)};
  if (descriptor.fd < 0) {
    if (errno == ELOOP && nofollow != 0) return symlink_not_followed(display);  // swapped in since it was seen
    return beneath_failure(errno, file, display);
  }
  return read_opened(descriptor.fd, options, display);
}

// A confined read in two system calls instead of one per path component:
// the kernel resolves `file` beneath the root's descriptor and refuses any
// way out of it (openat2 with RESOLVE_BENEATH), so nothing is resolved in
// user space. Nothing when this cannot decide and the general path must:
// `file` not spelled below `confine_to`, openat2 unavailable (an old kernel,
// a seccomp filter), or a way out that may only be an absolute symlink
// pointing back inside, which RESOLVE_BENEATH refuses too.
std::optional<Outcome<std::string>> read_beneath(const fs::path& file, const ReadOptions& options,
                                                 const std::string& display) {
  const std::string& root_path = options.confine_to.native();
  const std::string& path = file.native();
  const std::size_t cut = root_path.ends_with('/') ? root_path.size() : root_path.size() + 1;
  if (path.size() <= cut || !path.starts_with(root_path) || path[cut - 1] != '/') return std::nullopt;
  const int root = root_descriptor(options.confine_to);
  if (root < 0) return std::nullopt;
  const char* relative = path.c_str() + cut;
  const std::uint64_t nofollow = options.follow_symlinks ? 0 : O_NOFOLLOW;
  if (options.seen_regular) return open_and_read_beneath(root, relative, nofollow, file, options, display);
  // Look before opening: opening some devices has effects of its own.
  Descriptor looked{open_beneath(root, relative, O_PATH | O_CLOEXEC | nofollow)};
  if (looked.fd < 0) return beneath_failure(errno, file, display);
  struct stat before {};
  if (::fstat(looked.fd, &before) != 0) return from_errno(errno, display);
  if (S_ISLNK(before.st_mode)) return symlink_not_followed(display);
  if (!S_ISREG(before.st_mode)) return not_regular(before.st_mode, display);
  const auto declared = static_cast<std::uintmax_t>(before.st_size);
  if (declared > options.max_size)
    return failure(Problem::too_large, too_large_message(declared, options.max_size), display, declared);
  Descriptor descriptor{open_beneath(root, relative, O_RDONLY | O_NONBLOCK | O_CLOEXEC | nofollow)};
  if (descriptor.fd < 0) return from_errno(errno, display);
  return read_opened(descriptor.fd, options, display, &before);  // swapped since it was looked at: refused
}

Outcome<std::string> read_unobserved(const fs::path& file, const ReadOptions& options) {
  const std::string display = options.display.empty() ? file.string() : options.display;
  fs::path target = file;
  int flags = O_RDONLY | O_NONBLOCK | O_CLOEXEC | (options.follow_symlinks ? 0 : O_NOFOLLOW);
  if (!options.confine_to.empty()) {
    if (auto beneath = read_beneath(file, options, display)) return std::move(*beneath);
    auto located = locate(file, options.confine_to, display);
    if (!located) return std::unexpected(std::move(located.error()));
    target = std::move(*located);
    flags |= O_NOFOLLOW;  // resolved already: a symlink here now was swapped in since
  }
  // Look before opening: opening some devices has effects of its own.
  if (!options.seen_regular) {
    struct stat before {};
    const int looked = (flags & O_NOFOLLOW) != 0 ? ::lstat(target.c_str(), &before) : ::stat(target.c_str(), &before);
    if (looked != 0) return from_errno(errno, display);
    if (S_ISLNK(before.st_mode)) return symlink_not_followed(display);
    if (!S_ISREG(before.st_mode)) return not_regular(before.st_mode, display);
    const auto declared = static_cast<std::uintmax_t>(before.st_size);
    if (declared > options.max_size)
      return failure(Problem::too_large, too_large_message(declared, options.max_size), display, declared);
  }

  Descriptor descriptor{::open(target.c_str(), flags)};
  if (descriptor.fd < 0) {
    // A symlink swapped in where a regular file was seen (O_NOFOLLOW).
    if (errno == ELOOP && (flags & O_NOFOLLOW) != 0) return symlink_not_followed(display);
    return from_errno(errno, display);
  }
  return read_opened(descriptor.fd, options, display);
}

thread_local ReadObserver* this_thread_observer = nullptr;
std::atomic<ReadObserver*> every_thread_observer{nullptr};

}  // namespace

Outcome<std::string> read(const fs::path& file, const ReadOptions& options) {
  Outcome<std::string> outcome = read_unobserved(file, options);
  observe_read(file, outcome);
  return outcome;
}

void observe_read(const fs::path& file, const Outcome<std::string>& outcome) {
  if (this_thread_observer != nullptr)
    this_thread_observer->observe(file, outcome);
  else if (ReadObserver* observer = every_thread_observer.load(std::memory_order_acquire); observer != nullptr)
    observer->observe(file, outcome);
}

ObserveReads::ObserveReads(ReadObserver& observer, On on)
    : on_(on),
      previous_(on == On::this_thread ? std::exchange(this_thread_observer, &observer)
                                      : every_thread_observer.exchange(&observer, std::memory_order_acq_rel)) {}

ReadObserver* ObserveReads::this_threads() { return this_thread_observer; }

ObserveReads::~ObserveReads() {
  if (on_ == On::this_thread)
    this_thread_observer = previous_;
  else
    every_thread_observer.store(previous_, std::memory_order_release);
}

Outcome<std::string> read_descriptor(int fd, std::uintmax_t max_size, std::string display) {
  return read_all(fd, max_size, display, 0);
}

}  // namespace constable::files
