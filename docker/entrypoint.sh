#!/bin/sh
# The image's entry point. `serve` (the default command) waits for the database, migrates it and
# then becomes `vidgate serve` (exec: the gateway is PID 1 and gets the container's SIGTERM), with
# the role of VIDGATE_ROLE (api, worker or all) in VIDGATE_WORKERS processes, listening on
# VIDGATE_HOST:VIDGATE_PORT. Any other command is a vidgate command: `migrate`, `keys list`, ...
#
# Containers that start together all migrate: the migration holds a PostgreSQL advisory lock, so
# one applies it while the others wait, and then find the database up to date.
set -eu

wait_and_migrate() {
    waited=0
    limit="${VIDGATE_DB_WAIT_SECONDS:-60}"
    # `vidgate migrate` exits non-zero, with one line saying why, while the database does not answer.
    until vidgate migrate; do
        if [ "$waited" -ge "$limit" ]; then
            echo "vidgate-entrypoint: no database after ${limit}s (VIDGATE_DB_WAIT_SECONDS); giving up" >&2
            exit 1
        fi
        sleep 1
        waited=$((waited + 1))
    done
}

if [ "${1:-serve}" = serve ]; then
    if [ "$#" -gt 0 ]; then shift; fi
    wait_and_migrate
    exec vidgate serve --host "${VIDGATE_HOST:-0.0.0.0}" --port "${VIDGATE_PORT:-8000}" "$@"
fi
exec vidgate "$@"
