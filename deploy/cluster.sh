#!/usr/bin/env bash
# `make cluster`: what a district runs on several machines, brought up on this one, then a
# load run through the balancer during which one web node is stopped and started again.
#
#   PostgreSQL primary        127.0.0.1:$PRIMARY_PORT  (a cluster of its own, .cluster/pg/primary)
#   PostgreSQL replica        127.0.0.1:$REPLICA_PORT  (pg_basebackup -R, streaming; reports read here)
#   PgBouncer                 127.0.0.1:$PGBOUNCER_PORT (in front of the primary, session pooling)
#   Redis                     127.0.0.1:$REDIS_PORT   (db 1: cache and sessions; db 2: Celery)
#   Celery worker and beat
#   gunicorn web1, web2       127.0.0.1:$WEB1_PORT, $WEB2_PORT (config.settings.production)
#   HAProxy                   127.0.0.1:$BALANCER_PORT (health checks on /healthz)
#
# Everything runs from Debian's packages (installed with apt-get when missing) and lives
# under .cluster/ (git-ignored); nothing touches the machine's own PostgreSQL (5432) or
# Redis (6379). Everything started here is stopped on exit, whatever happened, and a
# second run starts afresh. CLUSTER_PORT_BASE moves every port (default 55400);
# CLUSTER_SECONDS sets the length of each phase of the load run (default 20);
# CLUSTER_HOLD=1 keeps everything up after the run, to look around, until Ctrl-C.
set -euo pipefail
case "${1:-}" in
  -h | --help)
    sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
    exit 0
    ;;
  "") ;;
  *)
    echo "usage: deploy/cluster.sh [--help]   (settings are environment variables)" >&2
    exit 2
    ;;
esac
cd "$(dirname "$0")/.."
ROOT=$PWD
CLUSTER=$ROOT/.cluster
PG_DIR=$CLUSTER/pg        # owned by PostgreSQL's user: both clusters, sockets, PgBouncer
RUN=$CLUSTER/run          # pid files, logs, the rendered configuration
PY=$ROOT/.venv/bin/python

base=${CLUSTER_PORT_BASE:-55400}
export PRIMARY_PORT=$((base + 32)) REPLICA_PORT=$((base + 33)) PGBOUNCER_PORT=$((base + 34))
export REDIS_PORT=$((base + 79)) BALANCER_PORT=$((base + 80))
export WEB1_PORT=$((base + 81)) WEB2_PORT=$((base + 82)) WEB_WORKERS=2
export DATABASE_NAME=tandem PGBOUNCER_DATABASE=tandem
export PG_SOCKETS=$PG_DIR PGBOUNCER_DIR=$PG_DIR/pgbouncer HAPROXY_SOCKET=$RUN/haproxy.sock

say() { printf '\n== %s\n' "$*"; }
fail() { printf 'make cluster: %s\n' "$*" >&2; exit 1; }

