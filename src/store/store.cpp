#include "store/store.hpp"

#include <fmt/format.h>

#include "store/postgres_store.hpp"
#include "store/sqlite_store.hpp"

namespace constable::store {

std::string_view to_string(Status status) {
  switch (status) {
    case Status::open:
      return "open";
    case Status::fixed:
      return "fixed";
    case Status::waived:
      return "waived";
    case Status::clause_removed:
      return "clause removed";
  }
  return "open";
}

std::optional<Status> parse_status(std::string_view text) {
  for (const Status s : {Status::open, Status::fixed, Status::waived, Status::clause_removed})
    if (to_string(s) == text) return s;
  return std::nullopt;
}

Result<std::unique_ptr<Store>> open_store(std::string_view url) {
  constexpr std::string_view kSqlite = "sqlite://";
  if (url.starts_with(kSqlite)) {
    const std::string_view path = url.substr(kSqlite.size());
    if (path.empty()) return fail("sqlite:// needs a path: sqlite:///abs/audit.db or sqlite://relative/audit.db");
    return open_sqlite(std::filesystem::path(path));
  }
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) return open_postgres(url);
  if (const auto scheme = url.find("://"); scheme != std::string_view::npos)
    return fail(
        fmt::format("unknown store '{}': give sqlite:///path/audit.db, a file path or postgresql://host/database",
                    url.substr(0, scheme + 3)));
  if (url.empty()) return fail("no store given");
  return open_sqlite(std::filesystem::path(url));
}

}  // namespace constable::store
