#!/usr/bin/env bash
# Access log load test: what writing one access log line per request costs throughput, on loopback, in one run.
#
# Two reference hosts (samples/Higress.Gateway) serve the same route to the same fast backend
# (bench/Higress.Bench.Backend); they differ only in the access log:
#     off        no Higress:AccessLog:Path
#     json-100   Higress:AccessLog:Path=<a file in this run's artifacts>, Format json, SampleRatio 1 (every request)
# Each target is primed, then the two interleave round after round (order rotated each round) under wrk at full load.
# Reports requests/s of json-100 / off (mean and median of rounds; target >= 90%), the gateway CPU per request, the
# lines written and dropped (admin /metrics: higress_access_log_lines_total, higress_access_log_dropped_total) and the
# size of the log. Raw output goes to artifacts/bench/accesslog-<time>/ (summary.txt, results.tsv).
#
# Environment (defaults in brackets):
#   PRIME_SECONDS [10]  ROUND_SECONDS [10]  ROUNDS [3]  WRK_THREADS [1]  WRK_CONNECTIONS [32]
#   FORMAT [json]        the logging gateway's Higress:AccessLog:Format (json | text)
#   SKIP_BUILD [0]       1 to use the existing Release build
#   BASE_PORT [15280]    backend = BASE_PORT, gateways +1 (off) and +2 (logging), their admin ports +11 and +12
#
# Quick smoke run: PRIME_SECONDS=2 ROUND_SECONDS=3 ROUNDS=1 SKIP_BUILD=1 bench/accesslog.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh" accesslog 10 10 3 15280
FORMAT="${FORMAT:-json}"
BACKEND_PORT=$BASE_PORT

if ((PRIME_SECONDS > 30 || ROUND_SECONDS > 30)); then
  echo "PRIME_SECONDS and ROUND_SECONDS are at most 30: every wrk run of this script stays under half a minute" >&2
  exit 2
fi


if [[ "$SKIP_BUILD" != 1 ]]; then
  build_release samples/Higress.Gateway bench/Higress.Bench.Backend
fi
ensure_wrk

# --- configuration and processes ---------------------------------------------------------------------------------
config() { # directory, listener port: one listener, one route to the backend
  mkdir -p "$1"
  cat >"$1/bench.yaml" <<YAML
apiVersion: networking.higress.io/v1alpha1
kind: Gateway
metadata: {name: bench}
spec:
  listeners: [{protocol: HTTP, port: $2}]
---
apiVersion: networking.higress.io/v1alpha1
kind: ServiceEntry
metadata: {name: backend}
spec:
  hosts: [backend.bench]
  ports: [{number: 80, name: http}]
  endpoints: [{address: 127.0.0.1, ports: {http: $BACKEND_PORT}}]
---
apiVersion: networking.higress.io/v1alpha1
kind: Route
metadata: {name: plain}
spec:
  http:
  - match: [{uri: {prefix: /plain}}]
    route: [{destination: {host: backend.bench, port: 80}}]
YAML
}

declare -A PORT=([off]=$((BASE_PORT + 1)) [json-100]=$((BASE_PORT + 2)))
declare -A ADMIN=([off]=$((BASE_PORT + 11)) [json-100]=$((BASE_PORT + 12)))
ACCESS_LOG="$OUT/access.log"
start backend dotnet "$ROOT/bench/Higress.Bench.Backend/$BIN/Higress.Bench.Backend.dll" "$BACKEND_PORT"
for target in off json-100; do
  config "$OUT/config-$target" "${PORT[$target]}"
  args=(--Higress:ConfigDir="$OUT/config-$target" --Higress:BindAddress=127.0.0.1 --Higress:Admin:Port="${ADMIN[$target]}")
  if [[ $target == json-100 ]]; then
    args+=(--Higress:AccessLog:Path="$ACCESS_LOG" --Higress:AccessLog:Format="$FORMAT" --Higress:AccessLog:SampleRatio=1)
  fi
  start "gateway-$target" dotnet "$ROOT/samples/Higress.Gateway/$BIN/Higress.Gateway.dll" "${args[@]}"
