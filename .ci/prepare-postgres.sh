# shellcheck shell=bash
#
# Prepare a PostgreSQL database for the test suite.
#
# Meant to be SOURCED from .ci/run (bash):   source .ci/prepare-postgres.sh
#
# On success it exports
#   TEST_DATABASE_URL=postgres://pravo_test:pravo_test@127.0.0.1:<port>/pravo_test
# (role pravo_test: LOGIN CREATEDB, password pravo_test; database pravo_test owned by it).
# On failure it prints a loud warning and leaves TEST_DATABASE_URL UNSET, so the
# tests fall back to embedded PGlite. It never exits / aborts the calling shell,
# whatever the caller's `set -e` / `set -u` / `pipefail` settings are.
#
# Handled machine set-ups:
#   a. a server already accepts connections on 127.0.0.1:5432 (any auth);
#   b. PostgreSQL installed (Debian postgresql-common) but stopped -> start cluster;
#   c. PostgreSQL not installed -> apt-get install postgresql, start cluster.
# The role/database are created as a superuser, preferably the `postgres` OS user
# over the Unix socket (peer auth works regardless of the TCP auth method), else
# as role `postgres` over TCP (works with trust auth). Re-running is harmless.
#
# Also sets PRAVO_PG_STATUS (one-line summary) and PRAVO_PG_CASE (a/b/c/?) for
# the caller's final report.

_pg_log()  { printf '[prepare-postgres] %s\n' "$*" >&2; }
_pg_warn() { printf '[prepare-postgres] WARNING: %s\n' "$*" >&2; }

# Environment variables that would redirect/alter our psql connections.
_PG_ENV_UNSET=(-u PGHOST -u PGHOSTADDR -u PGPORT -u PGUSER -u PGDATABASE -u PGPASSWORD
  -u PGPASSFILE -u PGSERVICE -u PGSERVICEFILE -u PGSSLMODE -u PGOPTIONS -u PGTARGETSESSIONATTRS)

# psql with a clean libpq environment, short connect timeout, never prompting.
_pg_psql() { env "${_PG_ENV_UNSET[@]}" PGCONNECT_TIMEOUT=10 psql -X -w -v ON_ERROR_STOP=1 "$@" </dev/null; }

# Is something accepting PostgreSQL connections on 127.0.0.1:$1 ?
_pg_ready() {
  local port=$1
  if command -v pg_isready >/dev/null 2>&1; then
    env "${_PG_ENV_UNSET[@]}" pg_isready -q -h 127.0.0.1 -p "$port" -t 2 >/dev/null 2>&1
  else
    # No client tools: a plain TCP connect is the best we can do.
    timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" >/dev/null 2>&1
  fi
}

_pg_wait_ready() {
  local port=$1 i
  for i in $(seq 1 30); do
    if _pg_ready "$port"; then
      _pg_log "server accepts connections on 127.0.0.1:$port (after ~$((i - 1))s)"
      return 0
    fi
    sleep 1
  done
  _pg_warn "server did not accept connections on 127.0.0.1:$port within 30s"
  return 1
}

_pg_apt_install() {
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    _pg_warn "cannot install packages ($*): need root and apt-get"
    return 1
  fi
  _pg_log "installing: $* (apt-get update && apt-get install)"
  local apt_opts=(-o DPkg::Lock::Timeout=120 -o Dpkg::Use-Pty=0)
  timeout 300 apt-get "${apt_opts[@]}" update -qq </dev/null ||
    _pg_warn "apt-get update failed (trying install anyway)"
  if ! DEBIAN_FRONTEND=noninteractive timeout 600 apt-get "${apt_opts[@]}" install -y -q \
      --no-install-recommends "$@" </dev/null; then
    _pg_warn "apt-get install $* failed"
    return 1
  fi
}

# Debian-managed clusters as "ver cluster port status" lines.
_pg_clusters() {
  command -v pg_lsclusters >/dev/null 2>&1 || return 0
  pg_lsclusters -h 2>/dev/null | awk 'NF >= 4 { print $1, $2, $3, $4 }'
}

# Choose a cluster: prefer port 5432 + version 15, then port 5432, then version 15, then any.
_pg_pick_cluster() {
  local list
  list=$(_pg_clusters)
  [ -n "$list" ] || return 1
  printf '%s\n' "$list" | awk '
    { score = ($3 == 5432 ? 2 : 0) + ($1 == 15 ? 1 : 0) }
    NR == 1 || score > best { best = score; line = $0 }
    END { if (line != "") print line }'
}

_pg_server_installed() {
  command -v pg_ctlcluster >/dev/null 2>&1 && compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null
}

