# What keeps the two builds of `make test` (g++ for the release CLI, clang
# for the sanitizers) short on two cores (docs/adr/0020-build-time.md).

# Precompiled headers, with clang only: the standard and third-party headers
# most translation units include, parsed once per target instead of once per
# file (a check: 1.9 s alone, 0.9 s with them precompiled). g++ 12 is left
# out: it loads a precompiled header whole (90 MB, about half a second per
# file), which saved the release build 13%, and code from a precompiled
# libstdc++ no longer counts as a system header, so g++ reports its false
# -Wstringop-overflow positives there as errors.
#
# Only headers from outside the project: a change to a project header
# rebuilds what it did before. nlohmann/json, Boost and Beast stay out: a
# minority of files include them.
option(CONSTABLE_PRECOMPILED_HEADERS "Precompile the common standard and third-party headers (clang)" ON)

set(CONSTABLE_COMMON_HEADERS
    <algorithm> <array> <charconv> <chrono> <cctype> <cstddef> <cstdint> <cstring> <expected> <filesystem>
    <functional> <map> <memory> <mutex> <optional> <set> <span> <string> <string_view> <tuple>
    <unordered_map> <utility> <vector>
    <fmt/format.h> <re2/re2.h>)

# constable_precompile_headers(target [header...]): the common headers, and
# any given, precompiled for every source of target.
function(constable_precompile_headers target)
  if(CONSTABLE_PRECOMPILED_HEADERS AND CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    target_precompile_headers(${target} PRIVATE ${CONSTABLE_COMMON_HEADERS} ${ARGN})
  endif()
endfunction()

# constable_unoptimised_when_sanitized(target): in the sanitized build, target
# keeps the sanitizers but is not optimised and carries no fuzzer coverage.
# For what no fuzz harness links (the test suites, the server, MCP, the
# cluster audit, the CLI): the library the harnesses fuzz stays at -O1 with
# coverage. At -O1 under ASan a suite's long runs of assertion macros took
# longer than the rest of the build together, and a file of the server on
# Beast compiles three times slower than at -O0 (36 s against 12 s).
function(constable_unoptimised_when_sanitized target)
  if(CONSTABLE_SANITIZE OR CONSTABLE_FUZZ)
    target_compile_options(${target} PRIVATE -O0)
  endif()
  if(CONSTABLE_FUZZ)
    target_compile_options(${target} PRIVATE -fno-sanitize=fuzzer-no-link)
  endif()
endfunction()

# constable_test_suite(target): a test suite's own code, with gtest
# precompiled.
function(constable_test_suite target)
  constable_precompile_headers(${target} <gtest/gtest.h>)
  constable_unoptimised_when_sanitized(${target})
endfunction()

# constable_compile_in_batches(target [source...]): target's sources compile
# eight to a translation unit, a unity build, except the sources given. Most
# of a file's compile time is the headers every file of its directory
# includes, which g++ has no cheap way to share otherwise (see above); the
# sources are listed directory by directory, so a batch mostly shares its
# headers. Names at namespace scope, in anonymous namespaces too, must then be
# distinct across the files of a target: each check keeps its own in a
# namespace named after its file, other files name theirs for what they do.
# A source given stays alone: GCC's -Wsubobject-linkage rejects a class of
# an included file holding a member of an anonymous namespace's type, which is
# fine in a file of its own. The edges around the library batch under g++
# only (constable_compile_as_edge). A batch can hide a missing include that an
# earlier file of the batch supplied: CONSTABLE_UNITY_BUILD=OFF compiles every
# file alone, which shows it.
option(CONSTABLE_UNITY_BUILD "Compile the sources eight to a translation unit" ON)
function(constable_compile_in_batches target)
  if(NOT CONSTABLE_UNITY_BUILD)
    return()
  endif()
  set_target_properties(${target} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE 8)
  foreach(source IN LISTS ARGN)
    set_source_files_properties("${source}" TARGET_DIRECTORY ${target} PROPERTIES SKIP_UNITY_BUILD_INCLUSION ON)
  endforeach()
endfunction()

# constable_compile_as_edge(target [source...]): an edge around the library
# (the server, MCP, the cluster audit, the CLI), which no fuzz harness links:
# unoptimised in the sanitized build, and in batches where no precompiled
# header shares the headers (g++: the release build took 4.7 minutes instead
# of 6). With clang a batch of the server's Beast files is one long compile
# that the other core cannot share, and the precompiled header already saves
# what batching would. The sources given stay alone, as for
# constable_compile_in_batches.
function(constable_compile_as_edge target)
  constable_precompile_headers(${target})
  constable_unoptimised_when_sanitized(${target})
  if(NOT (CONSTABLE_PRECOMPILED_HEADERS AND CMAKE_CXX_COMPILER_ID STREQUAL "Clang"))
    constable_compile_in_batches(${target} ${ARGN})
  endif()
endfunction()
