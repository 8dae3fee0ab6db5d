// Walks the repository: .gitignore files at every level, .git/info/exclude,
// exclude globs; never follows symlinks, never opens special files.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
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
// ever blocking on a FIFO or device.
ReadStatus read_small_file(const fs::path& path, std::uintmax_t limit, std::string& out) {
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
    while (out.size() <= limit) {
      const ssize_t n = ::read(fd, buffer.data(), buffer.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        status = ReadStatus::failed;
        break;
      }
      if (n == 0) break;
      out.append(buffer.data(), static_cast<std::size_t>(n));
    }
    if (out.size() > limit) status = ReadStatus::too_large;
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

// The entry's own type (symlinks not followed). libstdc++ caches readdir's
// d_type for these queries, so on most file systems this costs no stat call,
// unlike directory_entry::symlink_status().
fs::file_type own_type(const fs::directory_entry& entry, std::error_code& ec) {
  if (entry.is_symlink(ec)) return fs::file_type::symlink;
  if (ec) return fs::file_type::none;
  if (entry.is_directory(ec)) return fs::file_type::directory;
  if (!ec && entry.is_regular_file(ec)) return fs::file_type::regular;
  if (ec) return fs::file_type::none;
  return entry.symlink_status(ec).type();
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
    if (options_.respect_gitignore) {
      if (auto git_dir = common_git_dir(root_)) base = load_layer(nullptr, *git_dir / "info" / "exclude", "", "");
    }
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
    if (!ec) add_file(absolute, name, st, std::nullopt, nullptr);
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

  void note(std::string path, std::string message) {
    workspace_.notes.push_back(Note{path.empty() ? std::string(".") : std::move(path), std::move(message)});
  }

  // `parent` extended with the patterns of `file`, or `parent` if it has none.
  std::shared_ptr<const Layer> load_layer(std::shared_ptr<const Layer> parent, const fs::path& file,
                                          const std::string& base, const std::string& shown) {
    std::string content;
    switch (read_small_file(file, kMaxIgnoreFileSize, content)) {
      case ReadStatus::ok: break;
      case ReadStatus::absent: return parent;
      case ReadStatus::too_large:
        note(shown, fmt::format("ignore file not read: larger than {}", human_size(kMaxIgnoreFileSize)));
        return parent;
      case ReadStatus::failed: note(shown, "ignore file not read: cannot read it"); return parent;
    }
    auto layer = std::make_shared<Layer>();
    layer->parent = std::move(parent);
    layer->rules.add_lines(content, base);
    if (layer->rules.empty()) return layer->parent;
    return layer;
  }

  // `parent` extended with the linguist attributes of `file`, or `parent` if it sets none.
  std::shared_ptr<const AttributeLayer> load_attributes(std::shared_ptr<const AttributeLayer> parent,
                                                        const fs::path& file, const std::string& base,
                                                        const std::string& shown) {
    std::string content;
    switch (read_small_file(file, kMaxIgnoreFileSize, content)) {
      case ReadStatus::ok: break;
      case ReadStatus::absent: return parent;
      case ReadStatus::too_large:
        note(shown, fmt::format("attributes file not read: larger than {}", human_size(kMaxIgnoreFileSize)));
        return parent;
      case ReadStatus::failed: note(shown, "attributes file not read: cannot read it"); return parent;
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

  static bool is_readme(const std::string& name) {
    const std::string lower = text::to_lower(name);
    return lower == "readme.md" || lower == "readme" || lower == "readme.markdown";
  }

  // Whether the directory's README presents it as a collection of examples.
  static bool titles_collection(const fs::path& readme) {
    std::string content;
    return read_small_file(readme, kMaxReadmeSize, content) == ReadStatus::ok &&
           titles_a_collection_of_examples(content);
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
  void add_file(const fs::path& absolute, const std::string& relative, const fs::file_status& st,
                std::optional<Provenance> by_directory, const AttributeLayer* attributes) {
    std::error_code ec;
    switch (st.type()) {
      case fs::file_type::regular: {
        if (const Provenance provenance =
                by_directory ? provenance_of(relative, *by_directory, attributes) : Provenance::project;
            !inclusion_.includes(provenance, relative)) {
          workspace_.set_aside.push_back(SetAsideFile{relative, provenance});
          return;
        }
        const auto size = fs::file_size(absolute, ec);
        if (ec) {
          note(relative, fmt::format("skipped: cannot read its size ({})", ec.message()));
          return;
        }
        if (size > options_.max_file_size) {
          note(relative, size_note(size, options_.max_file_size));
          return;
        }
        workspace_.files.push_back(File{relative, absolute, size, classify(relative)});
        return;
      }
      case fs::file_type::symlink:
        if (auto message = symlink_note(absolute, root_)) note(relative, std::move(*message));
        return;
      case fs::file_type::not_found:
      case fs::file_type::none: return;  // vanished during the walk
      default:
        note(relative, fmt::format("skipped: not a regular file ({})", describe_special(st.type())));
        return;
    }
  }

  void walk(std::shared_ptr<const Layer> base) {
    std::vector<Pending> pending;
    pending.push_back(Pending{root_, "", std::move(base), nullptr});
    while (!pending.empty()) {
      Pending dir = std::move(pending.back());
      pending.pop_back();
      std::error_code ec;
      fs::directory_iterator it(dir.absolute, ec);
      if (ec) {
        note(dir.relative, fmt::format("skipped: cannot read directory ({})", ec.message()));
        continue;
      }
      // The listing first: a directory's .gitignore and .gitattributes are
      // opened only when it has them (most have neither, and a failed open
      // per directory is a measurable share of discovery).
      std::vector<fs::directory_entry> entries;
      bool has_gitignore = false;
      bool has_gitattributes = false;
      std::optional<fs::path> readme;
      for (const fs::directory_iterator end; it != end;) {
        const auto name = it->path().filename();
        has_gitignore = has_gitignore || name == ".gitignore";
        has_gitattributes = has_gitattributes || name == ".gitattributes";
        if (!readme && is_readme(name.string())) readme = it->path();
        entries.push_back(*it);
        it.increment(ec);
        if (ec) {
          note(dir.relative, fmt::format("directory listing incomplete ({})", ec.message()));
          break;
        }
      }
      std::shared_ptr<const Layer> layer = dir.layer;
      if (options_.respect_gitignore && has_gitignore) {
        const std::string shown = dir.relative.empty() ? ".gitignore" : dir.relative + "/.gitignore";
        layer = load_layer(layer, dir.absolute / ".gitignore", dir.relative, shown);
      }
      std::shared_ptr<const AttributeLayer> attributes = dir.attributes;
      if (has_gitattributes) {
        attributes = load_attributes(attributes, dir.absolute / ".gitattributes", dir.relative,
                                     dir.relative.empty() ? ".gitattributes" : dir.relative + "/.gitattributes");
      }
      const bool collection = dir.provenance == Provenance::project && readme && titles_collection(*readme);
      for (const fs::directory_entry& entry : entries) {
        std::string name = entry.path().filename().string();
        if (name == ".git" || name.empty()) continue;
        std::string relative = dir.relative.empty() ? name : dir.relative + "/" + name;
        std::error_code status_ec;
        const fs::file_status st{own_type(entry, status_ec)};
        if (status_ec) {
          if (status_ec != std::errc::no_such_file_or_directory) {
            note(relative, fmt::format("skipped: cannot inspect it ({})", status_ec.message()));
          }
          continue;
        }
        const bool is_directory = st.type() == fs::file_type::directory;
        if (ignored(layer.get(), relative, is_directory)) continue;
        if (is_directory) {
          Provenance provenance = directory_provenance(name, dir.provenance, dir.under_tests, dir.relative.empty());
          if (collection && provenance == Provenance::project && holds_examples(name)) provenance = Provenance::fixture;
          const bool under_tests = dir.under_tests || is_test_directory(name);
          pending.push_back(Pending{entry.path(), std::move(relative), layer, attributes, provenance, under_tests});
        } else {
          add_file(entry.path(), relative, st, dir.provenance, attributes.get());
        }
      }
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
