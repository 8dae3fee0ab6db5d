// Walks the repository: .gitignore files at every level, .git/info/exclude,
// exclude globs; never follows symlinks, never opens special files.

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <condition_variable>
#include <exception>
#include <expected>
#include <filesystem>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "core/files.hpp"
#include "core/text.hpp"
#include "workspace/glob.hpp"
#include "workspace/workspace.hpp"

namespace constable::workspace {

namespace fs = std::filesystem;

namespace {

// .gitignore, info/exclude and gitdir files larger than this are not read.
constexpr std::uintmax_t kMaxIgnoreFileSize = 4ULL * 1024 * 1024;
// A README read only for its title.
constexpr std::uintmax_t kMaxReadmeSize = 1024ULL * 1024;

enum class ReadStatus { ok, absent, too_large, failed };

// Reads a small regular file without following a final symlink and without
// ever blocking on a FIFO or device. With `head`, stops once it has that
// many bytes of the file's start, and `*whole` says whether that was all.
ReadStatus read_small_file(const fs::path& path, std::uintmax_t limit, std::string& out,
                           std::size_t head = std::numeric_limits<std::size_t>::max(), bool* whole = nullptr) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return errno == ENOENT || errno == ENOTDIR ? ReadStatus::absent : ReadStatus::failed;
  struct stat st {};
  ReadStatus status = ReadStatus::ok;
  if (::fstat(fd, &st) != 0) {
    status = ReadStatus::failed;
  } else if (!S_ISREG(st.st_mode)) {
    status = ReadStatus::absent;
  } else if (static_cast<std::uintmax_t>(st.st_size) > limit) {
    status = ReadStatus::too_large;
  } else {
    out.clear();
    std::array<char, 65536> buffer{};
    bool at_end = false;
    while (out.size() <= limit && out.size() < head) {
      const ssize_t n = ::read(fd, buffer.data(), std::min(buffer.size(), head - out.size()));
      if (n < 0) {
        if (errno == EINTR) continue;
        status = ReadStatus::failed;
        break;
      }
      if (n == 0) {
        at_end = true;
        break;
      }
      out.append(buffer.data(), static_cast<std::size_t>(n));
    }
    if (out.size() > limit) status = ReadStatus::too_large;
    if (whole != nullptr) *whole = at_end || out.size() == static_cast<std::uintmax_t>(st.st_size);
  }
  ::close(fd);
  return status;
}

using files::human_size;

std::string size_note(std::uintmax_t size, std::uintmax_t limit) {
  std::string shown_size = human_size(size);
  std::string shown_limit = human_size(limit);
  if (shown_size == shown_limit) {
    shown_size = fmt::format("{} bytes", size);
    shown_limit = fmt::format("{} bytes", limit);
  }
  return fmt::format("skipped: {} exceeds the {} file size limit", shown_size, shown_limit);
}

std::string_view describe_special(fs::file_type type) {
  switch (type) {
    case fs::file_type::fifo: return "a FIFO";
    case fs::file_type::socket: return "a socket";
    case fs::file_type::block: return "a block device";
    case fs::file_type::character: return "a character device";
    default: return "of an unknown type";
  }
}

// Why a symlink deserves a note, or nullopt when it points inside the root
// (its target is scanned at its real path).
std::optional<std::string> symlink_note(const fs::path& link, const fs::path& root) {
  std::error_code ec;
  const fs::path target = fs::canonical(link, ec);
  if (ec) {
    if (ec == std::errc::too_many_symbolic_link_levels) return "symlink loop";
    if (ec == std::errc::no_such_file_or_directory || ec == std::errc::not_a_directory) return "broken symlink";
    return fmt::format("symlink not followed: cannot resolve it ({})", ec.message());
  }
  if (!files::is_within(root, target)) return "symlink not followed: points outside the repository";
  return std::nullopt;
}

// Rules of one directory level; lookups go from the deepest level up, so a
// deeper .gitignore overrides its parents, which override info/exclude.
struct Layer {
  std::shared_ptr<const Layer> parent;
  IgnoreRules rules;
};

// One directory's .gitattributes, chained to its parents' like Layer.
struct AttributeLayer {
  std::shared_ptr<const AttributeLayer> parent;
  AttributeRules rules;
};

// A directory entry's type as readdir gives it; unknown when the file
// system does not say (the caller then asks lstat).
fs::file_type type_of(unsigned char d_type) {
  switch (d_type) {
    case DT_REG: return fs::file_type::regular;
    case DT_DIR: return fs::file_type::directory;
    case DT_LNK: return fs::file_type::symlink;
    case DT_FIFO: return fs::file_type::fifo;
    case DT_SOCK: return fs::file_type::socket;
    case DT_CHR: return fs::file_type::character;
    case DT_BLK: return fs::file_type::block;
    default: return fs::file_type::unknown;
  }
}

fs::file_type type_of_mode(mode_t mode) {
  if (S_ISREG(mode)) return fs::file_type::regular;
  if (S_ISDIR(mode)) return fs::file_type::directory;
  if (S_ISLNK(mode)) return fs::file_type::symlink;
  if (S_ISFIFO(mode)) return fs::file_type::fifo;
  if (S_ISSOCK(mode)) return fs::file_type::socket;
  if (S_ISCHR(mode)) return fs::file_type::character;
  if (S_ISBLK(mode)) return fs::file_type::block;
  return fs::file_type::unknown;
}

std::optional<bool> layered_ignored(const Layer* layer, std::string_view path, bool is_directory) {
  for (; layer != nullptr; layer = layer->parent.get()) {
    if (auto verdict = layer->rules.ignored(path, is_directory)) return verdict;
  }
  return std::nullopt;
}

// The repository's common git directory, for info/exclude: `.git` itself, or
// where a `.git` file (worktrees, submodules) points, following `commondir`.
std::optional<fs::path> common_git_dir(const fs::path& root) {
  const fs::path dot_git = root / ".git";
  std::error_code ec;
  const auto st = fs::symlink_status(dot_git, ec);
  if (ec) return std::nullopt;
  fs::path git_dir;
  if (fs::is_directory(st)) {
    git_dir = dot_git;
  } else if (fs::is_regular_file(st)) {
    std::string content;
    if (read_small_file(dot_git, kMaxIgnoreFileSize, content) != ReadStatus::ok) return std::nullopt;
    for (const auto line : text::split_lines(content)) {
      if (line.starts_with("gitdir:")) {
        const fs::path target{std::string(text::trim(line.substr(7)))};
        git_dir = target.is_absolute() ? target : root / target;
        break;
      }
    }
    if (git_dir.empty()) return std::nullopt;
  } else {
    return std::nullopt;
  }
  std::string commondir;
  if (read_small_file(git_dir / "commondir", kMaxIgnoreFileSize, commondir) == ReadStatus::ok) {
    const fs::path common{std::string(text::trim(commondir))};
    if (!common.empty()) return common.is_absolute() ? common : git_dir / common;
  }
  return git_dir;
}

class Walker {
 public:
  Walker(fs::path root, const DiscoveryOptions& options)
      : root_(std::move(root)), options_(options), inclusion_(options.include) {
    for (const auto& glob : options_.exclude) {
      GlobPattern pattern;
      if (GlobPattern::parse(glob, "", pattern)) exclude_.add(std::move(pattern));
    }
  }

