# Run by `cmake --install`: asks the built constable for the files it
# generates from its own option definitions (the man page and the shell
# completions) and installs each one it produces. A file it cannot produce
# (a subcommand this build lacks) is skipped with a message: installing the
# binary never fails for want of one.
#
# Set by install(CODE) in src/CMakeLists.txt: CONSTABLE_EXECUTABLE,
# CONSTABLE_MAN_DIR (relative to the prefix), CONSTABLE_SCRATCH_DIR.

set(scratch "${CONSTABLE_SCRATCH_DIR}")
file(MAKE_DIRECTORY "${scratch}")

# Installs the standard output of `constable ARGN` as `name` under `destination`.
function(constable_install_generated name destination)
  execute_process(COMMAND "${CONSTABLE_EXECUTABLE}" ${ARGN}
                  OUTPUT_FILE "${scratch}/${name}" ERROR_VARIABLE error RESULT_VARIABLE result)
  file(SIZE "${scratch}/${name}" size)
  if(NOT result EQUAL 0 OR size EQUAL 0)
    string(STRIP "${error}" error)
    string(REPLACE "\n" " " error "${error}")
    string(REPLACE ";" " " command "${ARGN}")
    message(STATUS "Not installing ${destination}/${name}: `constable ${command}` produced nothing (${error})")
    return()
  endif()
  file(INSTALL "${scratch}/${name}" DESTINATION "${CMAKE_INSTALL_PREFIX}/${destination}")
endfunction()

constable_install_generated(constable.1 "${CONSTABLE_MAN_DIR}/man1" man)
constable_install_generated(constable share/bash-completion/completions completion bash)
constable_install_generated(_constable share/zsh/site-functions completion zsh)
constable_install_generated(constable.fish share/fish/vendor_completions.d completion fish)
