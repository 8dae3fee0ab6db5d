#include "core/error.hpp"

#include <fmt/format.h>

namespace constable {

std::string Error::to_string() const {
  if (path.empty()) return message;
  if (line <= 0) return fmt::format("{}: {}", path, message);
  if (column <= 0) return fmt::format("{}:{}: {}", path, line, message);
  return fmt::format("{}:{}:{}: {}", path, line, column, message);
}

}  // namespace constable
