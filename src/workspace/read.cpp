#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "workspace/workspace.hpp"

namespace constable::workspace {

Result<std::string> read_content(const File& file) {
  if (file.content) return *file.content;
  std::ifstream in(file.absolute, std::ios::binary);
  std::ostringstream buffer;
  if (in) buffer << in.rdbuf();
  if (!in || in.bad()) return fail(std::strerror(errno), file.path);
  return buffer.str();
}

}  // namespace constable::workspace
