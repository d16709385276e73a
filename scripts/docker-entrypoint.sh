#!/bin/sh
# Container entrypoint. Postgres and Redis readiness is left to the compose healthchecks
# (depends_on: condition: service_healthy), so nothing waits here.
# RUN_MIGRATIONS=1 (set on the web service only): apply migrations and create the database cache
# table before starting. Then run the container's command (gunicorn by default, or Celery).
set -eu

cd "$(dirname "$0")/.."

if [ "${RUN_MIGRATIONS:-0}" = "1" ]; then
    python manage.py migrate --noinput
    python manage.py createcachetable
fi

exec "$@"
