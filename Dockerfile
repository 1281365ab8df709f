# The app image: API + voice gateway, and the action server (same code, another command).
FROM python:3.11-slim
RUN apt-get update && apt-get install -y --no-install-recommends espeak-ng sox libsox-fmt-all \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements/ requirements/
RUN pip install --no-cache-dir -r requirements/app.txt
COPY api/ api/
COPY actions/ actions/
COPY rasa_sdk_plugins/ rasa_sdk_plugins/
COPY voice/ voice/
COPY locales/ locales/
COPY nlu_data/ nlu_data/
COPY migrations/ migrations/
COPY alembic.ini ./
RUN useradd --create-home shramik && mkdir -p /app/var && chown shramik /app/var
USER shramik
