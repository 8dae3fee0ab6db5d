# The C and C++ libraries constable links (Debian's -dev packages), as one
# INTERFACE target, constable_dependencies, that the library and the server
# link.
#
# A target that sets the property CONSTABLE_STATIC_DEPENDENCIES (the CLI, when
# the option of that name is on) links their static archives instead of their
# shared objects: a run of the CLI then no longer maps, relocates and looks up
# symbols across thirty shared objects before main(), a sixth of a small
# repository's run (docs/adr/0010-static-dependencies.md). Tests, benchmarks
# and fuzz harnesses keep the shared objects: they link faster and nothing in
# them depends on start-up.
option(CONSTABLE_STATIC_DEPENDENCIES "Link the constable executable with the static archives of its libraries" OFF)

find_package(PkgConfig REQUIRED)
pkg_check_modules(CMARK_GFM REQUIRED IMPORTED_TARGET libcmark-gfm)
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)
pkg_check_modules(VECTORSCAN REQUIRED IMPORTED_TARGET libhs)
pkg_check_modules(LIBGIT2 REQUIRED IMPORTED_TARGET libgit2)
pkg_check_modules(LIBYAML REQUIRED IMPORTED_TARGET yaml-0.1)
pkg_check_modules(CJOSE REQUIRED IMPORTED_TARGET cjose)  # JWK and JWS: the REST API's OpenID Connect tokens
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)  # the audit store (src/store/)
# The audit store on PostgreSQL (src/store/postgres_store.cpp): its header
# only; the store loads libpq when it opens (src/store/libpq.hpp,
# docs/adr/0021-libpq-on-demand.md). The tests' PostgreSQL helper links it.
pkg_check_modules(LIBPQ REQUIRED IMPORTED_TARGET libpq)
pkg_check_modules(TREE_SITTER REQUIRED IMPORTED_TARGET tree-sitter)  # application code (src/code/, docs/adr/0019)
find_package(fmt REQUIRED)
find_package(nlohmann_json REQUIRED)
find_package(CLI11 REQUIRED)
find_package(Threads REQUIRED)
find_package(ZLIB REQUIRED)  # src/git/checked_objects.cpp reads loose objects itself
find_package(OpenSSL REQUIRED COMPONENTS Crypto SSL)  # Crypto: src/helm/template/crypto.cpp (Sprig's genCA, ...); SSL: constable serve
find_package(Boost 1.74 REQUIRED)  # header-only Beast and Asio: constable serve (docs/adr/0007-http-server.md)

# toml++ (libtomlplusplus-dev: pyproject.toml, src/workspace/dependencies.cpp)
# is used as the header-only library it also is: Debian ships it as a shared
# object only, and the one file that parses TOML compiles it in.
# fmt: header-only (its supported alternative to the library) where the CLI
# links statically, since Debian ships no archive of it and its shared
# object would bring libstdc++'s, which the static CLI links in instead.
# Elsewhere (the sanitizer build, which builds every suite) the shared
# object: a translation unit of the library compiles in half the time.
# nlohmann_json and Boost are headers only anyway.
if(CONSTABLE_STATIC_DEPENDENCIES)
  set(constable_fmt fmt::fmt-header-only)
else()
  set(constable_fmt fmt::fmt)
endif()
set(constable_shared_dependencies
    PkgConfig::CMARK_GFM PkgConfig::RE2 PkgConfig::VECTORSCAN PkgConfig::LIBGIT2 PkgConfig::LIBYAML PkgConfig::CJOSE
    PkgConfig::SQLITE3 PkgConfig::TREE_SITTER ZLIB::ZLIB OpenSSL::SSL OpenSSL::Crypto)
set(constable_is_static "$<BOOL:$<TARGET_PROPERTY:CONSTABLE_STATIC_DEPENDENCIES>>")
add_library(constable_dependencies INTERFACE)
target_link_libraries(constable_dependencies INTERFACE ${constable_fmt} nlohmann_json::nlohmann_json Boost::headers Threads::Threads
                      ${CMAKE_DL_LIBS} "$<$<NOT:${constable_is_static}>:${constable_shared_dependencies}>")
target_include_directories(constable_dependencies SYSTEM INTERFACE ${LIBPQ_INCLUDE_DIRS})

if(CONSTABLE_STATIC_DEPENDENCIES)
  # pkg-config --static names every library the archives need, in link order.
  pkg_check_modules(STATIC_SET REQUIRED libcmark-gfm re2 libhs libgit2 yaml-0.1 cjose sqlite3 tree-sitter libssl libcrypto zlib)
  set(static_archives)
  set(system_libraries)
  foreach(name IN LISTS STATIC_SET_STATIC_LIBRARIES)
    # glibc's own libraries stay shared, as libc itself does.
    if(name MATCHES "^(c|m|dl|rt|pthread|resolv)$")
      list(APPEND system_libraries ${name})
      continue()
    endif()
    # GSSAPI (libgit2's): loaded on demand, below.
    if(name STREQUAL "gssapi_krb5")
      continue()
    endif()
    unset(archive)
    find_library(archive NAMES lib${name}.a HINTS ${STATIC_SET_STATIC_LIBRARY_DIRS} NO_CACHE)
    if(NOT archive)
      message(FATAL_ERROR "CONSTABLE_STATIC_DEPENDENCIES: no static archive lib${name}.a (install its -dev package)")
    endif()
    list(APPEND static_archives ${archive})
  endforeach()
  list(REMOVE_DUPLICATES system_libraries)
  set(constable_static_link ${static_archives} ${system_libraries})
  # Debian's libgit2 is built on mbedTLS (not OpenSSL): see below.
  if("mbedtls" IN_LIST STATIC_SET_STATIC_LIBRARIES)
    set(CONSTABLE_LIBGIT2_ON_MBEDTLS ON)
  endif()
  target_link_libraries(constable_dependencies INTERFACE "$<${constable_is_static}:${constable_static_link}>")
  # The headers are the same files either way; only their search paths and
  # flags are needed.
  target_include_directories(constable_dependencies SYSTEM INTERFACE "$<${constable_is_static}:${STATIC_SET_INCLUDE_DIRS}>")
  target_compile_options(constable_dependencies INTERFACE "$<${constable_is_static}:${STATIC_SET_CFLAGS_OTHER}>")
