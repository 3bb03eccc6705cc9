# syntax=docker/dockerfile:1
# meetwire's image: `docker build -t meetwire .`, then `docker run meetwire run --stage enrich`.

# Builder: builds meetwire's wheel and installs it, with its dependencies, into /opt/venv.
FROM python:3.12-slim AS builder
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pyproject.toml README.md ./
COPY schemas ./schemas
COPY seeds ./seeds
COPY service ./service
RUN python -m pip wheel --no-deps --wheel-dir /wheels . \
    && python -m venv /opt/venv \
    && /opt/venv/bin/pip install /wheels/meetwire-*.whl \
    && /opt/venv/bin/meetwire --version

# Runtime: the virtual environment only, run by an unprivileged user.
FROM python:3.12-slim
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    MEETWIRE_DATA_DIR=/data
RUN groupadd --system --gid 10001 meetwire \
    && useradd --system --uid 10001 --gid meetwire --home-dir /data --no-create-home --shell /usr/sbin/nologin meetwire \
    && mkdir /data \
    && chown meetwire:meetwire /data
COPY --from=builder /opt/venv /opt/venv
USER meetwire
WORKDIR /data
VOLUME ["/data"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["meetwire"]
CMD ["run"]
