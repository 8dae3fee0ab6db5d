#pragma once
// The SQLite backend of the store (store/store.hpp).

#include <filesystem>
#include <memory>

#include "store/store.hpp"

namespace constable::store {

Result<std::unique_ptr<Store>> open_sqlite(const std::filesystem::path& file);

}  // namespace constable::store
