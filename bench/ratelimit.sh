#!/usr/bin/env bash
# Shared (Redis) rate limiter load test: what cluster-key-rate-limit costs a request, on loopback, in one run.
#
# Starts a redis-server (no persistence), one fast backend (bench/Higress.Bench.Backend), a bare YARP host
# (bench/Higress.Bench.BareYarp) and the reference host (samples/Higress.Gateway) serving three routes to the same
# backend:
#   yarp      bare YARP                                    (the baseline of the issue's ratio)
#   plain     /plain    the gateway without the plugin      (what the gateway itself costs)
#   limited   /limited  cluster-key-rate-limit, a global threshold far above the load, so every request passes
#                       through the limiter and Redis and none is refused
#   refusing  /refusing the same plugin with a limit of 1000/s, so most requests are refused (locally, once the
#                       window's tokens are spent)
# Every target is primed, then the targets interleave round after round (order rotated). Reports requests/s of each
# target and the ratios limited/yarp and limited/plain (median of rounds), p99 of each and the p99 the limiter adds
# (limited - plain), and the Redis errors counted (higress_ratelimit_redis_errors_total: must stay 0).
# Raw output goes to artifacts/bench/ratelimit-<time>/ (summary.txt, results.tsv).
#
# Environment (defaults in brackets):
#   PRIME_SECONDS [10] ROUND_SECONDS [10] ROUNDS [3] WRK_THREADS [1] WRK_CONNECTIONS [32] SKIP_BUILD [0]
#   BASE_PORT [15280]   backend = BASE_PORT, yarp +1, gateway +2, redis +3, admin +14
#
# Quick smoke run: PRIME_SECONDS=3 ROUND_SECONDS=3 ROUNDS=1 SKIP_BUILD=1 bench/ratelimit.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh" ratelimit 10 10 3 15280
BACKEND_PORT=$BASE_PORT
YARP_PORT=$((BASE_PORT + 1))
GATEWAY_PORT=$((BASE_PORT + 2))
REDIS_PORT=$((BASE_PORT + 3))
ADMIN_PORT=$((BASE_PORT + 14))
if ((PRIME_SECONDS > 30 || ROUND_SECONDS > 30)); then
  echo "PRIME_SECONDS and ROUND_SECONDS are at most 30" >&2
  exit 2
fi


if [[ "$SKIP_BUILD" != 1 ]]; then
  build_release samples/Higress.Gateway bench/Higress.Bench.Backend bench/Higress.Bench.BareYarp
fi
ensure_wrk
command -v redis-server >/dev/null || { log "redis-server is missing (Debian's redis-server package)"; exit 1; }

# --- configuration and processes ---------------------------------------------------------------------------------
mkdir -p "$OUT/config"
cat >"$OUT/config/ratelimit.yaml" <<YAML
apiVersion: networking.higress.io/v1alpha1
kind: Gateway
metadata: {name: bench}
spec:
  listeners: [{protocol: HTTP, port: $GATEWAY_PORT}]
---
apiVersion: networking.higress.io/v1alpha1
kind: ServiceEntry
metadata: {name: backend}
spec:
  hosts: [backend.static]
  ports: [{number: 80, name: http, protocol: HTTP}]
  resolution: STATIC
  endpoints: [{address: 127.0.0.1, ports: {http: $BACKEND_PORT}}]
---
apiVersion: networking.higress.io/v1alpha1
kind: ServiceEntry
metadata: {name: redis}
spec:
  hosts: [redis.static]
  ports: [{number: 6379, name: redis, protocol: TCP}]
  resolution: STATIC
  endpoints: [{address: 127.0.0.1, ports: {redis: $REDIS_PORT}}]
---
apiVersion: networking.higress.io/v1alpha1
kind: Route
metadata: {name: plain}
spec:
  http: [{name: plain, match: [{uri: {prefix: /plain}}], route: [{destination: {host: backend.static, port: 80}}]}]
---
apiVersion: networking.higress.io/v1alpha1
kind: Route
metadata: {name: limited}
spec:
  http: [{name: limited, match: [{uri: {prefix: /limited}}], route: [{destination: {host: backend.static, port: 80}}]}]
---
apiVersion: networking.higress.io/v1alpha1
kind: Route
metadata: {name: refusing}
spec:
  http: [{name: refusing, match: [{uri: {prefix: /refusing}}], route: [{destination: {host: backend.static, port: 80}}]}]
---
apiVersion: networking.higress.io/v1alpha1
kind: Extension
metadata: {name: limited}
spec:
  plugin: cluster-key-rate-limit
  targetRefs: [{kind: Route, name: limited}]
  config:
    rule_name: bench-limited
    global_threshold: {query_per_second: 100000000}
    redis: {service_name: redis.static, timeout: 1000}
