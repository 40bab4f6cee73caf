#!/usr/bin/env bash
# Telemetry load test: what tracing and metrics cost a gateway request, on loopback, in one run.
#
# Two reference gateways (samples/Higress.Gateway) serve the same route to one fast backend (bench/Higress.Bench.Backend):
#   off   --Higress:Telemetry:Enabled=false (no span, no request metrics; the admin /metrics still runs)
#   on    SAMPLING_RATIO of the requests sampled (default 1: every request) and exported to a Zipkin endpoint (a second backend that accepts
#         and drops the batches), W3C propagation to the backend, the request metrics and /metrics
# The targets interleave round after round (order rotated each round) after priming; reports requests/s of on / off
# (mean and median of rounds; target >= 0.90). Raw wrk output and logs go to artifacts/bench/telemetry-<time>/.
#
# Environment (defaults in brackets): PRIME_SECONDS [10] ROUND_SECONDS [10] ROUNDS [3] WRK_THREADS [1]
# WRK_CONNECTIONS [32] SKIP_BUILD [0] SAMPLING_RATIO [1] BASE_PORT [15280] (backend, zipkin +1, gateways +2/+3, admin +12/+13)
#
# Quick smoke run: PRIME_SECONDS=3 ROUND_SECONDS=3 ROUNDS=1 SKIP_BUILD=1 bench/telemetry.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh" telemetry 10 10 3 15280
SAMPLING_RATIO="${SAMPLING_RATIO:-1}"
BACKEND_PORT=$BASE_PORT
ZIPKIN_PORT=$((BASE_PORT + 1))


if [[ "$SKIP_BUILD" != 1 ]]; then
  build_release samples/Higress.Gateway bench/Higress.Bench.Backend
fi
ensure_wrk

mkdir -p "$OUT/config"
cat >"$OUT/config/route.yaml" <<YAML
apiVersion: networking.higress.io/v1alpha1
kind: ServiceEntry
metadata: {name: backend}
spec:
  hosts: [backend.internal]
  ports: [{number: 80, name: http}]
  resolution: STATIC
  endpoints: [{address: 127.0.0.1, ports: {http: $BACKEND_PORT}}]
---
apiVersion: networking.higress.io/v1alpha1
kind: Route
metadata: {name: items}
spec:
  http:
  - name: items
    match: [{uri: {prefix: /items}}]
    route: [{destination: {host: backend.internal, port: 80}}]
YAML

BACKEND_DLL="$ROOT/bench/Higress.Bench.Backend/$BIN/Higress.Bench.Backend.dll"
GATEWAY_DLL="$ROOT/samples/Higress.Gateway/$BIN/Higress.Gateway.dll"
start backend dotnet "$BACKEND_DLL" "$BACKEND_PORT"
start zipkin dotnet "$BACKEND_DLL" "$ZIPKIN_PORT"
declare -A URL
i=0
for target in off on; do
  port=$((BASE_PORT + 2 + i)) admin=$((BASE_PORT + 12 + i))
  settings=(--Higress:Telemetry:Enabled=false)
  if [[ $target == on ]]; then
    settings=(--Higress:Telemetry:SamplingRatio="$SAMPLING_RATIO" --Higress:Telemetry:Zipkin:Endpoint="http://127.0.0.1:$ZIPKIN_PORT/api/v2/spans")
  fi
  mkdir -p "$OUT/config-$target"
  cp "$OUT/config/route.yaml" "$OUT/config-$target/route.yaml"
  cat >>"$OUT/config-$target/route.yaml" <<YAML
---
apiVersion: networking.higress.io/v1alpha1
kind: Gateway
metadata: {name: gw}
spec:
  listeners: [{protocol: HTTP, port: $port}]
YAML
  start "gateway-$target" dotnet "$GATEWAY_DLL" --Higress:ConfigDir="$OUT/config-$target" --Higress:BindAddress=127.0.0.1 \
    --Higress:Admin:Port="$admin" --Higress:Demo=false --Logging:LogLevel:Default=Warning "${settings[@]}"
  URL[$target]="http://127.0.0.1:$port/items/42"
  i=$((i + 1))
done
wait_for "http://127.0.0.1:$BACKEND_PORT/" 60
for target in off on; do
  wait_for "${URL[$target]}" 120
done

run() { # target, seconds, file -> requests/s
  wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"${2}s" --latency "${URL[$1]}" >"$3"
  awk '/^Requests\/sec:/ {print $2}' "$3"
}

log "priming each target for ${PRIME_SECONDS}s"
for target in off on; do
  run "$target" "$PRIME_SECONDS" "$OUT/prime-$target.txt" >/dev/null
done

printf 'round\ttarget\trps\n' >"$OUT/results.tsv"
order=(off on)
for ((round = 1; round <= ROUNDS; round++)); do
  for target in "${order[@]}"; do
    rps=$(run "$target" "$ROUND_SECONDS" "$OUT/round$round-$target.txt")
    printf '%d\t%s\t%s\n' "$round" "$target" "$rps" >>"$OUT/results.tsv"
    log "round $round $target: $rps requests/s"
  done
  order=("${order[1]}" "${order[0]}")
done

curl -fs "http://127.0.0.1:$((BASE_PORT + 13))/metrics" | grep -E '^higress_gateway_requests_total' | head -3 | tee -a "$OUT/summary.txt" >&2 || true
awk -F'\t' 'NR > 1 { rps[$1, $2] = $3; rounds[$1] = 1 }
  END {
    n = 0
    for (r in rounds) { ratio[++n] = rps[r, "on"] / rps[r, "off"]; sum += ratio[n] }
    for (i = 2; i <= n; i++) for (j = i; j > 1 && ratio[j - 1] > ratio[j]; j--) { t = ratio[j]; ratio[j] = ratio[j - 1]; ratio[j - 1] = t }
    median = (n % 2) ? ratio[(n + 1) / 2] : (ratio[n / 2] + ratio[n / 2 + 1]) / 2
    printf "on/off requests/s: mean %.3f, median %.3f over %d rounds (target >= 0.90)\n", sum / n, median, n
  }' "$OUT/results.tsv" | tee -a "$OUT/summary.txt" >&2