# As PostgreSQL's user when run as root (PostgreSQL and PgBouncer refuse to run as root).
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# Debian's packages ------------------------------------------------------------
missing=()
ls -d /usr/lib/postgresql/*/bin/pg_basebackup >/dev/null 2>&1 || missing+=(postgresql)
command -v pgbouncer >/dev/null || missing+=(pgbouncer)
command -v haproxy >/dev/null || missing+=(haproxy)
command -v redis-server >/dev/null || missing+=(redis-server)
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || fail "install ${missing[*]} first: sudo apt-get install ${missing[*]}"
  say "Installing ${missing[*]} (apt-get)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
[ -x "$PY" ] || fail "no virtual environment: run it as \`make cluster\`"

# Stopping what a run started: on exit, and before a run, what a killed run left ---------
# A pid file is only trusted while its process is still the program it names.
pid_of() { # file, program
  local pid
  [ -s "$1" ] || return 1
  pid=$(head -n 1 "$1")
  [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$2" &&
    echo "$pid"
}

stop_pid() { # file, program, [group]: TERM, then KILL after 30 s
  local pid target
  pid=$(pid_of "$1" "$2") || { rm -f "$1"; return 0; }
  target=$pid
  [ "${3:-}" = group ] && target=-$pid
  kill -TERM -- "$target" 2>/dev/null || true
  for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "$target" 2>/dev/null || true
  rm -f "$1"
}

stop_postgres() { # data folder
  [ -f "$1/postmaster.pid" ] && as_pg "$PG_BIN/pg_ctl" -D "$1" -m fast -w stop >/dev/null 2>&1
  return 0
}

stop_all() {
  [ -d "$CLUSTER" ] || return 0
  stop_pid "$RUN/cluster_run.pid" cluster_run
  stop_pid "$RUN/haproxy.pid" haproxy
  stop_pid "$RUN/web1.pid" gunicorn group
  stop_pid "$RUN/web2.pid" gunicorn group
  stop_pid "$RUN/celery-beat.pid" celery
  stop_pid "$RUN/celery-worker.pid" celery
  stop_pid "$PGBOUNCER_DIR/pgbouncer.pid" pgbouncer
  stop_pid "$RUN/redis.pid" redis-server
  stop_postgres "$PG_DIR/replica"
  stop_postgres "$PG_DIR/primary"
}

finish() {
  local status=$?
  # Cleaning up must not be cut short: by the same signal sent again to the whole process
  # group (timeout, a closed terminal), or by a reader of the output that went away.
  trap '' INT TERM HUP PIPE
  trap - EXIT
  set +e
  say "Stopping everything the cluster started" 2>/dev/null
  stop_all
  rm -f "$CLUSTER/cluster.pid"
  case $status in
    0) ;;
    129 | 130 | 141 | 143) printf 'make cluster: stopped; logs: %s\n' "$RUN/" >&2 ;;
    *) printf 'make cluster failed (exit %s); logs: %s\n' "$status" "$RUN/" >&2 ;;
  esac 2>/dev/null
  exit $status
}

# One run at a time: a second one would stop the first one's cluster under it.
mkdir -p "$CLUSTER"
if running=$(pid_of "$CLUSTER/cluster.pid" cluster.sh); then
  fail "another run (process $running) is using .cluster/; stop it first (Ctrl-C there)"
fi
echo $$ >"$CLUSTER/cluster.pid"
stop_all # what a run that was killed outright left behind
trap finish EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 141' PIPE
trap 'exit 143' TERM

for port in $PRIMARY_PORT $REPLICA_PORT $PGBOUNCER_PORT $REDIS_PORT $BALANCER_PORT $WEB1_PORT \
  $WEB2_PORT; do
  if (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    fail "port $port is in use; choose other ports with CLUSTER_PORT_BASE"
  fi
done

rm -rf "$PG_DIR" "$RUN"
mkdir -p "$PG_DIR/pgbouncer" "$RUN" "$CLUSTER/media"
chmod 700 "$PG_DIR"
[ "$(id -u)" = 0 ] && chown -R postgres: "$PG_DIR"
as_pg test -w "$PG_DIR" || fail "PostgreSQL's user cannot write $PG_DIR: put the checkout where it can"

secret() { "$PY" -c 'import secrets; print(secrets.token_hex(16))'; }
render() { # template, output: ${NAME} from the environment
  "$PY" -c 'import os, string, sys; print(string.Template(open(sys.argv[1]).read()).substitute(os.environ), end="")' "$1" >"$2"
}
superuser_password=$(secret) tandem_password=$(secret)
reports_password=$(secret) replicator_password=$(secret)

# PostgreSQL primary -------------------------------------------------------------
say "PostgreSQL primary: initdb, port $PRIMARY_PORT"
printf '%s\n' "$superuser_password" >"$RUN/pwfile"
[ "$(id -u)" = 0 ] && chown postgres "$RUN/pwfile"
as_pg "$PG_BIN/initdb" -D "$PG_DIR/primary" -U postgres --pwfile="$RUN/pwfile" -E UTF8 \
  --locale=C.UTF-8 --auth-local=peer --auth-host=scram-sha-256 >"$RUN/initdb.log"
rm -f "$RUN/pwfile"
PG_PORT=$PRIMARY_PORT render deploy/postgresql.conf "$RUN/postgresql-primary.conf"
as_pg tee -a "$PG_DIR/primary/postgresql.conf" <"$RUN/postgresql-primary.conf" >/dev/null
# The replica streams over TCP as a role of its own.
echo "host replication replicator 127.0.0.1/32 scram-sha-256" |
  as_pg tee -a "$PG_DIR/primary/pg_hba.conf" >/dev/null
as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/primary" -l "$PG_DIR/primary.log" -w start >/dev/null

psql_super() { # sql...
  PGPASSWORD=$superuser_password psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 \
    -p "$PRIMARY_PORT" -U postgres -d postgres "$@"
}
psql_super -c "CREATE ROLE tandem LOGIN PASSWORD '$tandem_password'" \
  -c "CREATE ROLE replicator LOGIN REPLICATION PASSWORD '$replicator_password'" \
  -c "CREATE DATABASE $DATABASE_NAME OWNER tandem"

# PostgreSQL replica ---------------------------------------------------------------
say "PostgreSQL replica: pg_basebackup -R, port $REPLICA_PORT"
# -R writes standby.signal and primary_conninfo; -C -S a replication slot, so the primary
# keeps every WAL segment the replica has not replayed yet.
as_pg env PGPASSWORD="$replicator_password" "$PG_BIN/pg_basebackup" -h 127.0.0.1 \
  -p "$PRIMARY_PORT" -U replicator -D "$PG_DIR/replica" -R -C -S tandem_replica -X stream \
  --checkpoint=fast
echo "port = $REPLICA_PORT" | as_pg tee -a "$PG_DIR/replica/postgresql.conf" >/dev/null
as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/replica" -l "$PG_DIR/replica.log" -w start >/dev/null
state=""
for _ in $(seq 100); do
  state=$(psql_super -At -c "SELECT state FROM pg_stat_replication" || true)
  [ "$state" = streaming ] && break
  sleep 0.2
done
[ "$state" = streaming ] || fail "the replica is not streaming (see $PG_DIR/replica.log)"
echo "replica: $state"

# PgBouncer ------------------------------------------------------------------------
say "PgBouncer 1.$(pgbouncer --version | sed -n 's/^PgBouncer 1\.\([0-9.]*\).*/\1/p'), port $PGBOUNCER_PORT, pool_mode session"
printf '"tandem" "%s"\n"postgres" "%s"\n' "$tandem_password" "$superuser_password" |
  as_pg tee "$PGBOUNCER_DIR/userlist.txt" >/dev/null
