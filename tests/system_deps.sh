#!/usr/bin/env bash
# Make sure the system programs the test lanes need are here: PostgreSQL server binaries
# (initdb, pg_ctl) and Debian's Chromium. Installs them when running as root; otherwise says
# exactly what to install and fails. Optional: wrk (load generator of `make bench`, which falls
# back to its Python client without it) — installed when root, never a failure.
set -euo pipefail
need=()
optional=()
if ! command -v wrk >/dev/null 2>&1; then optional+=(wrk); fi
if [ ${#optional[@]} -gt 0 ] && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -qq "${optional[@]}" >/dev/null 2>&1; then
    echo "system-deps: optional ${optional[*]} not installed (make bench uses its Python client)"
  fi
fi
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1; then
  if [ -z "${SIECES_TEST_DATABASE_URL:-}" ]; then need+=(postgresql); fi
fi
if ! command -v chromium >/dev/null 2>&1; then need+=(chromium); fi
if ! fc-list 2>/dev/null | grep -qi dejavu; then need+=(fonts-dejavu-core); fi
# WeasyPrint (PDF reports) loads Pango through cffi at run time
libs=$(ldconfig -p 2>/dev/null || true)
for lib in libpango-1.0-0 libpangoft2-1.0-0; do
  case "$libs" in *"${lib%-0}.so.0"*) ;; *) need+=("$lib") ;; esac
done
if [ ${#need[@]} -eq 0 ]; then
  echo "system-deps: PostgreSQL, Chromium and Pango present"
  exit 0
fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
  exit 0
fi
echo "system-deps: missing ${need[*]}." >&2
echo "Install them, e.g.: sudo apt-get install ${need[*]}" >&2
echo "(or point SIECES_TEST_DATABASE_URL at a PostgreSQL server you own)" >&2
exit 1