# Run psql (with the given args) as a superuser. Tries, in order:
#   1. OS user postgres over the Unix socket (peer/trust);
#   2. role postgres over TCP 127.0.0.1 (trust);
#   3. the current OS user over the Unix socket / TCP.
_pg_admin_method=""
_pg_admin_psql() {
  local port=$1; shift
  local m
  for m in socket-postgres tcp-postgres socket-self tcp-self; do
    if [ -n "$_pg_admin_method" ] && [ "$m" != "$_pg_admin_method" ]; then continue; fi
    case $m in
      socket-postgres)
        id postgres >/dev/null 2>&1 || continue
        if [ "$(id -un)" = postgres ]; then
          (cd / && _pg_psql -p "$port" -d postgres "$@")
        elif [ "$(id -u)" = 0 ] && command -v runuser >/dev/null 2>&1; then
          (cd / && runuser -u postgres -- env "${_PG_ENV_UNSET[@]}" PGCONNECT_TIMEOUT=10 \
            psql -X -w -v ON_ERROR_STOP=1 -p "$port" -d postgres "$@" </dev/null)
        elif [ "$(id -u)" = 0 ]; then
          local q; q=$(printf '%q ' "$@")
          (cd / && su postgres -s /bin/bash -c "env PGCONNECT_TIMEOUT=10 psql -X -w -v ON_ERROR_STOP=1 -p $port -d postgres $q" </dev/null)
        elif command -v sudo >/dev/null 2>&1; then
          (cd / && sudo -n -u postgres env "${_PG_ENV_UNSET[@]}" PGCONNECT_TIMEOUT=10 \
            psql -X -w -v ON_ERROR_STOP=1 -p "$port" -d postgres "$@" </dev/null)
        else
          continue
        fi ;;
      tcp-postgres) _pg_psql -h 127.0.0.1 -p "$port" -U postgres -d postgres "$@" ;;
      socket-self)  _pg_psql -p "$port" -d postgres "$@" ;;
      tcp-self)     _pg_psql -h 127.0.0.1 -p "$port" -d postgres "$@" ;;
    esac
    local rc=$?
    if [ $rc = 0 ]; then
      _pg_admin_method=$m
      return 0
    fi
    # Once a method has worked, a later failure is a real (SQL) failure.
    [ -z "$_pg_admin_method" ] || return $rc
  done
  return 1
}