done
wait_for "http://127.0.0.1:$BACKEND_PORT/" 60
for target in off json-100; do
  wait_for "http://127.0.0.1:${ADMIN[$target]}/readyz" 120
  wait_for "http://127.0.0.1:${PORT[$target]}/plain/items/42" 60
done

# --- measure -----------------------------------------------------------------------------------------------------
log_counters() { # -> "written dropped" of the logging gateway
  curl -fsS --max-time 5 "http://127.0.0.1:${ADMIN[json-100]}/metrics" | awk '
    /^higress_access_log_lines_total/ { written += $NF }
    /^higress_access_log_dropped_total/ { dropped += $NF }
    END { printf "%d %d\n", written, dropped }'
}

run_wrk() { # target, seconds, output file -> "requests/s requests errors p50-ms p99-ms"
  wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"$2"s --latency "http://127.0.0.1:${PORT[$1]}/plain/items/42" >"$3"
  wrk_numbers "$3"
}

cpu_ticks() { local pid_var="PID_gateway_${1//-/_}"; awk '{print $14 + $15}' "/proc/${!pid_var}/stat"; }

log "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
RESULTS="$OUT/results.tsv"
printf 'round\ttarget\trps\trequests\terrors\tp50_ms\tp99_ms\tgateway_cpu_us_per_req\n' >"$RESULTS"
TARGETS=(off json-100)
for target in "${TARGETS[@]}"; do
  log "priming $target for ${PRIME_SECONDS}s"
  read -r rps _ errors _ < <(run_wrk "$target" "$PRIME_SECONDS" "$OUT/prime-$target.txt")
  log "  primed at $rps req/s, errors $errors"
done
for ((round = 1; round <= ROUNDS; round++)); do
  for ((i = 0; i < ${#TARGETS[@]}; i++)); do
    target=${TARGETS[$(((i + round - 1) % ${#TARGETS[@]}))]}
    before=$(cpu_ticks "$target")
    read -r rps requests errors p50 p99 < <(run_wrk "$target" "$ROUND_SECONDS" "$OUT/round$round-$target.txt")
    cpu=$(awk -v t=$(($(cpu_ticks "$target") - before)) -v hz="$(getconf CLK_TCK)" -v n="$requests" 'BEGIN { printf "%.1f", n ? t / hz * 1e6 / n : 0 }')
    printf '%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$target" "$rps" "$requests" "$errors" "$p50" "$p99" "$cpu" >>"$RESULTS"
    log "round $round $target: $rps req/s, p50 $p50 ms, p99 $p99 ms, errors $errors/$requests, gateway CPU $cpu µs/request"
  done
done

# The writer flushes whenever its queue runs empty: give it a moment after the load before reading the counters.
sleep 2
read -r written dropped < <(log_counters)
log "access log: $written lines written, $dropped dropped, $(wc -l <"$ACCESS_LOG") lines and $(du -h "$ACCESS_LOG" | cut -f1) on disk"
log "a line: $(tail -1 "$ACCESS_LOG")"

# --- report ------------------------------------------------------------------------------------------------------
awk -F'\t' -v rounds="$ROUNDS" '
  function median(a, n,    i, j, t) {
    for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  NR == 1 { next }
  { rps[$2] += $3; err[$2] += $5; cpu[$2] += $8; r[$1, $2] = $3 }
  END {
    printf "\n%-10s %12s %12s %8s\n", "target", "req/s (mean)", "CPU µs/req", "errors"
    n = split("off json-100", t, " ")
    for (i = 1; i <= n; i++) printf "%-10s %12.0f %12.1f %8d\n", t[i], rps[t[i]] / rounds, cpu[t[i]] / rounds, err[t[i]]
    printf "per round, json-100 / off (req/s):"
    for (k = 1; k <= rounds; k++) { e[k] = 100 * r[k, "json-100"] / r[k, "off"]; printf " %.1f%%", e[k] }
    printf "\njson-100 / off, req/s:  mean %6.1f%%  median of rounds %6.1f%%  (target >= 90%%)\n", 100 * rps["json-100"] / rps["off"], median(e, rounds)
  }' "$RESULTS" | tee -a "$OUT/summary.txt"
log "raw output in $OUT"
