#!/usr/bin/env bash
# Resident memory of the reference host in sidecar mode under a steady load (issue 10.11): starts the bench backend as
# the app (bench/Higress.Bench.Backend), the reference host (samples/Higress.Gateway) with Higress:Sidecar:Inbound and
# Outbound ports and a Route whose rule carries a header edit and a request-block plugin, then drives the inbound port
# with wrk at about RATE requests per second (CONNECTIONS connections, each pausing between requests) for DURATION
# seconds, sampling VmRSS every second. Prints the steady-state RSS (median of the samples), the peak RSS and VmHWM.
# Loopback only; logs and samples go to artifacts/bench/. (Debian's wrk has no -R; a Lua delay() paces each
# connection instead, which holds the rate as long as the host answers within the pause.)
#
# Each profile in PROFILES runs in a fresh host, one after the other, and gets one line in the final table:
#   default  the reference host as built (Server GC, DATAS)
#   sidecar  --Higress:Profile=sidecar plus the environment of samples/Higress.Gateway/sidecar.env (docs/sidecar.md)
#   <name>=<VAR=value,VAR=value>  a candidate: the default host with these environment variables
#   sidecar-<name>=<VAR=value,...> a candidate on top of the sidecar profile (its environment plus these variables;
#                                  Higress__Sidecar__TrimImagePages=false turns a profile setting off)
#
# Environment (defaults in brackets):
#   PROFILES ["default sidecar"]  RATE [1000]  CONNECTIONS [10]  DURATION [60]  SKIP_BUILD [0]
#   APP_PORT [15280] INBOUND_PORT [15206] OUTBOUND_PORT [15201] ADMIN_PORT [15221]
#   GATEWAY_DLL [the sample's Release build] (e.g. a copy or a `dotnet publish` output, to compare builds)
#   Any DOTNET_* variable passes through to every host.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PROFILES="${PROFILES:-default sidecar}"
RATE="${RATE:-1000}"
CONNECTIONS="${CONNECTIONS:-10}"
DURATION="${DURATION:-60}"
SKIP_BUILD="${SKIP_BUILD:-0}"
APP_PORT="${APP_PORT:-15280}"
INBOUND_PORT="${INBOUND_PORT:-15206}"
OUTBOUND_PORT="${OUTBOUND_PORT:-15201}"
ADMIN_PORT="${ADMIN_PORT:-15221}"
GATEWAY_DLL="${GATEWAY_DLL:-$ROOT/samples/Higress.Gateway/bin/Release/net10.0/Higress.Gateway.dll}"
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
HOST=
trap 'kill $HOST $APP 2>/dev/null || true' EXIT
status() { awk -v k="$1" '$1 == k":" {printf "%d", $2 / 1024}' "/proc/$HOST/status"; }

# Each connection waits CONNECTIONS*1000/RATE ms between requests, so the total stays near RATE.
cat >"$OUT/pace.lua" <<LUA
function delay() return $((CONNECTIONS * 1000 / RATE)) end
LUA

measure() { # profile name, environment (VAR=value ...), extra host arguments...
  local name=$1 env=$2 dir="$OUT/$1"
  shift 2
  mkdir -p "$dir"
  # shellcheck disable=SC2086 # the environment is a list of VAR=value words
  env $env dotnet "$GATEWAY_DLL" \
    --Higress:ConfigDir="$CONFIG" --Higress:BindAddress=127.0.0.1 --Higress:Admin:Port="$ADMIN_PORT" \
    --Higress:Sidecar:Inbound:Port="$INBOUND_PORT" --Higress:Sidecar:Inbound:App="http://127.0.0.1:$APP_PORT" \
    --Higress:Sidecar:Outbound:Port="$OUTBOUND_PORT" --Logging:LogLevel:Default=Warning "$@" >"$dir/host.log" 2>&1 &
  HOST=$!

  for _ in $(seq 1 120); do
    curl -fs "http://127.0.0.1:$ADMIN_PORT/readyz" >/dev/null 2>&1 && curl -fs "http://127.0.0.1:$INBOUND_PORT/" >/dev/null 2>&1 && break
    sleep 0.5
  done
  curl -fs "http://127.0.0.1:$INBOUND_PORT/" >/dev/null || { echo "$name: the sidecar did not answer on $INBOUND_PORT" >&2; exit 1; }
  curl -fs -x "http://127.0.0.1:$OUTBOUND_PORT" "http://orders.internal/" >/dev/null || { echo "$name: the outbound port did not reach orders.internal" >&2; exit 1; }
  local idle
  idle=$(status VmRSS)

  wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$OUT/pace.lua" "http://127.0.0.1:$INBOUND_PORT/" >"$dir/wrk.txt" 2>&1 &
  local load=$!
  : >"$dir/rss.txt"
  while kill -0 "$load" 2>/dev/null; do
    status VmRSS >>"$dir/rss.txt"; echo >>"$dir/rss.txt"
    sleep 1
  done
  wait "$load"
  local hwm rps p99
  hwm=$(status VmHWM)
  rps=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$dir/wrk.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$dir/wrk.txt")
  kill "$HOST"; wait "$HOST" 2>/dev/null || true
  sort -n "$dir/rss.txt" | awk -v name="$name" -v idle="$idle" -v hwm="$hwm" -v rps="$rps" -v p99="$p99" -v env="$env" \
    'NF {a[n++] = $1} END {printf "%-10s %8d %10d %8d %8d %8s %8s  %s\n", name, idle, a[int(n / 2)], a[n - 1], hwm, rps, p99, env}' | tee -a "$OUT/results.txt"
}

sidecar_env() { grep -Ev '^(#|$)' "$ROOT/samples/Higress.Gateway/sidecar.env" | tr '\n' ' '; }

printf '%-10s %8s %10s %8s %8s %8s %8s  %s\n' profile "idle MB" "median MB" "peak MB" "HWM MB" "req/s" p99 environment | tee "$OUT/results.txt"
for profile in $PROFILES; do
  case "$profile" in
    default) measure default "" ;;
    sidecar) measure sidecar "$(sidecar_env)" --Higress:Profile=sidecar ;;
    sidecar-*=*) measure "${profile%%=*}" "$(sidecar_env) $(tr , " " <<<"${profile#*=}")" --Higress:Profile=sidecar ;;
    *=*) measure "${profile%%=*}" "$(tr , " " <<<"${profile#*=}")" ;;
    *) echo "unknown profile '$profile': default, sidecar or name=VAR=value,VAR=value" >&2; exit 1 ;;
  esac
done
echo "artifacts: $OUT"
