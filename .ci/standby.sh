# Sourced by .ci/run: a streaming hot standby of the local PostgreSQL cluster (the primary on 5432).
# Idempotent on a fresh machine and on a reused one: the primary is configured for replication only
# where it is not yet, and a standby that already streams is left alone.

psql_primary() { psql -h 127.0.0.1 -p 5432 -U postgres -Atc "$1"; }

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

configure_primary_for_replication() {
  local hba changed=0
  # wal_level replica and WAL senders are PostgreSQL's defaults; a site that lowered them needs a restart.
  if [ "$(psql_primary 'SHOW wal_level')" = minimal ] || [ "$(psql_primary 'SHOW max_wal_senders')" -lt 2 ]; then
    psql_primary "ALTER SYSTEM SET wal_level = replica" >/dev/null
    psql_primary "ALTER SYSTEM SET max_wal_senders = 10" >/dev/null
    pg_ctlcluster --skip-systemctl-redirect "$PGVER" main restart
    for _ in $(seq 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
  fi
  # The standby's replication slot keeps the WAL it still needs, but never more than this: past it
  # the slot is given up and the next run rebuilds the standby instead of filling the disk.
  if [ "$(psql_primary 'SHOW max_slot_wal_keep_size')" = "-1" ]; then
    psql_primary "ALTER SYSTEM SET max_slot_wal_keep_size = '4GB'" >/dev/null
    changed=1
  fi
  hba=$(psql_primary 'SHOW hba_file')
  if ! grep -Eq '^[[:space:]]*host[[:space:]]+replication[[:space:]]+all[[:space:]]+127\.0\.0\.1/32' "$hba"; then
    printf '# streaming standby of the CI (.ci/standby.sh)\nhost replication all 127.0.0.1/32 trust\n' >> "$hba"
    changed=1
  fi
  [ "$changed" = 1 ] && psql_primary "SELECT pg_reload_conf()" >/dev/null
  return 0
}

start_standby() {
  local port=$1
  PGVER=$(ls /etc/postgresql | sort -V | tail -1)
  PGBIN=/usr/lib/postgresql/$PGVER/bin
  REPLICA_PGDATA=${REPLICA_PGDATA:-/var/lib/postgresql/$PGVER/ci-standby}
  configure_primary_for_replication
  if [ "$(psql_primary "SELECT count(*) FROM pg_stat_replication WHERE application_name = 'ci_standby' AND state IN ('streaming', 'catchup')")" != 0 ] \
     && pg_isready -h 127.0.0.1 -p "$port" -q; then
    return 0
  fi
  if [ -f "$REPLICA_PGDATA/postmaster.pid" ]; then
    as_postgres "$PGBIN/pg_ctl" -D "$REPLICA_PGDATA" stop -m fast -w >/dev/null 2>&1 || true
  fi
  rm -rf "$REPLICA_PGDATA"
  # An empty directory the postgres account owns (its parent may belong to root).
  mkdir -p "$REPLICA_PGDATA" && chmod 700 "$REPLICA_PGDATA"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$REPLICA_PGDATA"
  psql_primary "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = 'ci_standby'" >/dev/null
  as_postgres "$PGBIN/pg_basebackup" -h 127.0.0.1 -p 5432 -U postgres -D "$REPLICA_PGDATA" -X stream -c fast \
    -C -S ci_standby
  # Debian keeps the primary's configuration under /etc, so the copy gets a small one of its own;
  # a hot standby needs at least the primary's connection and worker limits.
  cat > "$REPLICA_PGDATA/postgresql.conf" <<CONF
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '/var/run/postgresql'
hot_standby = on
max_connections = $(psql_primary 'SHOW max_connections')
max_worker_processes = $(psql_primary 'SHOW max_worker_processes')
max_wal_senders = $(psql_primary 'SHOW max_wal_senders')
max_prepared_transactions = $(psql_primary 'SHOW max_prepared_transactions')
max_locks_per_transaction = $(psql_primary 'SHOW max_locks_per_transaction')
shared_buffers = 128MB
primary_conninfo = 'host=127.0.0.1 port=5432 user=postgres application_name=ci_standby'
primary_slot_name = 'ci_standby'
CONF
  printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' > "$REPLICA_PGDATA/pg_hba.conf"
  : > "$REPLICA_PGDATA/pg_ident.conf"
  chown postgres:postgres "$REPLICA_PGDATA"/*.conf 2>/dev/null || true
  as_postgres touch "$REPLICA_PGDATA/standby.signal"
  as_postgres "$PGBIN/pg_ctl" -D "$REPLICA_PGDATA" -l "$REPLICA_PGDATA/standby.log" -w start >/dev/null
  for _ in $(seq 30); do pg_isready -h 127.0.0.1 -p "$port" -q && break; sleep 1; done
}
