#!/usr/bin/env bash
# A throwaway PostgreSQL server for the test suite (used by `make test`).
#
#   tests/postgres_server.sh start DIR   -> prints TEST_POSTGRES_URL (nothing if no server can be had)
#   tests/postgres_server.sh stop DIR    -> stops the server started in DIR and removes DIR
#
# Uses Debian's postgresql binaries; installs the `postgresql` package when run as root and
# it is missing. The cluster lives in DIR, listens on 127.0.0.1 on a free port only, and has
# one password-protected superuser for the tests. As root the server runs as the `postgres`
# user (PostgreSQL refuses to run as root). Messages go to stderr; stdout is only the URL.
set -u

cmd=${1:-}
dir=${2:-}
if [ -z "$cmd" ] || [ -z "$dir" ]; then
    echo "usage: $0 start|stop DIR" >&2
    exit 2
fi

find_bindir() {
    local d
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
            echo "$d"
            return 0
        fi
    done
    return 1
}

as_owner() {  # run a command as the cluster's owner
    if [ "$(id -u)" = "0" ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

case "$cmd" in
start)
    bindir=$(find_bindir)
    if [ -z "$bindir" ]; then
        if [ "$(id -u)" = "0" ]; then
            echo "installing Debian's postgresql for the PostgreSQL tests..." >&2
            (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) >&2 \
                || echo "could not install postgresql: the PostgreSQL tests will be skipped" >&2
            bindir=$(find_bindir)
        else
            echo "PostgreSQL is not installed (sudo apt-get install postgresql): the PostgreSQL tests will be skipped" >&2
        fi
    fi
    [ -n "$bindir" ] || exit 0
    mkdir -p "$dir"
    if [ "$(id -u)" = "0" ]; then
        chown postgres: "$dir"
    fi
    chmod 700 "$dir"
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
    password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
    user=conflict_test
    printf '%s\n' "$password" | as_owner tee "$dir/pwfile" >/dev/null
    chmod 600 "$dir/pwfile"
    if ! as_owner "$bindir/initdb" -D "$dir/data" -U "$user" --pwfile="$dir/pwfile" --auth=scram-sha-256 \
            -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1; then
        echo "initdb failed (see $dir/initdb.log): the PostgreSQL tests will be skipped" >&2
        cat "$dir/initdb.log" >&2
        exit 0
    fi
    rm -f "$dir/pwfile"
    if ! as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
            -o "-p $port -c listen_addresses=127.0.0.1 -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
            start >&2; then
        echo "the PostgreSQL server did not start (see $dir/server.log): the PostgreSQL tests will be skipped" >&2
        cat "$dir/server.log" >&2
        exit 0
    fi
    echo "$bindir" >"$dir/bindir"
    echo "PostgreSQL test server on 127.0.0.1:$port (data in $dir)" >&2
    echo "postgresql+psycopg://$user:$password@127.0.0.1:$port/postgres"
    ;;
stop)
    if [ -f "$dir/bindir" ] && [ -d "$dir/data" ]; then
        as_owner "$(cat "$dir/bindir")/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 \
            || echo "could not stop the PostgreSQL test server in $dir" >&2
    fi
    rm -rf "$dir"
    ;;
*)
    echo "usage: $0 start|stop DIR" >&2
    exit 2
    ;;
esac