  Workspace run() {
    std::shared_ptr<const Layer> base;
    Found found;
    if (options_.respect_gitignore) {
      if (auto git_dir = common_git_dir(root_))
        base = load_layer(found, nullptr, *git_dir / "info" / "exclude", "", "");
    }
    keep(std::move(found));
    walk(base);
    std::sort(workspace_.files.begin(), workspace_.files.end(),
              [](const File& a, const File& b) { return a.path < b.path; });
    std::sort(workspace_.set_aside.begin(), workspace_.set_aside.end(),
              [](const SetAsideFile& a, const SetAsideFile& b) { return a.path < b.path; });
    std::sort(workspace_.notes.begin(), workspace_.notes.end());
    workspace_.notes.erase(std::unique(workspace_.notes.begin(), workspace_.notes.end()), workspace_.notes.end());
    workspace_.root = root_;
    mark_chart_templates(workspace_.files);
    workspace_.stack = detect_stack(workspace_.files);
    return std::move(workspace_);
  }

  // The single-file workspace: `name` inside root_.
  Workspace run_single(const std::string& name) {
    std::error_code ec;
    const fs::path absolute = root_ / name;
    const auto st = fs::status(absolute, ec);
    // A file named on the command line is judged whoever it belongs to.
    Found found;
    if (!ec) {
      add_file(found, absolute, name, st.type(), std::nullopt, nullptr,
               [&]() -> std::expected<files::StatSignature, std::error_code> {
                 struct stat stat_data {};
                 if (::stat(absolute.c_str(), &stat_data) != 0)
                   return std::unexpected(std::error_code(errno, std::generic_category()));
                 return files::signature_of(stat_data);
               });
    }
    keep(std::move(found));
    workspace_.root = root_;
    mark_chart_templates(workspace_.files);
    workspace_.stack = detect_stack(workspace_.files);
    return std::move(workspace_);
  }