endif()

# Marks `target` (an executable) to link the static archives, when the option
# is on; with them, its relative relocations are packed (DT_RELR: glibc 2.36),
# a few kilobytes instead of the 700 KB a static link's PIE otherwise needs.
function(constable_link_dependencies_statically target)
  if(NOT CONSTABLE_STATIC_DEPENDENCIES)
    return()
  endif()
  set_target_properties(${target} PROPERTIES CONSTABLE_STATIC_DEPENDENCIES ON)
  # libstdc++ and libgcc too: with fmt header-only, nothing else needs
  # their shared objects, whose loading took 1.5 ms of every start.
  target_link_options(${target} PRIVATE -static-libstdc++ -static-libgcc)
  # Debian's libgit2 is built with GSSAPI (SPNEGO over HTTPS), which Debian
  # ships as a shared object only (and its libgit2.pc does not say so): the
  # functions libgit2 calls load it on their first call instead of with
  # every run (src/link/gssapi_on_demand.cpp; the header: libkrb5-dev).
  find_path(CONSTABLE_GSSAPI_INCLUDE_DIR gssapi/gssapi.h REQUIRED DOC "GSSAPI's header (libkrb5-dev)")
  target_sources(${target} PRIVATE ${PROJECT_SOURCE_DIR}/src/link/gssapi_on_demand.cpp)
  set_source_files_properties(${PROJECT_SOURCE_DIR}/src/link/gssapi_on_demand.cpp PROPERTIES SKIP_UNITY_BUILD_INCLUSION ON)
  target_link_libraries(${target} PRIVATE ${CMAKE_DL_LIBS})
  # libgit2 on mbedTLS parses the system's CA certificates when it
  # initialises; they are parsed at its first TLS handshake instead
  # (src/link/ca_certificates_on_demand.cpp).
  if(CONSTABLE_LIBGIT2_ON_MBEDTLS)
    target_sources(${target} PRIVATE ${PROJECT_SOURCE_DIR}/src/link/ca_certificates_on_demand.cpp)
    set_source_files_properties(${PROJECT_SOURCE_DIR}/src/link/ca_certificates_on_demand.cpp
                                PROPERTIES SKIP_UNITY_BUILD_INCLUSION ON)
    target_link_options(${target} PRIVATE "LINKER:--wrap=mbedtls_x509_crt_parse_file"
                        "LINKER:--wrap=mbedtls_ssl_handshake")
  endif()
  include(CheckLinkerFlag)
  check_linker_flag(CXX "LINKER:-z,pack-relative-relocs" CONSTABLE_LINKER_PACKS_RELATIVE_RELOCS)
  if(CONSTABLE_LINKER_PACKS_RELATIVE_RELOCS)
    target_link_options(${target} PRIVATE "LINKER:-z,pack-relative-relocs")
  endif()
endfunction()

# The CLI's allocator (docs/adr/0011-jemalloc.md). CONSTABLE_JEMALLOC (on in
# the `release` preset and the container image) links jemalloc into the
# `constable` executable, its options compiled in (src/cli/allocator.cpp):
# a chart repository's run spends a third of its time faulting in and
# handing back the heap's 4 KB pages, which jemalloc backs with huge pages.
# The sanitizers bring an allocator of their own; tests, benchmarks and
# fuzz harnesses keep the system's.
option(CONSTABLE_JEMALLOC "Link the constable executable with jemalloc" OFF)
if(CONSTABLE_JEMALLOC)
  if(CONSTABLE_SANITIZE OR CONSTABLE_FUZZ)
    message(FATAL_ERROR "CONSTABLE_JEMALLOC: the sanitizers replace the allocator; build one or the other")
  endif()
  pkg_check_modules(JEMALLOC REQUIRED IMPORTED_TARGET jemalloc)
  if(CONSTABLE_STATIC_DEPENDENCIES)
    # The position-independent archive: the executable is a PIE.
    find_library(CONSTABLE_JEMALLOC_ARCHIVE NAMES libjemalloc_pic.a HINTS ${JEMALLOC_LIBRARY_DIRS} REQUIRED)
  endif()
endif()

function(constable_link_allocator target)
  if(NOT CONSTABLE_JEMALLOC)
    return()
  endif()
  target_compile_definitions(${target} PRIVATE CONSTABLE_JEMALLOC=1)
  if(CONSTABLE_STATIC_DEPENDENCIES)
    target_link_libraries(${target} PRIVATE ${CONSTABLE_JEMALLOC_ARCHIVE})
  else()
    target_link_libraries(${target} PRIVATE PkgConfig::JEMALLOC)
  endif()
endfunction()
