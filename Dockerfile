# The app image: API + voice gateway, and the action server (same code, another command).
# The console's Bengali/Devanagari web fonts come from npm (pinned in scripts/fonts), in a
# stage of their own so the app image carries the four font files and no node.
FROM node:20-slim AS fonts
WORKDIR /src
COPY scripts/install_fonts.sh scripts/
COPY scripts/fonts/package.json scripts/fonts/package-lock.json scripts/fonts/.npmrc scripts/fonts/
RUN mkdir -p api/web/static/fonts && bash scripts/install_fonts.sh

FROM python:3.11-slim
RUN apt-get update && apt-get install -y --no-install-recommends espeak-ng sox libsox-fmt-all opus-tools \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements/bootstrap.lock requirements/app.lock requirements/
# Pinned and hashed (`make lock`); torch is 2.13.0+cpu, which only PyTorch's CPU index has. The
# pinned pip first, as in make setup: an older pip mis-resolves a pinned package's extras.
RUN pip install --no-cache-dir --require-hashes -r requirements/bootstrap.lock
RUN pip install --no-cache-dir --require-hashes \
      --extra-index-url https://download.pytorch.org/whl/cpu -r requirements/app.lock
COPY api/ api/
COPY --from=fonts /src/api/web/static/fonts/ api/web/static/fonts/
COPY actions/ actions/
COPY rasa_sdk_plugins/ rasa_sdk_plugins/
COPY voice/ voice/
COPY locales/ locales/
COPY nlu_data/ nlu_data/
COPY migrations/ migrations/
COPY alembic.ini asgi.py ./
RUN useradd --create-home shramik && mkdir -p /app/var && chown shramik /app/var
USER shramik
