#include "store/libpq.hpp"

#include <dlfcn.h>

#include <cstdlib>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace constable::store {

// The soname of libpq 14 and later (pipeline mode): Debian's libpq5.
constexpr const char* kSoname = "libpq.so.5";

Result<LibPq> load_libpq(const std::string& name) {
  const auto missing = [&](std::string_view why) {
    return fail(fmt::format("cannot load libpq ({}): {}; a PostgreSQL store needs libpq 14 or newer (Debian's "
                            "libpq5), or {} naming the library",
                            name, why, kLibPqVariable));
  };
  // Never closed: the store's connections use it until the process ends.
  void* library = ::dlopen(name.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) {
    const char* why = ::dlerror();
    return missing(why != nullptr ? why : "not found");
  }
  LibPq pq;
#define CONSTABLE_LIBPQ_LOAD(function)                                                        \
  pq.function = reinterpret_cast<decltype(pq.function)>(::dlsym(library, #function));        \
  if (pq.function == nullptr) return missing(fmt::format("it has no {}", #function));
  CONSTABLE_LIBPQ_FUNCTIONS(CONSTABLE_LIBPQ_LOAD)
#undef CONSTABLE_LIBPQ_LOAD
  return pq;
}

const Result<LibPq>& libpq() {
  static const Result<LibPq> loaded = [] {
    const char* chosen = std::getenv(kLibPqVariable);
    return load_libpq(chosen != nullptr && *chosen != '\0' ? chosen : kSoname);
  }();
  return loaded;
}

}  // namespace constable::store
