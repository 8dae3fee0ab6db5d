#pragma once
// Errors as values: every fallible operation inside constable returns
// Result<T>; exceptions are caught and turned into these only at the edges.

#include <expected>
#include <string>

namespace constable {

struct Error {
  std::string message;
  std::string path;  // empty when the error is not about a file
  int line = 0;      // 0 when unknown
  int column = 0;

  // "path:line:column: message", leaving out the parts that are unknown.
  std::string to_string() const;
};

template <class T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> fail(std::string message, std::string path = {}, int line = 0,
                                   int column = 0) {
  return std::unexpected(Error{std::move(message), std::move(path), line, column});
}

}  // namespace constable
