#!/usr/bin/env bash
# Memory after a large configuration comes and goes (issue 8.2): starts the reference host (samples/Higress.Gateway)
# on a small ConfigDir, records its resident memory (VmRSS), adds ROUTES routes in files of FILE_ROUTES each, waits
# for the plan, records the peak, removes them again, waits for the plan and for the GC to give memory back, and
# prints baseline / loaded / after-removal. Loopback only; the host's log goes to artifacts/bench/.
#
# Environment (defaults in brackets):
#   ROUTES [20000]          routes in the large configuration (one Route object each, one rule)
#   FILE_ROUTES [2000]      routes per file (kept under Higress:Limits:MaxDocumentsPerFile and MaxFileBytes)
#   SETTLE_SECONDS [30]     how long to watch memory after the removal (the lowest sample is reported too)
#   SKIP_BUILD [0]          1 to use the existing Release build
#   ADMIN_PORT [15231] LISTEN_PORT [15230]
#   Any DOTNET_* variable passes through to the host, e.g. to compare GC settings:
#     DOTNET_GCConserveMemory=0 DOTNET_gcConcurrent=1 DOTNET_GCRetainVM=1 bench/config-memory.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROUTES="${ROUTES:-20000}"
FILE_ROUTES="${FILE_ROUTES:-2000}"
SETTLE_SECONDS="${SETTLE_SECONDS:-30}"
SKIP_BUILD="${SKIP_BUILD:-0}"
ADMIN_PORT="${ADMIN_PORT:-15231}"
LISTEN_PORT="${LISTEN_PORT:-15230}"
OUT="$ROOT/artifacts/bench/config-memory-$(date -u +%Y%m%dT%H%M%SZ)"
CONFIG="$OUT/config"
mkdir -p "$CONFIG"

if [ "$SKIP_BUILD" != 1 ]; then
  dotnet build "$ROOT/samples/Higress.Gateway" -c Release -v quiet -nologo >/dev/null
fi

cat >"$CONFIG/00-base.yaml" <<YAML
apiVersion: networking.higress.io/v1alpha1
kind: Gateway
metadata: {name: edge}
spec:
  listeners: [{protocol: HTTP, port: $LISTEN_PORT}]
---
apiVersion: networking.higress.io/v1alpha1
kind: ServiceEntry
metadata: {name: backend}
spec:
  hosts: [backend.internal]
  ports: [{number: 80, name: http, protocol: HTTP}]
  resolution: STATIC
  endpoints: [{address: 127.0.0.1}]
YAML

dotnet "$ROOT/samples/Higress.Gateway/bin/Release/net10.0/Higress.Gateway.dll" \
  --Higress:ConfigDir="$CONFIG" --Higress:BindAddress=127.0.0.1 --Higress:Admin:Port="$ADMIN_PORT" \
  --Logging:LogLevel:Default=Warning >"$OUT/host.log" 2>&1 &
HOST=$!
trap 'kill $HOST 2>/dev/null || true' EXIT

rss_mb() { awk '/VmRSS/ {printf "%d", $2 / 1024}' "/proc/$HOST/status"; }
generation() { curl -fs "http://127.0.0.1:$ADMIN_PORT/metrics" | awk '/^higress_config_revision/ {print int($2)}'; }
wait_generation_above() {
  local before=$1 deadline=$((SECONDS + 600))
  until [ "$(generation || echo 0)" -gt "$before" ] 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || { echo "no new plan within 600 s" >&2; exit 1; }
    sleep 0.5
  done
}

for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$ADMIN_PORT/readyz" >/dev/null && break; sleep 0.2; done
sleep 5
BASELINE=$(rss_mb)
GEN=$(generation)

python3 - "$CONFIG" "$ROUTES" "$FILE_ROUTES" <<'PY'
import sys
config, routes, per_file = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for start in range(0, routes, per_file):
    docs = []
    for i in range(start, min(start + per_file, routes)):
        docs.append(f"apiVersion: networking.higress.io/v1alpha1\nkind: Route\nmetadata: {{name: r{i}}}\nspec:\n"
                    f"  hosts: [h{i}.example.com]\n  http:\n  - match: [{{uri: {{prefix: /p{i}}}}}]\n"
                    f"    route: [{{destination: {{host: backend.internal, port: 80}}}}]\n")
    with open(f"{config}/large-{start:07d}.yaml.tmp", "w") as f:
        f.write("---\n".join(docs))
PY
START=$SECONDS
for f in "$CONFIG"/large-*.yaml.tmp; do mv "$f" "${f%.tmp}"; done
PEAK=$BASELINE
wait_generation_above "$GEN"
# Several plans may follow the files' arrival; wait until generations stop moving.
while :; do
  G=$(generation); sleep 3; R=$(rss_mb); [ "$R" -gt "$PEAK" ] && PEAK=$R
  [ "$(generation)" = "$G" ] && break
done
APPLY_SECONDS=$((SECONDS - START))
LOADED=$(rss_mb)
GEN=$(generation)

rm -f "$CONFIG"/large-*.yaml
wait_generation_above "$GEN"
LOW=$(rss_mb)
for _ in $(seq 1 "$SETTLE_SECONDS"); do
  sleep 1; R=$(rss_mb); [ "$R" -lt "$LOW" ] && LOW=$R
done
AFTER=$(rss_mb)

GC_ENV=$(env | grep -iE '^DOTNET_GC' | tr '\n' ' ' || true)
printf 'routes=%s  gc-env=[%s]\n' "$ROUTES" "${GC_ENV% }"
printf 'baseline %d MB | loaded %d MB (peak %d MB, applied in %d s) | after removal %d MB (lowest %d MB, %d s later)\n' \
  "$BASELINE" "$LOADED" "$PEAK" "$APPLY_SECONDS" "$AFTER" "$LOW" "$SETTLE_SECONDS" | tee "$OUT/result.txt"