 private:
  struct Pending {
    fs::path absolute;
    std::string relative;  // "" for the root
    std::shared_ptr<const Layer> layer;
    std::shared_ptr<const AttributeLayer> attributes;
    Provenance provenance = Provenance::project;  // what the directory's path says about its files
    bool under_tests = false;
  };

  // What one walking thread found; merged, and sorted, once the walk ends.
  struct Found {
    std::vector<File> files;
    std::vector<SetAsideFile> set_aside;
    std::vector<Note> notes;
  };

  static void note(Found& found, std::string path, std::string message) {
    found.notes.push_back(Note{path.empty() ? std::string(".") : std::move(path), std::move(message)});
  }

  void keep(Found&& found) {
    auto append = [](auto& to, auto& from) {
      if (to.empty()) to = std::move(from);
      else to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
    };
    append(workspace_.files, found.files);
    append(workspace_.set_aside, found.set_aside);
    append(workspace_.notes, found.notes);
  }

  // `parent` extended with the patterns of `file`, or `parent` if it has none.
  static std::shared_ptr<const Layer> load_layer(Found& found, std::shared_ptr<const Layer> parent,
                                                 const fs::path& file, const std::string& base,
                                                 const std::string& shown) {
    std::string content;
    switch (read_small_file(file, kMaxIgnoreFileSize, content)) {
      case ReadStatus::ok: break;
      case ReadStatus::absent: return parent;
      case ReadStatus::too_large:
        note(found, shown, fmt::format("ignore file not read: larger than {}", human_size(kMaxIgnoreFileSize)));
        return parent;
      case ReadStatus::failed: note(found, shown, "ignore file not read: cannot read it"); return parent;
    }
    auto layer = std::make_shared<Layer>();
    layer->parent = std::move(parent);
    layer->rules.add_lines(content, base);
    if (layer->rules.empty()) return layer->parent;
    return layer;
  }

  // `parent` extended with the linguist attributes of `file`, or `parent` if it sets none.
  static std::shared_ptr<const AttributeLayer> load_attributes(Found& found,
                                                               std::shared_ptr<const AttributeLayer> parent,
                                                               const fs::path& file, const std::string& base,
                                                               const std::string& shown) {
    std::string content;
    switch (read_small_file(file, kMaxIgnoreFileSize, content)) {
      case ReadStatus::ok: break;
      case ReadStatus::absent: return parent;
      case ReadStatus::too_large:
        note(found, shown,
             fmt::format("attributes file not read: larger than {}", human_size(kMaxIgnoreFileSize)));
        return parent;
      case ReadStatus::failed: note(found, shown, "attributes file not read: cannot read it"); return parent;
    }
    auto layer = std::make_shared<AttributeLayer>();
    layer->parent = std::move(parent);
    layer->rules.add_lines(content, base);
    if (layer->rules.empty()) return layer->parent;
    return layer;
  }

