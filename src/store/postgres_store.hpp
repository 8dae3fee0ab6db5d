#pragma once
// The PostgreSQL backend of the store (store/store.hpp), on libpq: a store
// shared by many audits at once, such as the pods of a sharded audit.

#include <memory>
#include <string>
#include <string_view>

#include "store/store.hpp"

namespace constable::store {

// `url` is a libpq connection URI (postgresql://user@host:5432/db?sslmode=...,
// or postgres://). The schema is migrated on opening, under an advisory lock.
Result<std::unique_ptr<Store>> open_postgres(std::string_view url);

// `url` with its password, in the user part or a `password=` parameter,
// replaced by "***", for messages and describe().
std::string redact_postgres_url(std::string_view url);

}  // namespace constable::store
