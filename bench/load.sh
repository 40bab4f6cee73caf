#!/usr/bin/env bash
# Load test: the reference host (samples/Higress.Gateway) against a bare YARP host, in one run, on loopback.
#
# Starts one backend (bench/Higress.Bench.Backend), a bare YARP host (bench/Higress.Bench.BareYarp), the reference
# host with 10 routes and a second reference host with 10,000 routes, all pointing at the same backend. Every proxy
# is primed with load before anything is timed (the JIT's tiering and dynamic PGO take tens of seconds to settle;
# YARP alone needs about 40 s on one core), then timed wrk runs interleave the targets, round after round, with the
# order rotated each round so that no target always runs first. Prints requests/s per target and the ratios
# Higress-10/YARP, Higress-10k/Higress-10 and key-auth/plain (one route of the Higress-10 host carries key-auth);
# raw wrk output and every process's log go to artifacts/bench/.
#
# Environment (defaults in brackets):
#   PRIME_SECONDS [60]     load applied to each proxy before timing
#   ROUND_SECONDS [15]     length of one timed wrk run
#   ROUNDS [5]             timed rounds; each round runs every target once (more, shorter rounds resist a noisy machine)
#   WRK_THREADS [1] WRK_CONNECTIONS [32]
#   SKIP_BUILD [0]         1 to use the existing Release build
#   BASE_PORT [15080]      backend = BASE_PORT, YARP +1, Higress-10 +2, Higress-10k +3, admin ports +12 and +13
#
# Quick smoke run: PRIME_SECONDS=5 ROUND_SECONDS=3 ROUNDS=1 bench/load.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PRIME_SECONDS="${PRIME_SECONDS:-60}"
ROUND_SECONDS="${ROUND_SECONDS:-15}"
ROUNDS="${ROUNDS:-5}"
WRK_THREADS="${WRK_THREADS:-1}"
WRK_CONNECTIONS="${WRK_CONNECTIONS:-32}"
SKIP_BUILD="${SKIP_BUILD:-0}"
BASE_PORT="${BASE_PORT:-15080}"

BACKEND_PORT=$BASE_PORT
YARP_PORT=$((BASE_PORT + 1))
HIGRESS10_PORT=$((BASE_PORT + 2))
HIGRESS10K_PORT=$((BASE_PORT + 3))
HIGRESS10_ADMIN=$((BASE_PORT + 12))
HIGRESS10K_ADMIN=$((BASE_PORT + 13))

OUT="$ROOT/artifacts/bench/load-$(date -u +%Y%m%dT%H%M%SZ)"
LOG_NAME=load
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

if [[ "$SKIP_BUILD" != 1 ]]; then
  build_release Higress.Net.sln
fi
ensure_wrk

# --- configuration -----------------------------------------------------------------------------------------------
BENCH_DLL="$ROOT/bench/Higress.Benchmarks/$BIN/Higress.Benchmarks.dll"
gen() { # routes, port, dir, [--key-auth] -> prints the middle plain route's path and the key-auth route's path
  dotnet "$BENCH_DLL" gen-config --routes "$1" --port "$2" --backend-port "$BACKEND_PORT" --out "$3" ${4:-} |
    sed -n 's/.*plain route paths: \([^ ]*\) (middle).*, \([^ ]*\) (key-auth).*/\1 \2/p'
}
read -r PATH10 PATH10_KEYAUTH < <(gen 10 "$HIGRESS10_PORT" "$OUT/config-10" --key-auth)
read -r PATH10K _ < <(gen 10000 "$HIGRESS10K_PORT" "$OUT/config-10k")

# --- start -------------------------------------------------------------------------------------------------------
gateway() { # config dir, admin port
  exec dotnet "$ROOT/samples/Higress.Gateway/$BIN/Higress.Gateway.dll" --Higress:ConfigDir="$1" \
    --Higress:BindAddress=127.0.0.1 --Higress:Admin:Port="$2" --Higress:Limits:MaxDocumentsPerFile=50000
}
start backend dotnet "$ROOT/bench/Higress.Bench.Backend/$BIN/Higress.Bench.Backend.dll" "$BACKEND_PORT"
start yarp dotnet "$ROOT/bench/Higress.Bench.BareYarp/$BIN/Higress.Bench.BareYarp.dll" "$YARP_PORT" "http://127.0.0.1:$BACKEND_PORT"
start higress-10 gateway "$OUT/config-10" "$HIGRESS10_ADMIN"
start higress-10k gateway "$OUT/config-10k" "$HIGRESS10K_ADMIN"

wait_for "http://127.0.0.1:$BACKEND_PORT/" 60
wait_for "http://127.0.0.1:$HIGRESS10_ADMIN/readyz" 120
wait_for "http://127.0.0.1:$HIGRESS10K_ADMIN/readyz" 180

# higress-10-keyauth: a route of the Higress-10 host with key-auth on it; every target sends the same API key
# header, so the only difference between higress-10 and higress-10-keyauth is the plugin.
API_KEY_HEADER="x-api-key: bench-key-0001"
TARGETS=(yarp higress-10 higress-10k higress-10-keyauth)
declare -A URL=(
  [yarp]="http://127.0.0.1:$YARP_PORT$PATH10"
  [higress-10]="http://127.0.0.1:$HIGRESS10_PORT$PATH10"
  [higress-10k]="http://127.0.0.1:$HIGRESS10K_PORT$PATH10K"
  [higress-10-keyauth]="http://127.0.0.1:$HIGRESS10_PORT$PATH10_KEYAUTH"
)
declare -A PID=([yarp]=$PID_yarp [higress-10]=$PID_higress_10 [higress-10k]=$PID_higress_10k [higress-10-keyauth]=$PID_higress_10)
for target in "${TARGETS[@]}"; do
  wait_for "${URL[$target]}" 60 "$API_KEY_HEADER"
  curl -sS -H "$API_KEY_HEADER" -D - -o /dev/null "${URL[$target]}" >"$OUT/check-$target.txt"