  // Whose file it is: its directory's verdict or its own name's, then the
  // linguist attributes, deepest .gitattributes first.
  static Provenance provenance_of(const std::string& relative, Provenance by_directory,
                                  const AttributeLayer* attributes) {
    Provenance by_path = by_directory;
    if (by_path == Provenance::project) {
      by_path = file_provenance(text::basename(relative));
      if (by_path == Provenance::project && is_documentation_snippet(relative))
        by_path = Provenance::documentation;
      if (by_path == Provenance::project && is_test_artifact(relative)) by_path = Provenance::fixture;
      // A file constable reads by name (a Dockerfile that is binary) is judged, and says why it cannot be.
      if (by_path == Provenance::binary && classify(relative) != FileKind::other) by_path = Provenance::project;
    }
    if (attributes == nullptr) return by_path;
    AttributeStates states{};
    for (; attributes != nullptr; attributes = attributes->parent.get()) attributes->rules.apply(relative, states);
    return resolve_provenance(by_path, states);
  }

  static bool is_readme(std::string_view name) {
    return text::iequals(name, "readme.md") || text::iequals(name, "readme") || text::iequals(name, "readme.markdown");
  }

  // Whether the directory's README presents it as a collection of examples.
  // Its title is near its start: the rest is read only when the start does
  // not decide it (a chart repository has a README of 100 KB in each chart).
  static bool titles_collection(const fs::path& readme) {
    constexpr std::size_t kHead = 16 * 1024;
    std::string content;
    bool whole = false;
    if (read_small_file(readme, kMaxReadmeSize, content, kHead, &whole) != ReadStatus::ok) return false;
    std::optional<std::string_view> title = readme_title(content, whole);
    if (!title) {
      if (read_small_file(readme, kMaxReadmeSize, content) != ReadStatus::ok) return false;
      title = readme_title(content);
    }
    return names_a_collection_of_examples(*title);
  }

  // The subdirectories of a collection of examples are examples, except
  // hidden ones (.github) and its documentation.
  static bool holds_examples(std::string_view name) {
    return !name.starts_with('.') && name != "docs" && name != "doc";
  }

  bool ignored(const Layer* layer, const std::string& path, bool is_directory) const {
    if (exclude_.ignored(path, is_directory).value_or(false)) return true;
    return layered_ignored(layer, path, is_directory).value_or(false);
  }

  // `by_directory` is nullopt for a file judged whatever its provenance.
  // `by_directory` is nullopt for a file judged whatever its provenance;
  // `stat_of()` (its size, times and identity) is asked only for a file kept.
  template <typename StatOf>
  void add_file(Found& found, fs::path absolute, std::string relative, fs::file_type type,
                std::optional<Provenance> by_directory, const AttributeLayer* attributes, StatOf&& stat_of) const {
    switch (type) {
      case fs::file_type::regular: {
        if (const Provenance provenance =
                by_directory ? provenance_of(relative, *by_directory, attributes) : Provenance::project;
            !inclusion_.includes(provenance, relative)) {
          found.set_aside.push_back(SetAsideFile{relative, provenance});
          return;
        }
        const std::expected<files::StatSignature, std::error_code> stat = stat_of();
        if (!stat) {
          if (stat.error() == std::errc::no_such_file_or_directory) return;  // vanished during the walk
          note(found, relative, fmt::format("skipped: cannot read its size ({})", stat.error().message()));
          return;
        }
        if (stat->size > options_.max_file_size) {
          note(found, relative, size_note(stat->size, options_.max_file_size));
          return;
        }
        const FileKind kind = classify(relative);
        found.files.push_back(File{std::move(relative), std::move(absolute), stat->size, kind, std::nullopt, *stat});
        return;
      }
      case fs::file_type::symlink:
        if (auto message = symlink_note(absolute, root_)) note(found, relative, std::move(*message));
        return;
      case fs::file_type::not_found:
      case fs::file_type::none: return;  // vanished during the walk
      default:
        note(found, relative, fmt::format("skipped: not a regular file ({})", describe_special(type)));
        return;
    }
  }

