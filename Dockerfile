# The portal as one image: web (gunicorn), Celery worker and Celery beat all run from it.
# docker-compose.yml wires it to Postgres and Redis; `docker-compose config` validates it offline.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=portal.settings \
    PORTAL_VAR_DIR=/data/var \
    MEDIA_ROOT=/data/media \
    GUNICORN_WORKERS=3

# Runtime Debian packages: the base set of scripts/system-deps.sh (no Chromium, poppler or wrk):
# gettext for the message catalogues, Pango + DejaVu fonts for WeasyPrint PDFs with Kazakh Cyrillic.
# Plus libharfbuzz-subset0: without it WeasyPrint 70 warns at every import and subsets fonts slower.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      gettext \
      libpango-1.0-0 \
      libpangoft2-1.0-0 \
      libharfbuzz-subset0 \
      fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

# A writable home for the runtime user: gunicorn puts its control socket in ~/.gunicorn and
# fontconfig (WeasyPrint) its cache in ~/.cache.
RUN groupadd --system --gid 1000 portal \
 && useradd --system --uid 1000 --gid portal --create-home --home-dir /home/portal \
      --shell /usr/sbin/nologin portal

WORKDIR /app

# Runtime requirements only (requirements-dev.txt is for tests and linting).
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

# The code stays owned by root: the portal user can read it, not change it.
COPY . .

# Build-time steps get a throwaway SECRET_KEY inline, so settings never writes a key file into
# the image; the variables exist only for this RUN step.
# - compilemessages: DEBUG=1.
# - collectstatic: DEBUG=0, deliberately. Settings pick CompressedManifestStaticFilesStorage only
#   when DEBUG is off, and the containers run with DEBUG=0; collecting with DEBUG=1 would write no
#   staticfiles.json manifest and every {% static %} would fail at runtime.
# STATIC_ROOT is $PORTAL_VAR_DIR/staticfiles, so the build uses the same /data/var as runtime.
# Without REDIS_URL at build time settings create var/celery-broker/ (filesystem transport); it is
# removed so a root-owned copy never shadows the one the portal user would create.
RUN chmod 0755 scripts/docker-entrypoint.sh \
 && DEBUG=1 SECRET_KEY=build-time-only-not-a-secret python manage.py compilemessages -v 0 \
 && DEBUG=0 SECRET_KEY=build-time-only-not-a-secret python manage.py collectstatic --noinput -v 0 \
 && rm -rf /data/var/celery-broker \
 && mkdir -p /data/var /data/media \
 && chown portal:portal /data/var /data/media

# Numeric, so platforms that enforce "run as non-root" can verify it.
USER 1000:1000

EXPOSE 8000

ENTRYPOINT ["/app/scripts/docker-entrypoint.sh"]
CMD ["sh", "-c", "exec gunicorn portal.wsgi:application --bind 0.0.0.0:8000 --workers \"${GUNICORN_WORKERS:-3}\" --access-logfile - --error-logfile -"]
