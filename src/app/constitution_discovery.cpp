#include "app/constitution_discovery.hpp"

#include <algorithm>
#include <string>

#include "workspace/provenance.hpp"

namespace constable::app {

namespace fs = std::filesystem;

namespace {

// A directory a project's constitution may be under: not hidden (.git,
// .github, .venv...), not vendored, not a collection of examples or fixtures,
// not tests.
bool may_hold_a_project(std::string_view name) {
  return !name.empty() && name.front() != '.' &&
         workspace::directory_provenance(name, workspace::Provenance::project, false, false) ==
             workspace::Provenance::project &&
         !workspace::is_test_directory(name);
}

class Search {
 public:
  Search(std::size_t max_entries, NestedConstitutions& out) : max_entries_(max_entries), out_(out) {}

  // The subdirectories of `dir` worth looking into, sorted. Symlinks are not
  // followed: a linked directory may lead anywhere.
  std::vector<fs::path> subdirectories(const fs::path& dir) {
    std::vector<fs::path> dirs;
    std::error_code ec;
    fs::directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
    for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
      if (examined_ == max_entries_) {
        out_.truncated = true;
        break;
      }
      ++examined_;
      std::error_code status_ec;
      if (!it->is_directory(status_ec) || it->is_symlink(status_ec)) continue;
      if (may_hold_a_project(it->path().filename().string())) dirs.push_back(it->path());
    }
    std::sort(dirs.begin(), dirs.end());
    return dirs;
  }

  void look_in(const fs::path& dir) {
    const fs::path candidate = dir / kSpecKitConstitution;
    std::error_code ec;
    // Present even as a broken symlink or a FIFO: reading it then says why it
    // cannot be used, as for the root's constitution.
    const auto type = fs::symlink_status(candidate, ec).type();
    if (!ec && type != fs::file_type::not_found && type != fs::file_type::directory) out_.found.push_back(candidate);
  }

 private:
  std::size_t max_entries_;
  std::size_t examined_ = 0;
  NestedConstitutions& out_;
};

}  // namespace

NestedConstitutions find_nested_constitutions(const fs::path& root, std::size_t max_entries) {
  NestedConstitutions out;
  Search search(max_entries, out);
  for (const fs::path& first : search.subdirectories(root)) {
    search.look_in(first);
    for (const fs::path& second : search.subdirectories(first)) search.look_in(second);
  }
  std::sort(out.found.begin(), out.found.end());
  return out;
}

}  // namespace constable::app
