# syntax=docker/dockerfile:1
# One image for web, worker and beat (docker-compose.yml picks the command).
# Three stages so the compilers and Node.js never reach the image that holds case material.

# --- Python dependencies: psycopg2 is built from source here ------------------------------------
FROM python:3.11-slim-bookworm AS python-deps

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# --no-install-recommends leaves out libc6-dev, which gcc needs for the C headers.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc libc6-dev libpq-dev \
    && rm -rf /var/lib/apt/lists/*

RUN python -m venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"

WORKDIR /app
COPY requirements.lock ./
RUN pip install -r requirements.lock
# The project itself (its metadata; the code runs from /app). Pinned dependencies come only from
# the lock file above.
COPY pyproject.toml ./
RUN pip install --no-deps .

# --- Front-end assets: GOV.UK Frontend compiled with the partnership's branding ------------------
# Any current Node LTS builds the assets (the locked sass needs Node 14 or later).
FROM node:24-bookworm-slim AS assets

WORKDIR /app
COPY package.json package-lock.json ./
# No install scripts: the only package with one (@parcel/watcher, for `sass --watch`) is unused.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY static/src ./static/src
RUN npm run build

# --- Runtime -----------------------------------------------------------------------------------
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH="/opt/venv/bin:$PATH" \
    DJANGO_SETTINGS_MODULE=lcspr.settings

# libpq5 for psycopg2; Pango and HarfBuzz's subsetter for WeasyPrint; Liberation Sans, the font
# the PDFs ask for (static/app/pdf/print.css).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpq5 libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 lcspr \
    && useradd --system --uid 10001 --gid lcspr --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin lcspr

WORKDIR /app
COPY --from=python-deps /opt/venv /opt/venv
COPY . .
COPY --from=assets /app/static/dist ./static/dist

# collectstatic runs without a SECRET_KEY (settings allow it for build commands only).
RUN python manage.py collectstatic --noinput \
    && mkdir -p var/celery var/media var/sent-mail \
    && chown -R lcspr:lcspr var staticfiles

USER lcspr

EXPOSE 8000

CMD ["gunicorn", "-c", "python:lcspr.gunicorn_conf", "lcspr.wsgi"]