_pg_prepare() {
  local port=5432 ver="" cluster="" status="" line t0=$SECONDS
  PRAVO_PG_CASE="?"

  # ---- detect -------------------------------------------------------------
  if _pg_ready 5432; then
    PRAVO_PG_CASE=a
    _pg_log "detected case a: a server is already accepting connections on 127.0.0.1:5432"
  elif _pg_server_installed; then
    PRAVO_PG_CASE=b
    _pg_log "detected case b: PostgreSQL is installed but nothing accepts connections on 127.0.0.1:5432"
  else
    PRAVO_PG_CASE=c
    _pg_log "detected case c: PostgreSQL server is not installed"
    _pg_apt_install postgresql || return 1
    _pg_server_installed || { _pg_warn "postgresql installed but pg_ctlcluster/postgres binary not found"; return 1; }
  fi

  # ---- start (cases b, c) --------------------------------------------------
  if [ "$PRAVO_PG_CASE" != a ]; then
    line=$(_pg_pick_cluster) || line=""
    if [ -z "$line" ]; then
      # Installed, but no cluster (e.g. postinst skipped cluster creation): create one.
      ver=$(ls /usr/lib/postgresql | sort -V | tail -n1)
      _pg_log "no cluster found; creating cluster $ver/main"
      if ! pg_createcluster "$ver" main >&2; then
        _pg_warn "pg_createcluster $ver main failed"
        return 1
      fi
      line=$(_pg_pick_cluster) || { _pg_warn "no cluster after pg_createcluster"; return 1; }
    fi
    read -r ver cluster port status <<<"$line"
    _pg_log "using cluster $ver/$cluster (port $port, status: $status)"
    [ "$ver" = 15 ] || _pg_warn "cluster version is $ver, not 15 (continuing)"
    [ "$port" = 5432 ] || _pg_warn "cluster port is $port, not 5432 (continuing with $port)"
    if [ "${status%%,*}" != online ]; then
      _pg_log "starting: pg_ctlcluster --skip-systemctl-redirect $ver $cluster start"
      if ! pg_ctlcluster --skip-systemctl-redirect "$ver" "$cluster" start >&2; then
        _pg_warn "pg_ctlcluster $ver $cluster start failed; log tail:"
        tail -n 20 "/var/log/postgresql/postgresql-$ver-$cluster.log" >&2 2>/dev/null || true
        return 1
      fi
    fi
  fi
  _pg_wait_ready "$port" || return 1

  # ---- client tools (case a on a machine with only a remote/containerised server)
  if ! command -v psql >/dev/null 2>&1; then
    _pg_apt_install postgresql-client || return 1
  fi

  # ---- role + database (idempotent) ----------------------------------------
  _pg_admin_method=""
  # Probe for a working superuser connection first, so errors are attributable.
  if ! _pg_admin_psql "$port" -qAtc 'select 1' >/dev/null 2>&1; then
    _pg_warn "could not connect as a superuser (tried OS user postgres over the Unix socket, role postgres over TCP, current user); errors:"
    _pg_admin_method=""
    _pg_admin_psql "$port" -qAtc 'select 1' >/dev/null || true   # show the error messages
    return 1
  fi
  _pg_log "connected as superuser via: $_pg_admin_method"
  local role_sql="DO \$\$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'pravo_test') THEN
    ALTER ROLE pravo_test WITH LOGIN CREATEDB PASSWORD 'pravo_test';
  ELSE
    CREATE ROLE pravo_test WITH LOGIN CREATEDB PASSWORD 'pravo_test';
  END IF;
END \$\$;"
  if ! _pg_admin_psql "$port" -q -c "$role_sql" >/dev/null; then
    _pg_warn "creating/updating role pravo_test failed"
    return 1
  fi
  local has_db
  if ! has_db=$(_pg_admin_psql "$port" -qAtc "select count(*) from pg_database where datname = 'pravo_test'"); then
    _pg_warn "could not query pg_database"
    return 1
  fi
  if [ "$has_db" = 0 ]; then
    _pg_admin_psql "$port" -q -c 'CREATE DATABASE pravo_test OWNER pravo_test' >/dev/null ||
      { _pg_warn "CREATE DATABASE pravo_test failed"; return 1; }
  else
    _pg_admin_psql "$port" -q -c 'ALTER DATABASE pravo_test OWNER TO pravo_test' >/dev/null ||
      { _pg_warn "ALTER DATABASE pravo_test OWNER failed"; return 1; }
  fi
  _pg_log "role pravo_test (LOGIN CREATEDB) and database pravo_test are in place"

  # ---- verify with the password over TCP -----------------------------------
  local url="postgres://pravo_test:pravo_test@127.0.0.1:${port}/pravo_test" out
  if ! out=$(_pg_psql "$url" -qAtc "select 1 as ok, current_setting('server_version'), (select rolcreatedb from pg_roles where rolname = current_user)" 2>&1); then
    _pg_warn "verification failed: psql \"$url\" -c 'select 1':"
    printf '%s\n' "$out" >&2
    return 1
  fi
  _pg_log "verified: select 1 -> $out  (ok|server_version|createdb)"
  TEST_DATABASE_URL=$url
  _pg_log "ready in $((SECONDS - t0))s"
  return 0
}

unset TEST_DATABASE_URL
PRAVO_PG_STATUS=""
PRAVO_PG_CASE="?"
if _pg_prepare; then
  export TEST_DATABASE_URL
  PRAVO_PG_STATUS="PostgreSQL ready (case $PRAVO_PG_CASE): TEST_DATABASE_URL=$TEST_DATABASE_URL"
  _pg_log "$PRAVO_PG_STATUS"
else
  unset TEST_DATABASE_URL
  PRAVO_PG_STATUS="PostgreSQL NOT available (case $PRAVO_PG_CASE) - PostgreSQL tests SKIPPED, tests run on embedded PGlite only"
  {
    echo
    echo "######################################################################"
    echo "###  WARNING: could not prepare PostgreSQL (detected case $PRAVO_PG_CASE)."
    echo "###  TEST_DATABASE_URL is NOT set: PostgreSQL tests are SKIPPED;"
    echo "###  the test suite runs on embedded PGlite only. See messages above."
    echo "######################################################################"
    echo
  } >&2
fi

# _pg_apt_install (with _pg_log, _pg_warn) stays: .ci/run installs Chromium with it.
unset -f _pg_psql _pg_ready _pg_wait_ready _pg_clusters \
  _pg_pick_cluster _pg_server_installed _pg_admin_psql _pg_prepare
unset _PG_ENV_UNSET _pg_admin_method
# When executed directly rather than sourced, show the result.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  echo "TEST_DATABASE_URL=${TEST_DATABASE_URL:-}"
fi