---
apiVersion: networking.higress.io/v1alpha1
kind: Extension
metadata: {name: refusing}
spec:
  plugin: cluster-key-rate-limit
  targetRefs: [{kind: Route, name: refusing}]
  config:
    rule_name: bench-refusing
    global_threshold: {query_per_second: 1000}
    redis: {service_name: redis.static, timeout: 1000}
YAML

start redis redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no
start backend dotnet "$ROOT/bench/Higress.Bench.Backend/$BIN/Higress.Bench.Backend.dll" "$BACKEND_PORT"
start yarp dotnet "$ROOT/bench/Higress.Bench.BareYarp/$BIN/Higress.Bench.BareYarp.dll" "$YARP_PORT" "http://127.0.0.1:$BACKEND_PORT"
start gateway dotnet "$ROOT/samples/Higress.Gateway/$BIN/Higress.Gateway.dll" --Higress:ConfigDir="$OUT/config" \
  --Higress:BindAddress=127.0.0.1 --Higress:Admin:Port="$ADMIN_PORT"

declare -A URL=(
  [yarp]="http://127.0.0.1:$YARP_PORT/items/42"
  [plain]="http://127.0.0.1:$GATEWAY_PORT/plain/items/42"
  [limited]="http://127.0.0.1:$GATEWAY_PORT/limited/items/42"
  [refusing]="http://127.0.0.1:$GATEWAY_PORT/refusing/items/42"
)
wait_for "http://127.0.0.1:$BACKEND_PORT/" 60
wait_for "http://127.0.0.1:$ADMIN_PORT/readyz" 120
for target in yarp plain limited; do
  wait_for "${URL[$target]}" 60
done

redis_errors() {
  curl -fsS --max-time 5 "http://127.0.0.1:$ADMIN_PORT/metrics" | awk '/^higress_ratelimit_redis_errors_total/ { n += $NF } END { printf "%d\n", n }'
}

# target, seconds, output file -> "requests/s requests non-2xx p50-ms p99-ms"
run_wrk() {
  wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"$2"s --latency "${URL[$1]}" >"$3"
  awk '
    function ms(v) { return v ~ /us$/ ? v / 1000 : v ~ /ms$/ ? v + 0 : v ~ /s$/ ? v * 1000 : v }
    /^Requests\/sec:/ { rps = $2 }
    /requests in/ { requests = $1 }
    /Non-2xx or 3xx responses:/ { refused += $NF }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    END { printf "%.0f %d %d %.3f %.3f\n", rps, requests, refused, p50, p99 }' "$3"
}

TARGETS=(yarp plain limited refusing)
for target in "${TARGETS[@]}"; do
  log "priming $target for ${PRIME_SECONDS}s"
  run_wrk "$target" "$PRIME_SECONDS" "$OUT/prime-$target.txt" >/dev/null
done

errors_before=$(redis_errors)
printf 'round\ttarget\trps\trequests\tnon2xx\tp50_ms\tp99_ms\n' >"$OUT/results.tsv"
for ((round = 1; round <= ROUNDS; round++)); do
  for ((i = 0; i < ${#TARGETS[@]}; i++)); do
    target=${TARGETS[$(((i + round - 1) % ${#TARGETS[@]}))]}
    read -r rps requests refused p50 p99 < <(run_wrk "$target" "$ROUND_SECONDS" "$OUT/round$round-$target.txt")
    printf '%d\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$target" "$rps" "$requests" "$refused" "$p50" "$p99" >>"$OUT/results.tsv"
    log "round $round $target: $rps req/s, p50 $p50 ms, p99 $p99 ms, non-2xx $refused of $requests"
  done
done
errors_after=$(redis_errors)

# --- report ------------------------------------------------------------------------------------------------------
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
column_of() { awk -F'\t' -v t="$1" -v c="$2" 'NR > 1 && $2 == t { print $c }' "$OUT/results.tsv" | median; }
for target in "${TARGETS[@]}"; do
  declare "RPS_${target}=$(column_of "$target" 3)" "P99_${target}=$(column_of "$target" 7)"
done
log "median req/s: yarp $RPS_yarp, plain $RPS_plain, limited $RPS_limited, refusing $RPS_refusing"
log "limited / yarp: $(awk -v a="$RPS_limited" -v b="$RPS_yarp" 'BEGIN { printf "%.1f%%", 100 * a / b }')," \
  "limited / plain: $(awk -v a="$RPS_limited" -v b="$RPS_plain" 'BEGIN { printf "%.1f%%", 100 * a / b }')"
log "median p99 ms: yarp $P99_yarp, plain $P99_plain, limited $P99_limited, refusing $P99_refusing;" \
  "the limiter adds $(awk -v a="$P99_limited" -v b="$P99_plain" 'BEGIN { printf "%.3f", a - b }') ms at p99"
log "Redis errors during the rounds: $((errors_after - errors_before))"
log "artifacts: $OUT"
