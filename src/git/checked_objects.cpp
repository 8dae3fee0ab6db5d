#include "git/checked_objects.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <git2/sys/odb_backend.h>
#include <git2/sys/repository.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <fmt/format.h>

#include "core/files.hpp"
#include "core/text.hpp"
#include "git/libgit2_handles.hpp"

namespace constable::git::detail {

namespace {

// "commit 18446744073709551615\0" fits; a longer header is damage.
constexpr std::size_t kMaxHeaderBytes = 32;
// Deflate cannot expand data more than about 1032 times: a header claiming
// more than that of its file is damage (and must not drive an allocation).
constexpr std::uintmax_t kMaxInflateRatio = 1032;

struct CheckedLoose {
  git_odb_backend parent;  // first: libgit2 hands &parent back to the callbacks
  std::string objects_dir;
};
static_assert(std::is_standard_layout_v<CheckedLoose>);

const CheckedLoose& self(const git_odb_backend* backend) { return *reinterpret_cast<const CheckedLoose*>(backend); }

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

struct LooseObject {
  git_object_t type = GIT_OBJECT_INVALID;
  std::size_t size = 0;
  std::string data;
};

enum class Outcome { ok, absent, damaged };

std::optional<LooseObject> parse_header(std::string_view header) {
  const std::size_t space = header.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  const std::string_view name = header.substr(0, space);
  const std::string_view digits = header.substr(space + 1);
  LooseObject object;
  if (name == "commit") object.type = GIT_OBJECT_COMMIT;
  else if (name == "tree") object.type = GIT_OBJECT_TREE;
  else if (name == "blob") object.type = GIT_OBJECT_BLOB;
  else if (name == "tag") object.type = GIT_OBJECT_TAG;
  else return std::nullopt;
  const auto parsed = std::from_chars(digits.data(), digits.data() + digits.size(), object.size);
  if (digits.empty() || parsed.ec != std::errc() || parsed.ptr != digits.data() + digits.size()) return std::nullopt;
  return object;
}

// Reads the loose object file at `path`, inflating as it reads: its type and
// size, and its content unless `header_only`. Never trusts the file: every
// inconsistency is `damaged` with the reason in `why`.
Outcome inflate_loose(const std::string& path, bool header_only, LooseObject& out, std::string& why) {
  // O_NONBLOCK: a FIFO in place of the file must not block open().
  const Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK));
  if (fd.get() < 0) {
    if (errno == ENOENT || errno == ENOTDIR) return Outcome::absent;
    why = std::strerror(errno);
    return Outcome::damaged;
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
    why = "not a regular file";
    return Outcome::damaged;
  }
  z_stream z{};
  if (inflateInit(&z) != Z_OK) {
    why = "cannot start zlib";
    return Outcome::damaged;
  }
  struct End {
    z_stream& z;
    ~End() { inflateEnd(&z); }
  } end{z};

  std::array<unsigned char, 64 * 1024> input{};
  std::array<unsigned char, 64 * 1024> output{};
  std::string header;
  bool have_header = false;
  bool eof = false;
  for (;;) {
    if (z.avail_in == 0 && !eof) {
      const ssize_t n = ::read(fd.get(), input.data(), input.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        why = std::strerror(errno);
        return Outcome::damaged;
      }
      eof = n == 0;
      z.next_in = input.data();
      z.avail_in = static_cast<uInt>(n);
    }
    z.next_out = output.data();
    z.avail_out = static_cast<uInt>(output.size());
    const uInt input_before = z.avail_in;
    const int rc = inflate(&z, Z_NO_FLUSH);
    const std::size_t produced = output.size() - z.avail_out;
    if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
      why = z.msg != nullptr ? z.msg : "invalid zlib stream";
      return Outcome::damaged;
    }
    // No progress at all: input ran out before the stream ended (the loop
    // libgit2 1.5 never leaves).
    if (rc != Z_STREAM_END && produced == 0 && z.avail_in == input_before) {
      why = eof ? "truncated" : "invalid zlib stream";
      return Outcome::damaged;
    }
    std::string_view chunk(reinterpret_cast<const char*>(output.data()), produced);
    if (!have_header && !chunk.empty()) {
      const std::size_t nul = chunk.find('\0');
      header.append(chunk.substr(0, nul));
      if (header.size() > kMaxHeaderBytes) {
        why = "invalid header";
        return Outcome::damaged;
      }
      if (nul != std::string_view::npos) {
        auto parsed = parse_header(header);
        if (!parsed) {
          why = "invalid header";
          return Outcome::damaged;
        }
        if (parsed->size / kMaxInflateRatio > static_cast<std::uintmax_t>(st.st_size)) {
          why = fmt::format("its header claims {} bytes, more than its {}-byte file can hold", parsed->size,
                            st.st_size);
          return Outcome::damaged;
        }
        out = std::move(*parsed);
        have_header = true;
        if (header_only) return Outcome::ok;
        out.data.reserve(std::min<std::size_t>(out.size, 64u << 20));
        chunk.remove_prefix(nul + 1);
      }
    }
    if (have_header) {
      if (out.data.size() + chunk.size() > out.size) {
        why = "longer than its header says";
        return Outcome::damaged;
      }
      out.data.append(chunk);
    }
    if (rc == Z_STREAM_END) break;
  }
  if (!have_header) {
    why = "invalid header";
    return Outcome::damaged;
  }
  if (out.data.size() != out.size) {
    why = "shorter than its header says";
    return Outcome::damaged;
  }
  return Outcome::ok;
}

