#!/usr/bin/env bash
# The promise of CONSTABLE_JEMALLOC (cmake/dependencies.cmake, ADR 0011): the
# CLI allocates with jemalloc, started with the options src/cli/allocator.cpp
# compiles in. jemalloc's statistics at exit name them; glibc ignores the
# variable and prints nothing. Exit 1 when they are not there.
#
#   bash scripts/check-allocator.sh CONSTABLE
set -euo pipefail
binary=${1:?usage: check-allocator.sh CONSTABLE}
stats=$(MALLOC_CONF=stats_print:true "$binary" --version 2>&1 >/dev/null)
options=('opt.narenas: 1')
# jemalloc turns the huge-page options off where the kernel has none.
if [ -e /sys/kernel/mm/transparent_hugepage/enabled ]; then options+=('opt.thp: "always"' 'opt.metadata_thp: "auto"'); fi
for option in "${options[@]}"; do
  if ! grep -qF "$option" <<<"$stats"; then
    echo "check-allocator: $binary does not start jemalloc with $option" >&2
    exit 1
  fi
done
echo "check-allocator: $binary allocates with jemalloc, huge pages on"
