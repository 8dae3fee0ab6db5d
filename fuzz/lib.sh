# Sourced by fuzz/run.sh and fuzz/campaign.sh, from the repository's root.

# harnesses_or_all NAME...: the names given, or every harness in fuzz/.
harnesses_or_all() {
  if [ $# -gt 0 ]; then
    printf '%s\n' "$@"
    return
  fi
  local source name
  for source in fuzz/*_fuzzer.cpp; do
    name=$(basename "$source" .cpp)
    echo "${name%_fuzzer}"
  done
}

# dictionary_of HARNESS: its libFuzzer dictionary, "" when it has none.
dictionary_of() {
  case "$1" in
    dockerfile) echo fuzz/dicts/dockerfile.dict ;;
    helm_template) echo fuzz/dicts/helm_template.dict ;;
    yaml | manifests | ci | openapi | config | helm_values) echo fuzz/dicts/yaml.dict ;;
  esac
}

# The sanitizers' options, and llvm-symbolizer, which they find only when told.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
if [ -z "${ASAN_SYMBOLIZER_PATH:-}" ] && command -v llvm-symbolizer >/dev/null; then
  export ASAN_SYMBOLIZER_PATH=$(readlink -f "$(command -v llvm-symbolizer)")
fi
