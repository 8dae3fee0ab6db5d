# The tree-sitter grammars constable parses application code with (src/code/,
# docs/adr/0019-tree-sitter.md): Python, TypeScript and TSX. Their generated
# parsers come from npm, the grammars' standard source, fetched at configure
# time and never committed. Each tarball is verified against the SHA-256
# below and kept in CONSTABLE_GRAMMAR_CACHE, so the release, sanitizer and
# fuzz builds fetch it once; only `src/parser.c` and `src/scanner.c` are
# compiled, into one static library.
#
# Debian's runtime (libtree-sitter-dev 0.20.7) reads grammar ABI 13 and 14:
# these are the newest releases still generated for ABI 14 (tree-sitter-python
# 0.23.6; 0.25 is ABI 15). src/code/syntax.cpp checks the ABI when it loads them.

enable_language(C)

set(constable_default_grammar_cache "${PROJECT_BINARY_DIR}/_grammars")
if(DEFINED ENV{XDG_CACHE_HOME} AND NOT "$ENV{XDG_CACHE_HOME}" STREQUAL "")
  set(constable_default_grammar_cache "$ENV{XDG_CACHE_HOME}/constable/grammars")
elseif(DEFINED ENV{HOME} AND NOT "$ENV{HOME}" STREQUAL "")
  set(constable_default_grammar_cache "$ENV{HOME}/.cache/constable/grammars")
endif()
set(CONSTABLE_GRAMMAR_CACHE "${constable_default_grammar_cache}" CACHE PATH
    "Where the grammar tarballs fetched from npm are kept between builds")

find_program(CONSTABLE_NPM npm)

# Fetches `package`@`version` (verified against `sha256`) and extracts it under
# the build tree; sets `<out_var>` to the extracted package directory.
function(constable_fetch_grammar package version sha256 out_var)
  set(tarball "${CONSTABLE_GRAMMAR_CACHE}/${package}-${version}.tgz")
  if(EXISTS "${tarball}")
    file(SHA256 "${tarball}" actual)
    if(NOT actual STREQUAL sha256)
      file(REMOVE "${tarball}")  # a partial or tampered download: fetched again below
    endif()
  endif()
  if(NOT EXISTS "${tarball}")
    file(MAKE_DIRECTORY "${CONSTABLE_GRAMMAR_CACHE}")
    message(STATUS "Fetching ${package}@${version} from npm")
    if(CONSTABLE_NPM)
      # npm honours the user's registry and proxy settings (.npmrc).
      execute_process(COMMAND "${CONSTABLE_NPM}" pack "${package}@${version}" --pack-destination "${CONSTABLE_GRAMMAR_CACHE}"
                              --silent
                      RESULT_VARIABLE npm_result OUTPUT_QUIET ERROR_VARIABLE npm_error)
    else()
      # Without npm (the container build), the registry's own tarball URL.
      file(DOWNLOAD "https://registry.npmjs.org/${package}/-/${package}-${version}.tgz" "${tarball}"
           EXPECTED_HASH SHA256=${sha256} STATUS download_status)
      list(GET download_status 0 npm_result)
      list(GET download_status 1 npm_error)
    endif()
    if(NOT npm_result EQUAL 0 OR NOT EXISTS "${tarball}")
      file(REMOVE "${tarball}")
      message(FATAL_ERROR "fetching ${package}@${version} from npm failed: ${npm_error} (or put "
                          "${package}-${version}.tgz in ${CONSTABLE_GRAMMAR_CACHE})")
    endif()
    file(SHA256 "${tarball}" actual)
    if(NOT actual STREQUAL sha256)
      file(REMOVE "${tarball}")
      message(FATAL_ERROR "${package}-${version}.tgz: SHA-256 ${actual}, expected ${sha256}")
    endif()
  endif()
  set(destination "${PROJECT_BINARY_DIR}/_grammars/${package}-${version}")
  if(NOT EXISTS "${destination}/package/package.json")
    file(REMOVE_RECURSE "${destination}")
    file(ARCHIVE_EXTRACT INPUT "${tarball}" DESTINATION "${destination}")
  endif()
  set(${out_var} "${destination}/package" PARENT_SCOPE)
endfunction()

constable_fetch_grammar(tree-sitter-python 0.23.6 aab5b860d93dbf84b37fed532f7dacc0468ede5387d0c74911d68f964287662a
                        python_grammar)
constable_fetch_grammar(tree-sitter-typescript 0.23.2 0fdf63c35930a75885145d75ee63cb879da2d49db9bfe454bd8e60b08ba778a1
                        typescript_grammar)

add_library(constable_grammars STATIC
  "${python_grammar}/src/parser.c" "${python_grammar}/src/scanner.c"
  "${typescript_grammar}/typescript/src/parser.c" "${typescript_grammar}/typescript/src/scanner.c"
  "${typescript_grammar}/tsx/src/parser.c" "${typescript_grammar}/tsx/src/scanner.c")
# Generated tables, not our code: optimised even in the sanitizer build (a
# parser.c of 100,000 lines compiles slowly and runs slowly at -O0), without
# our warnings-as-errors and without the sanitizers, whose runtime would have
# to match the C compiler's.
set_target_properties(constable_grammars PROPERTIES COMPILE_OPTIONS "-w;-O2" C_STANDARD 11 POSITION_INDEPENDENT_CODE ON)
