// Benchmarks of the git layer's history walk (every blob ever reachable, as
// the history secret scan uses it) on a synthetic 10,000-commit repository.
//
// The repository is built with libgit2 directly and deterministically: 200
// files in 10 directories; every commit rewrites 1-3 of them; commit 2,500
// adds a line with a fake token to one file and commit 7,500 removes it. The
// objects are written to an in-memory pack and indexed once, as a cloned
// repository would be. It is built once and cached under
// /tmp/constable-bench-history-10000-v2 (delete the directory to rebuild).

#include <benchmark/benchmark.h>
#include <git2/sys/commit.h>
#include <git2/sys/mempack.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "git/libgit2_handles.hpp"
#include "git/repository.hpp"

namespace {

namespace fs = std::filesystem;
using namespace constable;
using namespace constable::git::detail;

constexpr int kCommits = 10000;
constexpr int kDirectories = 10;
constexpr int kFilesPerDirectory = 20;
constexpr int kTokenAdded = 2500;
constexpr int kTokenRemoved = 7500;
constexpr std::int64_t kStartTime = 1600000000;
constexpr const char* kCompleteMarker = "constable-bench-complete";

void check(int rc, const char* what) {
  if (rc != 0) throw std::runtime_error(last_error(what).message);
}

// A small deterministic generator (splitmix64).
struct Random {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  int below(int n) { return static_cast<int>(next() % static_cast<std::uint64_t>(n)); }
};

std::string file_content(int file, int version, bool with_token) {
  std::string out = "# file " + std::to_string(file) + "\n";
  const int lines = 5 + (file % 11);
  for (int line = 0; line < lines; ++line) {
    out += "setting_" + std::to_string(line) + " = " + std::to_string((file * 31 + line * 7 + version) % 1000) + "\n";
  }
  out += "version = " + std::to_string(version) + "\n";
  // A real-format key (AWS's documented AKIA...EXAMPLE is a placeholder the scanner rightly ignores).
  if (with_token) out += "aws_access_key_id = " + std::string("AK") + "IAQ3EGRTSWM5LZJ7HX\n";
  return out;
}

std::string file_name(int index) {
  char name[32];
  std::snprintf(name, sizeof name, "file%03d.txt", index % kFilesPerDirectory);
  return name;
}
std::string dir_name(int directory) {
  char name[32];
  std::snprintf(name, sizeof name, "module%02d", directory);
  return name;
}

// Builds the repository (bare) at `dir`.
void build_history(const fs::path& dir) {
  ensure_libgit2();
  git_repository_init_options init;
  git_repository_init_options_init(&init, GIT_REPOSITORY_INIT_OPTIONS_VERSION);
  init.flags = GIT_REPOSITORY_INIT_MKPATH | GIT_REPOSITORY_INIT_BARE;
  init.initial_head = "main";
  git_repository* repo_raw = nullptr;
  check(git_repository_init_ext(&repo_raw, dir.c_str(), &init), "init");
  RepositoryPtr repo(repo_raw);

  git_odb* odb_raw = nullptr;
  check(git_repository_odb(&odb_raw, repo.get()), "odb");
  OdbPtr odb(odb_raw);
  git_odb_backend* mempack = nullptr;  // owned by the odb once added
  check(git_mempack_new(&mempack), "mempack");
  check(git_odb_add_backend(odb.get(), mempack, 1000), "add mempack");

  constexpr int kFiles = kDirectories * kFilesPerDirectory;
  std::array<int, kFiles> versions{};
  std::array<git_oid, kFiles> blobs{};
  std::array<git_oid, kDirectories> directory_trees{};
  std::array<bool, kDirectories> dirty{};
  int token_file = 17;
  bool token_present = false;

  auto write_blob = [&](int file) {
    const std::string content = file_content(file, versions[file], token_present && file == token_file);
    check(git_blob_create_from_buffer(&blobs[file], repo.get(), content.data(), content.size()), "blob");
    dirty[file / kFilesPerDirectory] = true;
  };
  auto write_trees = [&]() -> git_oid {
    for (int d = 0; d < kDirectories; ++d) {
      if (!dirty[d]) continue;
      git_treebuilder* raw = nullptr;
      check(git_treebuilder_new(&raw, repo.get(), nullptr), "treebuilder");
      TreeBuilderPtr builder(raw);
      for (int f = 0; f < kFilesPerDirectory; ++f) {
        const int file = d * kFilesPerDirectory + f;
        check(git_treebuilder_insert(nullptr, builder.get(), file_name(file).c_str(), &blobs[file], GIT_FILEMODE_BLOB),
              "insert");
      }
      check(git_treebuilder_write(&directory_trees[d], builder.get()), "write tree");
      dirty[d] = false;
    }
    git_treebuilder* raw = nullptr;
    check(git_treebuilder_new(&raw, repo.get(), nullptr), "treebuilder");
    TreeBuilderPtr root(raw);
    for (int d = 0; d < kDirectories; ++d) {
      check(git_treebuilder_insert(nullptr, root.get(), dir_name(d).c_str(), &directory_trees[d], GIT_FILEMODE_TREE),
            "insert");
    }
    git_oid oid{};
    check(git_treebuilder_write(&oid, root.get()), "write root");
    return oid;
  };

  for (int file = 0; file < kFiles; ++file) write_blob(file);
  Random random{42};
  git_oid parent{};
  for (int i = 1; i <= kCommits; ++i) {
    std::string message;
    if (i == kTokenAdded || i == kTokenRemoved) {
      token_present = i == kTokenAdded;
      ++versions[token_file];
      write_blob(token_file);
      message = token_present ? "feat: configure the uploader" : "fix: remove the leaked key";
    } else if (i > 1) {
      const int changes = 1 + random.below(3);
      for (int c = 0; c < changes; ++c) {
        const int file = random.below(kFiles);
        ++versions[file];
        write_blob(file);
      }
      message = "chore: update settings " + std::to_string(i);
    } else {
      message = "feat: initial import";
    }
    const git_oid tree = write_trees();
    git_signature* sig_raw = nullptr;
    check(git_signature_new(&sig_raw, "Bench Author", "bench@example.com", kStartTime + i * 60, 0), "signature");
    SignaturePtr signature(sig_raw);
    const git_oid* parents[] = {&parent};
    git_oid commit{};
    check(git_commit_create_from_ids(&commit, repo.get(), nullptr, signature.get(), signature.get(), nullptr,
                                     message.c_str(), &tree, i == 1 ? 0 : 1, parents),
          "commit");
    parent = commit;
  }

  // Everything is in memory: write it out as one indexed pack.
  git_buf pack{};
  check(git_mempack_dump(&pack, repo.get(), mempack), "dump pack");
  struct BufGuard {
    git_buf* buf;
    ~BufGuard() { git_buf_dispose(buf); }
  } pack_guard{&pack};
  git_indexer* indexer_raw = nullptr;
  const std::string pack_dir = (dir / "objects" / "pack").string();
  check(git_indexer_new(&indexer_raw, pack_dir.c_str(), 0, nullptr, nullptr), "indexer");
  Owned<git_indexer, git_indexer_free> indexer(indexer_raw);
  git_indexer_progress progress{};
  check(git_indexer_append(indexer.get(), pack.ptr, pack.size, &progress), "index pack");
  check(git_indexer_commit(indexer.get(), &progress), "commit pack");
  git_reference* ref = nullptr;
  check(git_reference_create(&ref, repo.get(), "refs/heads/main", &parent, 1, nullptr), "main");
  ReferencePtr owned_ref(ref);
  check(git_mempack_reset(mempack), "reset mempack");
  std::ofstream(dir / kCompleteMarker) << "ok\n";
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

const fs::path& history_repo() {
  static const fs::path root = [] {
    const fs::path dir = fs::temp_directory_path() / "constable-bench-history-10000-v2";
    if (fs::exists(dir / kCompleteMarker)) return dir;
    fs::remove_all(dir);
    const auto start = std::chrono::steady_clock::now();
    build_history(dir);
    std::fprintf(stderr, "built %s in %.2f s\n", dir.c_str(), seconds_since(start));
    return dir;
  }();
  return root;
}

// Building the synthetic repository from scratch (in a throwaway directory).
void BM_BuildHistory10000(benchmark::State& state) {
  for (auto _ : state) {
    const fs::path dir = fs::temp_directory_path() / "constable-bench-history-build";
    fs::remove_all(dir);
    build_history(dir);
    state.PauseTiming();
    fs::remove_all(dir);
    state.ResumeTiming();
  }
  state.counters["commits"] = kCommits;
}
BENCHMARK(BM_BuildHistory10000)->Unit(benchmark::kMillisecond)->Iterations(1);

void BM_WalkHistoryBlobs(benchmark::State& state) {
  auto repo = git::Repository::discover(history_repo());
  if (!repo) {
    state.SkipWithError(repo.error().message.c_str());
    return;
  }
  std::size_t blobs = 0;
  std::size_t tokens = 0;
  for (auto _ : state) {
    blobs = 0;
    tokens = 0;
    auto result = repo->walk_history_blobs([&](const git::HistoryBlob& blob) {
      ++blobs;
      if (blob.introduced_by.summary == "feat: configure the uploader") ++tokens;
      return true;
    });
    if (!result) {
      state.SkipWithError(result.error().message.c_str());
      return;
    }
  }
  state.counters["blobs"] = static_cast<double>(blobs);
  state.counters["token_blobs"] = static_cast<double>(tokens);
}
BENCHMARK(BM_WalkHistoryBlobs)->Unit(benchmark::kMillisecond)->MinTime(2.0);

// Reading every reported blob too: what a history secret scan pays.
void BM_WalkAndReadHistoryBlobs(benchmark::State& state) {
  auto repo = git::Repository::discover(history_repo());
  if (!repo) {
    state.SkipWithError(repo.error().message.c_str());
    return;
  }
  std::size_t bytes = 0;
  for (auto _ : state) {
    bytes = 0;
    auto result = repo->walk_history_blobs([&](const git::HistoryBlob& blob) {
      auto content = repo->read_blob(blob.blob_id);
      if (content) bytes += content->size();
      return true;
    });
    if (!result) {
      state.SkipWithError(result.error().message.c_str());
      return;
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes * state.iterations()));
}
BENCHMARK(BM_WalkAndReadHistoryBlobs)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
