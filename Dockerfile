# syntax=docker/dockerfile:1
# vidgate's image: `docker build -t vidgate .` (compose.yaml builds and runs it as API and worker
# containers). PYTHON_IMAGE may name a mirror of the same image.
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# Build: the wheel (spec, handlers, generated client, migrations and studio inside), then a
# virtualenv holding it and its runtime dependencies only, all binary wheels (PyAV's bundles FFmpeg
# and libx264, so the image needs no system packages).
FROM ${PYTHON_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
COPY . .
RUN python -m pip wheel --quiet --no-deps --wheel-dir /dist . \
    && python -m venv /opt/vidgate \
    && /opt/vidgate/bin/pip install --quiet --only-binary=:all: /dist/vidgate-*.whl

FROM ${PYTHON_IMAGE}
ENV PATH=/opt/vidgate/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    VIDGATE_DATA_DIR=/var/lib/vidgate \
    VIDGATE_HOST=0.0.0.0 \
    VIDGATE_PORT=8000
RUN useradd --system --uid 10001 --user-group --home-dir /var/lib/vidgate --create-home vidgate
COPY --from=build /opt/vidgate /opt/vidgate
COPY docker/entrypoint.sh /usr/local/bin/vidgate-entrypoint
COPY docker/healthcheck.py /usr/local/lib/vidgate-healthcheck.py
USER vidgate
WORKDIR /var/lib/vidgate
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "/usr/local/lib/vidgate-healthcheck.py"]
ENTRYPOINT ["vidgate-entrypoint"]
CMD ["serve"]
