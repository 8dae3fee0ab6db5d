#pragma once
// libpq, loaded when the first PostgreSQL store opens instead of linked into
// every program: libpq needs libldap, and libldap GnuTLS and a dozen more
// libraries, whose mapping and initialisers cost each run of the CLI about
// 5 ms, most of its fixed start-up, though few runs ever open a PostgreSQL
// store (docs/adr/0021-libpq-on-demand.md).

#include <libpq-fe.h>

#include <string>

#include "core/error.hpp"

namespace constable::store {

// The libpq functions the store calls, each as libpq declares it.
#define CONSTABLE_LIBPQ_FUNCTIONS(F)                                                                               \
  F(PQclear)                                                                                                       \
  F(PQconnectdbParams)                                                                                             \
  F(PQenterPipelineMode)                                                                                           \
  F(PQerrorMessage)                                                                                                \
  F(PQexec)                                                                                                        \
  F(PQexecParams)                                                                                                  \
  F(PQexitPipelineMode)                                                                                            \
  F(PQfinish)                                                                                                      \
  F(PQgetisnull)                                                                                                   \
  F(PQgetlength)                                                                                                   \
  F(PQgetResult)                                                                                                   \
  F(PQgetvalue)                                                                                                    \
  F(PQntuples)                                                                                                     \
  F(PQpipelineSync)                                                                                                \
  F(PQreset)                                                                                                       \
  F(PQresultErrorMessage)                                                                                          \
  F(PQresultStatus)                                                                                                \
  F(PQsendQueryParams)                                                                                             \
  F(PQsetNoticeProcessor)                                                                                          \
  F(PQstatus)

struct LibPq {
#define CONSTABLE_LIBPQ_MEMBER(name) decltype(&::name) name = nullptr;
  CONSTABLE_LIBPQ_FUNCTIONS(CONSTABLE_LIBPQ_MEMBER)
#undef CONSTABLE_LIBPQ_MEMBER
};

// The environment variable that names the library to load instead of
// libpq's soname (a libpq outside the loader's search path).
inline constexpr const char* kLibPqVariable = "CONSTABLE_LIBPQ";

// libpq's functions from the library `name` (a soname or a path), loaded now
// and never unloaded; why not when the library or one of its functions is
// missing.
Result<LibPq> load_libpq(const std::string& name);
// libpq's functions from kLibPqVariable's library, else libpq.so.5 (libpq 14
// and later, Debian's libpq5), loaded on the first call (thread-safe) and
// kept for the process.
const Result<LibPq>& libpq();

}  // namespace constable::store
