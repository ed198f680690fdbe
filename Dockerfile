# symbiosis API and dashboard image. The same image runs both services (see docker-compose.yml);
# the graph store is the Neo4j 5 service, reached through SYMBIOSIS_NEO4J_URI.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    SYMBIOSIS_HOME_DIR=/var/lib/symbiosis

WORKDIR /app

# Dependencies first, so editing the code does not re-download them.
COPY pyproject.toml README.md ./
COPY symbiosis/__init__.py symbiosis/__init__.py
RUN pip install ".[api,dashboard]" && pip uninstall -y symbiosis

COPY symbiosis ./symbiosis
COPY datasets ./datasets
COPY dashboard ./dashboard
RUN pip install --no-deps ".[api,dashboard]"

RUN useradd --system --create-home --uid 10001 symbiosis \
    && mkdir -p /var/lib/symbiosis && chown symbiosis /var/lib/symbiosis
USER symbiosis

EXPOSE 8000 8501
CMD ["symbiosis", "serve", "--host", "0.0.0.0"]