  // Directories are listed by `options_.jobs` threads (a large repository
  // has thousands; each is a few system calls), each taking the next from a
  // shared list; what they find is sorted afterwards, so the order in which
  // they found it never shows.
  void walk(std::shared_ptr<const Layer> base) {
    std::vector<Pending> queue;
    queue.push_back(Pending{root_, "", std::move(base), nullptr});
    std::mutex mutex;
    std::condition_variable changed;
    unsigned busy = 0;
    std::exception_ptr failure;  // the first a thread met: the walk stops, and it is rethrown here
    auto work = [&](Found& found) {
      std::vector<Pending> subdirectories;
      std::unique_lock lock(mutex);
      while (true) {
        changed.wait(lock, [&] { return !queue.empty() || busy == 0; });
        if (queue.empty()) return;  // and no one is listing a directory that could add to it
        Pending dir = std::move(queue.back());
        queue.pop_back();
        ++busy;
        lock.unlock();
        std::exception_ptr thrown;
        try {
          list_directory(found, dir, subdirectories);
        } catch (...) {
          thrown = std::current_exception();
        }
        lock.lock();
        --busy;
        if (thrown) {
          if (!failure) failure = thrown;
          queue.clear();
          subdirectories.clear();
        }
        for (auto& subdirectory : subdirectories) queue.push_back(std::move(subdirectory));
        subdirectories.clear();
        changed.notify_all();
      }
    };
    // Alone until the walk branches (the root, often a single `src/` below
    // it): a repository of one directory needs no thread.
    Found found;
    while (queue.size() == 1) {
      Pending only = std::move(queue.back());
      queue.pop_back();
      list_directory(found, only, queue);
    }
    const unsigned jobs = options_.jobs != 0 ? options_.jobs : std::max(1u, std::thread::hardware_concurrency());
    std::vector<Found> found_by_helpers(queue.size() > 1 ? jobs - 1 : 0);
    {
      std::vector<std::jthread> helpers;
      try {
        for (Found& helper_found : found_by_helpers) helpers.emplace_back([&] { work(helper_found); });
      } catch (const std::system_error&) {
        // No more threads to be had (a container's process limit): the walk needs none.
      }
      work(found);
    }
    if (failure) std::rethrow_exception(failure);
    keep(std::move(found));
    for (Found& helper_found : found_by_helpers) keep(std::move(helper_found));
  }

