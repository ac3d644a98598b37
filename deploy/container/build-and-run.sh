#!/usr/bin/env bash
# Build the image with podman and prove it works: enrich the sample articles inside the
# container against the local Kafka broker (host network), check the health check, non-root
# user and SIGTERM drain, and report the image size.
#
# podman here needs runc (crun fails on this kernel setup) and a containers.conf without
# default ulimits. No image registry is reachable, so the base image debian:bookworm-slim is
# made with debootstrap from Debian's mirror and imported, once (cached in podman's storage).
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
cd "$REPO"
IMAGE=${IMAGE:-enrich-worker:0.1.0}
BASE=debian:bookworm-slim
CACHE=$REPO/.cache/container
mkdir -p "$CACHE"
say() { echo "image: $*"; }

for tool in podman runc debootstrap; do
  if ! command -v "$tool" >/dev/null; then
    [ "$(id -u)" = 0 ] || { echo "image: $tool is missing (apt-get install podman runc debootstrap)" >&2; exit 1; }
    apt-get update -qq && apt-get install -y -qq podman runc debootstrap >/dev/null
  fi
done
printf '[containers]\ndefault_ulimits = []\n' >"$CACHE/containers.conf"
export CONTAINERS_CONF=$CACHE/containers.conf
PODMAN=(podman --runtime runc)

if ! "${PODMAN[@]}" image exists "$BASE"; then
  say "making $BASE with debootstrap (once)"
  rm -rf "$CACHE/rootfs"
  debootstrap --variant=minbase bookworm "$CACHE/rootfs" >"$CACHE/debootstrap.log" 2>&1 \
    || { tail -n 20 "$CACHE/debootstrap.log" >&2; exit 1; }
  tar -C "$CACHE/rootfs" -c . | "${PODMAN[@]}" import - "$BASE" >/dev/null 2>&1
  rm -rf "$CACHE/rootfs"
fi

say "building $IMAGE"
start=$SECONDS
# Behind a TLS-inspecting proxy the host's CA bundle is what makes PyPI trusted; it is handed
# to the build as a secret (EXTRA_CA, default: the host bundle), never stored in the image.
EXTRA_CA=${EXTRA_CA:-/etc/ssl/certs/ca-certificates.crt}
SECRET=()
[ -s "$EXTRA_CA" ] && SECRET=(--secret "id=extra_ca,src=$EXTRA_CA")
"${PODMAN[@]}" build --format docker --network=host "${SECRET[@]}" --build-arg MODELS=pypi \
  -t "$IMAGE" . \
  >"$CACHE/build.log" 2>&1 || { tail -n 30 "$CACHE/build.log" >&2; exit 1; }
size=$("${PODMAN[@]}" image inspect --format '{{.Size}}' "$IMAGE")
say "built in $((SECONDS - start)) s; size $((size / 1024 / 1024)) MiB"

# A broker of our own on a separate port and data dir, stopped at the end.
# Ports below the Linux ephemeral range (32768-60999): there an outgoing connection may hold the
# port as its local end at the moment the broker binds (seen once: "Address already in use").
export KAFKA_PORT=${KAFKA_PORT:-29092} KAFKA_DATA_DIR=$CACHE/kafka
BOOT=$(deploy/local/kafka start | tail -n 1 | sed 's/^bootstrap=//')
NAME=enrich-worker-smoke-$$
TAG=$(date +%s)
cleanup() {
  "${PODMAN[@]}" rm -f "$NAME" >/dev/null 2>&1 || true
  deploy/local/kafka stop >/dev/null || true
}
trap cleanup EXIT
PORT=${METRICS_PORT:-29464}
ENVS=(-e "ENRICH_BOOTSTRAP_SERVERS=$BOOT" -e "ENRICH_INPUT_TOPIC=img.raw.$TAG"
      -e "ENRICH_OUTPUT_TOPIC=img.enriched.$TAG" -e "ENRICH_DLQ_TOPIC=img.dlq.$TAG"
      -e "ENRICH_GROUP_ID=img-$TAG" -e "ENRICH_METRICS_PORT=$PORT" -e "ENRICH_WORKERS=1")
"${PODMAN[@]}" run --rm --network=host "${ENVS[@]}" "$IMAGE" topics >/dev/null
"${PODMAN[@]}" run -d --name "$NAME" --network=host "${ENVS[@]}" "$IMAGE" run >/dev/null
say "container started; waiting for /readyz"
for _ in $(seq 1 180); do
  curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break
  sleep 1
done
curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null || { "${PODMAN[@]}" logs "$NAME" | tail -n 20 >&2; exit 1; }
uid=$("${PODMAN[@]}" exec "$NAME" id -u)
[ "$uid" = 10001 ] || { echo "image: runs as uid $uid, not 10001" >&2; exit 1; }
"${PODMAN[@]}" healthcheck run "$NAME" && say "HEALTHCHECK passes; runs as uid $uid"

# Feed the samples with the image's own client, then read the enriched topic.
"${PODMAN[@]}" run --rm --network=host -v "$REPO/samples:/samples:ro" --entrypoint python3 \
  "$IMAGE" -m worker.feed --bootstrap-servers "$BOOT" --topic "img.raw.$TAG" /samples/articles.jsonl
n=$(grep -c . samples/articles.jsonl)
"${PODMAN[@]}" run --rm --network=host --entrypoint python3 "$IMAGE" -c "
import asyncio, orjson, sys
from aiokafka import AIOKafkaConsumer
async def main():
    c = AIOKafkaConsumer('img.enriched.$TAG', bootstrap_servers='$BOOT',
                         auto_offset_reset='earliest', group_id='reader-$TAG')
    await c.start()
    seen = 0
    try:
        for _ in range(120):
            for recs in (await c.getmany(timeout_ms=1000)).values():
                for r in recs:
                    e = orjson.loads(r.value)['enrichment']
                    top = ' '.join(x['code'] for x in e['countries'] if x['primary'])
                    print(f\"  {r.key.decode()}: {e['language']['code']} primary={top} \"
                          f\"sentiment={e['sentiment']['label']} ner={e['pipeline']['ner']}\")
                    seen += 1
            if seen >= $n:
                break
    finally:
        await c.stop()
    sys.exit(0 if seen >= $n else 1)
asyncio.run(main())
" || { echo "image: not all $n samples were enriched" >&2; "${PODMAN[@]}" logs "$NAME" | tail -n 20 >&2; exit 1; }
say "$n sample articles enriched inside the container"

"${PODMAN[@]}" stop -t 60 "$NAME" >/dev/null 2>&1  # (podman warns about systemd timers)
code=$("${PODMAN[@]}" inspect --format '{{.State.ExitCode}}' "$NAME")
"${PODMAN[@]}" logs "$NAME" >"$CACHE/container.log" 2>&1 || true
grep -q '"msg":"drained"' "$CACHE/container.log" \
  || { echo "image: no drain on SIGTERM (exit $code); last log lines:" >&2; tail -n 15 "$CACHE/container.log" >&2; exit 1; }
[ "$code" = 0 ] || { echo "image: exit code $code after SIGTERM" >&2; exit 1; }
say "SIGTERM: drained and exited 0"
say "OK: $IMAGE, $((size / 1024 / 1024)) MiB"
