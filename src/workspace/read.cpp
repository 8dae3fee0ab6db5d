#include <algorithm>

#include "core/files.hpp"
#include "workspace/workspace.hpp"

namespace constable::workspace {

Result<std::string> read_content(const File& file) {
  if (file.content) return *file.content;
  // Discovery found a regular file within the size limit; whatever is there
  // now (a FIFO, a symlink, a file grown to gigabytes) is read under the same rules.
  files::ReadOptions options;
  options.max_size = std::max(file.size, files::kDefaultMaxSize);
  options.display = file.path;
  options.follow_symlinks = false;
  options.seen_regular = file.stat.has_value();  // discovery took it for a regular file
  auto content = files::read(file.absolute, options);
  if (!content) return std::unexpected(std::move(content.error().error));
  return std::move(*content);
}

const Note* skipped(const Workspace& workspace, std::string_view path) {
  const auto it = std::find_if(workspace.notes.begin(), workspace.notes.end(), [&](const Note& note) {
    return note.path == path && note.message.starts_with("skipped:");
  });
  return it == workspace.notes.end() ? nullptr : &*it;
}

}  // namespace constable::workspace
