#!/usr/bin/env bash
# The promise of CONSTABLE_STATIC_DEPENDENCIES (cmake/dependencies.cmake): the
# binary needs none of the libraries it links statically as a shared object
# (libstdc++ and libgcc among them; fmt is header-only), and it still runs.
# Exit 1 naming any that it does need. Two are loaded when first used
# instead, so they must not be needed here either: GSSAPI
# (libgssapi_krb5 and Kerberos' libraries, for libgit2; Debian ships no
# archive of it: src/link/gssapi_on_demand.cpp), and libpq, which the
# PostgreSQL store loads when it opens (docs/adr/0021-libpq-on-demand.md),
# with libldap, which it would bring.
#
#   bash scripts/check-static-link.sh CONSTABLE
set -euo pipefail
binary=${1:?usage: check-static-link.sh CONSTABLE}
needed=$(readelf --dynamic "$binary" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
shared=$(grep -E '^lib(cmark-gfm|re2|hs|git2|mbed|http_parser|ssh2|pcre2|yaml|cjose|jansson|sqlite3|pq|ldap|tree-sitter|pgcommon|pgport|ssl|crypto|z|gssapi_krb5|krb5|k5crypto|krb5support|com_err|keyutils|stdc\+\+|gcc_s|fmt)[.-]' <<<"$needed" || true)
if [ -n "$shared" ]; then
  echo "check-static-link: $binary still needs, as shared objects:" $shared >&2
  exit 1
fi
"$binary" --version >/dev/null
echo "check-static-link: $binary needs only:" $needed