done
if [[ "$(curl -s -o /dev/null -w '%{http_code}' "${URL[higress-10-keyauth]}")" != 401 ]]; then
  log "the key-auth route does not refuse a request without a key: key-auth is not in force"
  exit 1
fi
grep -h "Applied plan" "$OUT"/higress-*.log | tee -a "$OUT/summary.txt" >&2 || true

# --- measure -----------------------------------------------------------------------------------------------------
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

run_wrk() { # target, seconds, output file -> "requests/s cpu-µs-per-request errors"
  local target=$1 before after
  before=$(cpu_ticks "${PID[$target]}")
  wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"$2"s --latency -H "$API_KEY_HEADER" "${URL[$target]}" >"$3"
  after=$(cpu_ticks "${PID[$target]}")
  awk -v ticks=$((after - before)) -v hz="$(getconf CLK_TCK)" '
    /^Requests\/sec:/ { rps = $2 }
    /requests in/ { requests = $1 }
    /Non-2xx or 3xx responses:/ { errors += $NF }
    /Socket errors:/ { errors += 1 }
    END { printf "%.0f %.1f %d\n", rps, requests ? ticks / hz * 1e6 / requests : 0, errors }' "$3"
}

log "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
log "wrk -t$WRK_THREADS -c$WRK_CONNECTIONS; priming ${PRIME_SECONDS}s per proxy, then $ROUNDS round(s) of ${ROUND_SECONDS}s per target"
for target in "${TARGETS[@]}"; do
  log "priming $target for ${PRIME_SECONDS}s: ${URL[$target]}"
  read -r rps _ _ < <(run_wrk "$target" "$PRIME_SECONDS" "$OUT/prime-$target.txt")
  log "  primed at $rps req/s"
done

RESULTS="$OUT/results.tsv"
printf 'round\ttarget\trps\tcpu_us_per_req\terrors\n' >"$RESULTS"
for ((round = 1; round <= ROUNDS; round++)); do
  for ((i = 0; i < ${#TARGETS[@]}; i++)); do
    target=${TARGETS[$(((i + round - 1) % ${#TARGETS[@]}))]}
    read -r rps cpu errors < <(run_wrk "$target" "$ROUND_SECONDS" "$OUT/round$round-$target.txt")
    printf '%d\t%s\t%s\t%s\t%s\n' "$round" "$target" "$rps" "$cpu" "$errors" >>"$RESULTS"
    log "round $round $target: $rps req/s, proxy CPU ${cpu} µs/request, errors $errors"
  done
done

# --- report ------------------------------------------------------------------------------------------------------
awk -F'\t' -v rounds="$ROUNDS" '
  function median(a, n,    i, j, t) {
    for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  NR == 1 { next }
  { rps[$2] += $3; cpu[$2] += $4; err[$2] += $5; r[$1, $2] = $3; c[$1, $2] = $4 }
  END {
    printf "\n%-12s %12s %16s %8s\n", "target", "req/s (mean)", "CPU µs/req", "errors"
    n = split("yarp higress-10 higress-10k higress-10-keyauth", t, " ")
    for (i = 1; i <= n; i++)
      printf "%-12s %12.0f %16.1f %8d\n", t[i], rps[t[i]] / rounds, cpu[t[i]] / rounds, err[t[i]]
    printf "\nper round:  Higress-10/YARP  Higress-10k/Higress-10  key-auth/plain  (req/s)   YARP/Higress-10 (CPU per request)\n"
    for (k = 1; k <= rounds; k++) {
      a[k] = 100 * r[k, "higress-10"] / r[k, "yarp"]; b[k] = 100 * r[k, "higress-10k"] / r[k, "higress-10"]; d[k] = 100 * c[k, "yarp"] / c[k, "higress-10"]
      e[k] = 100 * r[k, "higress-10-keyauth"] / r[k, "higress-10"]
      printf "  round %d:     %6.1f%%            %6.1f%%          %6.1f%%                 %6.1f%%\n", k, a[k], b[k], e[k], d[k]
    }
    printf "\nHigress-10 / YARP, req/s:          mean %6.1f%%  median of rounds %6.1f%%  (target >= 90%%)\n", 100 * rps["higress-10"] / rps["yarp"], median(a, rounds)
    printf "Higress-10k / Higress-10, req/s:   mean %6.1f%%  median of rounds %6.1f%%  (target >= 85%%)\n", 100 * rps["higress-10k"] / rps["higress-10"], median(b, rounds)
    printf "key-auth / plain route, req/s:     mean %6.1f%%  median of rounds %6.1f%%  (target >= 90%%)\n", 100 * rps["higress-10-keyauth"] / rps["higress-10"], median(e, rounds)
    printf "YARP / Higress-10, CPU per request: mean %6.1f%%  median of rounds %6.1f%%  (100%% = Higress costs what YARP costs)\n", 100 * cpu["yarp"] / cpu["higress-10"], median(d, rounds)
  }' "$RESULTS" | tee -a "$OUT/summary.txt"
log "raw output in $OUT"