std::string loose_path(const CheckedLoose& backend, std::string_view hex) {
  return fmt::format("{}/{}/{}", backend.objects_dir, hex.substr(0, 2), hex.substr(2));
}

int damaged(std::string_view hex, std::string_view why) {
  git_error_set_str(GIT_ERROR_ODB, fmt::format("corrupt loose object {}: {}", hex, why).c_str());
  return GIT_ERROR;
}

// Runs a callback body; nothing may be thrown back into libgit2.
template <class F>
int guarded_callback(F&& body) {
  try {
    return body();
  } catch (...) {
    git_error_set_str(GIT_ERROR_NOMEMORY, "out of memory reading a loose object");
    return GIT_ERROR;
  }
}

int read_into(void** data, std::size_t* length, git_object_t* type, git_odb_backend* backend, std::string_view hex) {
  LooseObject object;
  std::string why;
  switch (inflate_loose(loose_path(self(backend), hex), false, object, why)) {
    case Outcome::absent: return GIT_ENOTFOUND;
    case Outcome::damaged: return damaged(hex, why);
    case Outcome::ok: break;
  }
  auto* buffer = static_cast<char*>(git_odb_backend_data_alloc(backend, object.size + 1));
  if (buffer == nullptr) return damaged(hex, "out of memory");
  std::memcpy(buffer, object.data.data(), object.size);
  buffer[object.size] = '\0';
  *data = buffer;
  *length = object.size;
  *type = object.type;
  return 0;
}

int read_object(void** data, std::size_t* length, git_object_t* type, git_odb_backend* backend, const git_oid* id) {
  return guarded_callback([&] { return read_into(data, length, type, backend, to_hex(*id)); });
}

int read_header(std::size_t* length, git_object_t* type, git_odb_backend* backend, const git_oid* id) {
  return guarded_callback([&] {
    const std::string hex = to_hex(*id);
    LooseObject object;
    std::string why;
    switch (inflate_loose(loose_path(self(backend), hex), true, object, why)) {
      case Outcome::absent: return static_cast<int>(GIT_ENOTFOUND);
      case Outcome::damaged: return damaged(hex, why);
      case Outcome::ok: break;
    }
    *length = object.size;
    *type = object.type;
    return 0;
  });
}