  // One directory: its files into `found`, its subdirectories to walk into
  // `subdirectories`. Read with the directory's descriptor (names looked up
  // in it, not from the root again), never following a symlink.
  void list_directory(Found& found, const Pending& dir, std::vector<Pending>& subdirectories) const {
    auto error_of = [](int number) { return std::error_code(number, std::generic_category()); };
    const int descriptor = ::open(dir.absolute.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (descriptor < 0) {
      note(found, dir.relative, fmt::format("skipped: cannot read directory ({})", error_of(errno).message()));
      return;
    }
    struct Closing {
      int descriptor;
      ~Closing() { ::close(descriptor); }
    } const closing{descriptor};
    // The listing first: a directory's .gitignore and .gitattributes are
    // opened only when it has them (most have neither, and a failed open
    // per directory is a measurable share of discovery).
    struct Entry {
      std::string name;
      unsigned char type;  // the listing's d_type
    };
    std::vector<Entry> entries;
    bool has_gitignore = false;
    bool has_gitattributes = false;
    std::optional<fs::path> readme;
    // Listed with getdents64 into a buffer on the stack: opendir's own
    // stat, fcntl and 32 KB buffer per directory were 8% of discovery.
    alignas(struct dirent64) std::array<char, 32768> buffer;
    while (true) {
      const ssize_t filled = ::getdents64(descriptor, buffer.data(), buffer.size());
      if (filled < 0) {
        if (errno == EINTR) continue;
        note(found, dir.relative, fmt::format("directory listing incomplete ({})", error_of(errno).message()));
        break;
      }
      if (filled == 0) break;
      for (std::size_t at = 0; at < static_cast<std::size_t>(filled);) {
        const auto* entry = reinterpret_cast<const struct dirent64*>(buffer.data() + at);
        if (entry->d_reclen == 0) break;  // never from the kernel; a loop forever if it were
        at += entry->d_reclen;
        const std::string_view name = entry->d_name;
        if (name == "." || name == "..") continue;
        has_gitignore = has_gitignore || name == ".gitignore";
        has_gitattributes = has_gitattributes || name == ".gitattributes";
        if (!readme && is_readme(name)) readme = dir.absolute / name;
        entries.push_back(Entry{std::string(name), entry->d_type});
      }
    }
    std::shared_ptr<const Layer> layer = dir.layer;
    if (options_.respect_gitignore && has_gitignore) {
      const std::string shown = dir.relative.empty() ? ".gitignore" : dir.relative + "/.gitignore";
      layer = load_layer(found, layer, dir.absolute / ".gitignore", dir.relative, shown);
    }
    std::shared_ptr<const AttributeLayer> attributes = dir.attributes;
    if (has_gitattributes) {
      attributes = load_attributes(found, attributes, dir.absolute / ".gitattributes", dir.relative,
                                   dir.relative.empty() ? ".gitattributes" : dir.relative + "/.gitattributes");
    }
    const bool collection = dir.provenance == Provenance::project && readme && titles_collection(*readme);
    for (Entry& entry : entries) {
      if (entry.name == ".git") continue;
      std::string relative = dir.relative.empty() ? entry.name : dir.relative + "/" + entry.name;
      fs::file_type type = type_of(entry.type);
      if (type == fs::file_type::unknown) {  // the file system does not say: ask
        struct stat st {};
        if (::fstatat(descriptor, entry.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
          if (errno != ENOENT)
            note(found, relative, fmt::format("skipped: cannot inspect it ({})", error_of(errno).message()));
          continue;
        }
        type = type_of_mode(st.st_mode);
      }
      const bool is_directory = type == fs::file_type::directory;
      if (ignored(layer.get(), relative, is_directory)) continue;
      fs::path absolute = dir.absolute / entry.name;
      if (is_directory) {
        Provenance provenance =
            directory_provenance(entry.name, dir.provenance, dir.under_tests, dir.relative.empty());
        if (collection && provenance == Provenance::project && holds_examples(entry.name))
          provenance = Provenance::fixture;
        const bool under_tests = dir.under_tests || is_test_directory(entry.name);
        subdirectories.push_back(
            Pending{std::move(absolute), std::move(relative), layer, attributes, provenance, under_tests});
        continue;
      }
      add_file(found, std::move(absolute), std::move(relative), type, dir.provenance, attributes.get(),
               [&]() -> std::expected<files::StatSignature, std::error_code> {
                 struct stat st {};
                 if (::fstatat(descriptor, entry.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
                   return std::unexpected(error_of(errno));
                 // Replaced since it was listed: as if it had gone.
                 if (!S_ISREG(st.st_mode)) return std::unexpected(error_of(ENOENT));
                 return files::signature_of(st);
               });
    }
  }

  fs::path root_;
  const DiscoveryOptions& options_;
  Inclusion inclusion_;
  IgnoreRules exclude_;
  Workspace workspace_;
};

}  // namespace

ProvenanceCounts Workspace::set_aside_counts() const {
  ProvenanceCounts counts{};
  for (const auto& file : set_aside) ++counts[static_cast<std::size_t>(file.provenance)];
  return counts;
}

bool Workspace::is_set_aside(std::string_view path) const {
  const auto it = std::lower_bound(set_aside.begin(), set_aside.end(), path,
                                   [](const SetAsideFile& file, std::string_view p) { return file.path < p; });
  return it != set_aside.end() && it->path == path;
}

Result<Workspace> discover(const fs::path& root, const DiscoveryOptions& options) {
  std::error_code ec;
  const auto st = fs::status(root, ec);
  if (ec || !fs::exists(st)) {
    if (ec && ec != std::errc::no_such_file_or_directory && ec != std::errc::not_a_directory) {
      return fail(fmt::format("cannot access the workspace: {}", ec.message()), root.string());
    }
    return fail("the workspace does not exist", root.string());
  }
  const fs::path canonical = fs::canonical(root, ec);
  if (ec) return fail(fmt::format("cannot resolve the workspace: {}", ec.message()), root.string());
  if (fs::is_directory(st)) return Walker(canonical, options).run();
  return Walker(canonical.parent_path(), options).run_single(canonical.filename().string());
}

}  // namespace constable::workspace
