# One image for the web API and the workers:
#   docker run IMAGE                       -> `moderation serve` (gunicorn on 0.0.0.0:8000)
#   docker run IMAGE moderation worker     -> one RQ worker
#   docker run IMAGE moderation db upgrade -> migrations, run at deploy time, never at build time

# Build stage: install the package and its dependencies (all wheels; no compiler) into a venv.
FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY moderation/ moderation/
COPY workers/ workers/
RUN python -m venv /venv \
    && /venv/bin/pip install --no-cache-dir .

# Runtime stage: the venv, the rules, a non-root user; no source tree to shadow the package.
# gunicorn's control socket (for `gunicornc -s /app/var/gunicorn.ctl`) goes in the one folder
# the user may write: its default, under the home folder, is not writable here.
FROM python:3.11-slim-bookworm
ENV PATH=/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    MODERATION_CONFIG_DIR=/app/config \
    MODERATION_BIND=0.0.0.0:8000 \
    MODERATION_LOG_FORMAT=json \
    GUNICORN_CMD_ARGS="--control-socket /app/var/gunicorn.ctl"
RUN groupadd --system --gid 10001 moderation \
    && useradd --system --uid 10001 --gid moderation --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin moderation \
    && mkdir -p /app/var \
    && chown moderation:moderation /app/var
COPY --from=build /venv /venv
# The rules stay owned by root: the service reads them and must not be able to change them.
COPY config/ /app/config/
WORKDIR /app
USER 10001:10001
EXPOSE 8000
# Web only (a worker serves no HTTP; compose disables this check for it). No curl in slim.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; port = os.environ.get('MODERATION_BIND', ':8000').rpartition(':')[2]; urllib.request.urlopen(f'http://127.0.0.1:{port}/healthz', timeout=4)"]
CMD ["moderation", "serve"]