bool is_hex_name(std::string_view name) {
  return name.size() == GIT_OID_HEXSZ - 2 &&
         name.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

// The loose objects whose ids start with the first `hex_length` digits of `prefix`.
std::vector<std::string> matching_ids(const CheckedLoose& backend, const git_oid* prefix, std::size_t hex_length) {
  const std::string wanted = to_hex(*prefix).substr(0, std::min<std::size_t>(hex_length, GIT_OID_HEXSZ));
  std::vector<std::string> ids;
  if (wanted.size() < 2) return ids;
  const std::string dir = fmt::format("{}/{}", backend.objects_dir, wanted.substr(0, 2));
  DIR* raw = ::opendir(dir.c_str());
  if (raw == nullptr) return ids;
  for (const dirent* entry = ::readdir(raw); entry != nullptr; entry = ::readdir(raw)) {
    const std::string_view name(entry->d_name);
    if (is_hex_name(name) && name.starts_with(std::string_view(wanted).substr(2)))
      ids.push_back(wanted.substr(0, 2) + std::string(name));
  }
  ::closedir(raw);
  return ids;
}

int unique_id(const std::vector<std::string>& ids, git_oid* out) {
  if (ids.empty()) return GIT_ENOTFOUND;
  if (ids.size() > 1) {
    git_error_set_str(GIT_ERROR_ODB, "ambiguous object id prefix among loose objects");
    return GIT_EAMBIGUOUS;
  }
  return git_oid_fromstr(out, ids.front().c_str());
}

int read_prefix(git_oid* out_id, void** data, std::size_t* length, git_object_t* type, git_odb_backend* backend,
                const git_oid* prefix, std::size_t hex_length) {
  return guarded_callback([&] {
    const int found = unique_id(matching_ids(self(backend), prefix, hex_length), out_id);
    if (found != 0) return found;
    return read_into(data, length, type, backend, to_hex(*out_id));
  });
}

int exists(git_odb_backend* backend, const git_oid* id) {
  return guarded_callback([&] {
    struct stat st {};
    return ::lstat(loose_path(self(backend), to_hex(*id)).c_str(), &st) == 0 && S_ISREG(st.st_mode) ? 1 : 0;
  });
}

int exists_prefix(git_oid* out_id, git_odb_backend* backend, const git_oid* prefix, std::size_t hex_length) {
  return guarded_callback([&] { return unique_id(matching_ids(self(backend), prefix, hex_length), out_id); });
}

void free_backend(git_odb_backend* backend) { delete reinterpret_cast<CheckedLoose*>(backend); }

// Alternate object directories listed in objects/info/alternates, as libgit2 reads them.
std::vector<std::string> alternates(const std::string& objects_dir) {
  std::vector<std::string> out;
  const auto content = files::read(objects_dir + "/info/alternates", {.max_size = 64 * 1024});
  if (!content) return out;
  for (const std::string_view line : text::split_lines(*content)) {
    const std::string_view entry = text::trim(line);
    if (entry.empty() || entry.front() == '#') continue;
    out.push_back(entry.front() == '/' ? std::string(entry) : objects_dir + "/" + std::string(entry));
  }
  return out;
}

}  // namespace

Result<void> use_checked_objects(git_repository* repo) {
  git_buf path = GIT_BUF_INIT;
  if (git_repository_item_path(&path, repo, GIT_REPOSITORY_ITEM_OBJECTS) != 0)
    return std::unexpected(last_error("cannot locate the object database"));
  std::string objects_dir(path.ptr != nullptr ? path.ptr : "");
  git_buf_dispose(&path);
  while (objects_dir.size() > 1 && objects_dir.back() == '/') objects_dir.pop_back();

  git_odb* raw = nullptr;
  if (git_odb_new(&raw) != 0) return std::unexpected(last_error("cannot create an object database"));
  OdbPtr odb(raw);
  // Packs first, then loose objects, then alternates: libgit2's own order.
  git_odb_backend* packs = nullptr;
  if (git_odb_backend_pack(&packs, objects_dir.c_str()) != 0) return std::unexpected(last_error("cannot read packs"));
  if (git_odb_add_backend(odb.get(), packs, 2) != 0) {
    packs->free(packs);
    return std::unexpected(last_error("cannot read packs"));
  }
  auto* loose = new CheckedLoose{};
  git_odb_init_backend(&loose->parent, GIT_ODB_BACKEND_VERSION);
  loose->objects_dir = objects_dir;
  loose->parent.read = read_object;
  loose->parent.read_header = read_header;
  loose->parent.read_prefix = read_prefix;
  loose->parent.exists = exists;
  loose->parent.exists_prefix = exists_prefix;
  loose->parent.free = free_backend;
  if (git_odb_add_backend(odb.get(), &loose->parent, 1) != 0) {
    delete loose;
    return std::unexpected(last_error("cannot read loose objects"));
  }
  // A missing alternate only makes its objects unreadable, reported where they are needed.
  for (const std::string& alternate : alternates(objects_dir))
    (void)git_odb_add_disk_alternate(odb.get(), alternate.c_str());
  if (git_repository_set_odb(repo, odb.get()) != 0)
    return std::unexpected(last_error("cannot use the object database"));
  return {};
}

}  // namespace constable::git::detail