as_pg chmod 600 "$PGBOUNCER_DIR/userlist.txt"
render deploy/pgbouncer.ini "$RUN/pgbouncer.ini"
as_pg cp "$RUN/pgbouncer.ini" "$PGBOUNCER_DIR/pgbouncer.ini"
as_pg pgbouncer -d -q "$PGBOUNCER_DIR/pgbouncer.ini"

# Redis ----------------------------------------------------------------------------
say "Redis, port $REDIS_PORT (db 1 cache and sessions, db 2 Celery)"
redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" \
  --appendonly no --dir "$RUN" --pidfile "$RUN/redis.pid" --logfile "$RUN/redis.log"
for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done

# Tandem's environment: every process of every node reads the same -------------------
export DJANGO_SETTINGS_MODULE=config.settings.production DJANGO_READ_DOT_ENV_FILE=false
SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')
export SECRET_KEY
export DATABASE_URL="postgres://tandem:$tandem_password@127.0.0.1:$PGBOUNCER_PORT/$PGBOUNCER_DATABASE"
export REPORTS_DATABASE_URL="postgres://tandem_reports:$reports_password@127.0.0.1:$REPLICA_PORT/$DATABASE_NAME"
export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/1" CELERY_BROKER_URL="redis://127.0.0.1:$REDIS_PORT/2"
export ALLOWED_HOSTS=127.0.0.1 SITE_URL="http://127.0.0.1:$BALANCER_PORT" TRUSTED_PROXY_COUNT=1
# Plain HTTP on the loopback, as the benchmark speaks: no redirect to HTTPS.
export SECURE_SSL_REDIRECT=false MEDIA_ROOT=$CLUSTER/media

say "Schema (through PgBouncer), the reports role, the district"
"$PY" manage.py migrate --no-input -v 0
# Creating a role takes the superuser; on the primary, and the replica copies it.
DATABASE_URL="postgres://postgres:$superuser_password@127.0.0.1:$PRIMARY_PORT/$DATABASE_NAME" \
  "$PY" manage.py create_reports_role --password "$reports_password"
# 2 schools, 200 teachers, 10,000 observations: every coach has partnerships, cycles and
# shared observations to read, in a few seconds of seeding. No report release yet: the
# run watches the first one made on the primary reach the replica.
"$PY" manage.py seed_scale --schools 2 --teachers 200 --observations 10000 --no-release |
  grep -E '^(Generating|Done in|Sign in)|^  (coach|teacher|school|district) '

"$PY" manage.py collectstatic --no-input -v 0

say "Celery worker and beat"
"$PY" -m celery -A config worker --concurrency 1 --loglevel info \
  --pidfile "$RUN/celery-worker.pid" >"$RUN/celery-worker.log" 2>&1 &
"$PY" -m celery -A config beat --loglevel info --pidfile "$RUN/celery-beat.pid" \
  --schedule "$RUN/celerybeat-schedule" >"$RUN/celery-beat.log" 2>&1 &

say "HAProxy $(haproxy -v | sed -n 's/^HAProxy version \([0-9.]*\).*/\1/p'), port $BALANCER_PORT"
render deploy/haproxy.cfg "$RUN/haproxy.cfg"
haproxy -c -q -f "$RUN/haproxy.cfg"
haproxy -db -f "$RUN/haproxy.cfg" >"$RUN/haproxy.log" 2>&1 &
echo $! >"$RUN/haproxy.pid"

# The web nodes are started by the run, which stops one and starts it again --------------
say "Load run through HAProxy"
# The replica's lag is read on the primary, where pg_stat_replication needs a superuser.
export CLUSTER_MONITOR="host=127.0.0.1 port=$PRIMARY_PORT user=postgres password=$superuser_password dbname=$DATABASE_NAME"
"$PY" manage.py cluster_run --balancer "$BALANCER_PORT" --web "web1=$WEB1_PORT" \
  --web "web2=$WEB2_PORT" --workers "$WEB_WORKERS" --run-dir "$RUN" \
  --haproxy-socket "$HAPROXY_SOCKET" --haproxy-log "$RUN/haproxy.log" \
  --seconds "${CLUSTER_SECONDS:-20}" ${CLUSTER_HOLD:+--hold} \
  --watch "primary=$PG_DIR/primary/postmaster.pid" --watch "replica=$PG_DIR/replica/postmaster.pid" \
  --watch "pgbouncer=$PGBOUNCER_DIR/pgbouncer.pid" --watch "redis=$RUN/redis.pid" \
  --watch "haproxy=$RUN/haproxy.pid" --watch "celery=$RUN/celery-worker.pid" &
echo $! >"$RUN/cluster_run.pid"
wait $!
