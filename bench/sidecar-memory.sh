#!/usr/bin/env bash
# Resident memory of the reference host in sidecar mode under a steady load (issue 10.11): starts the bench backend as
# the app (bench/Higress.Bench.Backend), the reference host (samples/Higress.Gateway) with Higress:Sidecar:Inbound and
# Outbound ports and a Route whose rule carries a header edit and a request-block plugin, then drives the inbound port
# with wrk at about RATE requests per second (CONNECTIONS connections, each pausing between requests) for DURATION
# seconds, sampling VmRSS every second. Prints the steady-state RSS (median of the samples), the peak RSS and VmHWM.
# Loopback only; logs and samples go to artifacts/bench/.
#
# Environment (defaults in brackets):
#   RATE [1000]  CONNECTIONS [10]  DURATION [60]  SKIP_BUILD [0]
#   APP_PORT [15280] INBOUND_PORT [15206] OUTBOUND_PORT [15201] ADMIN_PORT [15221]
#   Any DOTNET_* variable passes through to the host.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RATE="${RATE:-1000}"
CONNECTIONS="${CONNECTIONS:-10}"
DURATION="${DURATION:-60}"
SKIP_BUILD="${SKIP_BUILD:-0}"
APP_PORT="${APP_PORT:-15280}"
INBOUND_PORT="${INBOUND_PORT:-15206}"
OUTBOUND_PORT="${OUTBOUND_PORT:-15201}"
ADMIN_PORT="${ADMIN_PORT:-15221}"
OUT="$ROOT/artifacts/bench/sidecar-memory-$(date -u +%Y%m%dT%H%M%SZ)"
CONFIG="$OUT/config"
mkdir -p "$CONFIG"

if [ "$SKIP_BUILD" != 1 ]; then
  dotnet build "$ROOT/samples/Higress.Gateway" -c Release -v quiet -nologo >/dev/null
  dotnet build "$ROOT/bench/Higress.Bench.Backend" -c Release -v quiet -nologo >/dev/null
fi

cat >"$CONFIG/sidecar.yaml" <<YAML
apiVersion: networking.higress.io/v1alpha1
kind: Route
metadata: {name: inbound}
spec:
  http:
  - headers: {request: {set: {x-sidecar: inbound}}}
    plugins: [{name: request-block, config: {block_urls: [/blocked]}}]
---
apiVersion: networking.higress.io/v1alpha1
kind: ServiceEntry
metadata: {name: orders}
spec:
  hosts: [orders.internal]
  ports: [{number: 80, name: http, protocol: HTTP}]
  resolution: STATIC
  endpoints: [{address: 127.0.0.1, ports: {http: $APP_PORT}}]
YAML

dotnet "$ROOT/bench/Higress.Bench.Backend/bin/Release/net10.0/Higress.Bench.Backend.dll" "$APP_PORT" >"$OUT/app.log" 2>&1 &
APP=$!
dotnet "$ROOT/samples/Higress.Gateway/bin/Release/net10.0/Higress.Gateway.dll" \
  --Higress:ConfigDir="$CONFIG" --Higress:BindAddress=127.0.0.1 --Higress:Admin:Port="$ADMIN_PORT" \
  --Higress:Sidecar:Inbound:Port="$INBOUND_PORT" --Higress:Sidecar:Inbound:App="http://127.0.0.1:$APP_PORT" \
  --Higress:Sidecar:Outbound:Port="$OUTBOUND_PORT" --Logging:LogLevel:Default=Warning >"$OUT/host.log" 2>&1 &
HOST=$!
trap 'kill $HOST $APP 2>/dev/null || true' EXIT

for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$ADMIN_PORT/readyz" >/dev/null 2>&1 && curl -fs "http://127.0.0.1:$INBOUND_PORT/" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fs "http://127.0.0.1:$INBOUND_PORT/" >/dev/null || { echo "the sidecar did not answer on $INBOUND_PORT" >&2; exit 1; }
curl -fs -x "http://127.0.0.1:$OUTBOUND_PORT" "http://orders.internal/" >/dev/null || { echo "the outbound port did not reach orders.internal" >&2; exit 1; }

status() { awk -v k="$1" '$1 == k":" {printf "%d", $2 / 1024}' "/proc/$HOST/status"; }
echo "idle: VmRSS $(status VmRSS) MB"

# Each connection waits CONNECTIONS*1000/RATE ms between requests, so the total stays near RATE.
cat >"$OUT/pace.lua" <<LUA
function delay() return $((CONNECTIONS * 1000 / RATE)) end
LUA
wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" -s "$OUT/pace.lua" "http://127.0.0.1:$INBOUND_PORT/" >"$OUT/wrk.txt" 2>&1 &
LOAD=$!
: >"$OUT/rss.txt"
while kill -0 "$LOAD" 2>/dev/null; do
  status VmRSS >>"$OUT/rss.txt"; echo >>"$OUT/rss.txt"
  sleep 1
done
wait "$LOAD"

cat "$OUT/wrk.txt"
sort -n "$OUT/rss.txt" | awk 'NF {a[n++] = $1} END {printf "under load: VmRSS median %d MB, peak %d MB (%d samples)\n", a[int(n / 2)], a[n - 1], n}'
echo "VmHWM (peak RSS of the process's life): $(status VmHWM) MB"
echo "artifacts: $OUT"
