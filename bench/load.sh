#!/usr/bin/env bash
# Load test: the reference host (samples/Higress.Gateway) against nginx and a bare YARP host, in one run, on loopback.
#
# Starts one backend (bench/Higress.Bench.Backend), nginx (Debian's nginx-light, installed with apt-get when missing:
# run as root or with sudo; one worker, upstream keepalive, configured by a generated artifacts/.../nginx.conf), a
# bare YARP host (bench/Higress.Bench.BareYarp) as shipped and a second one with the threading the reference host uses
# (inline socket completions and Kestrel inline scheduling, docs/performance.md "Threads"), the reference host with 10 routes and a second reference host with
# 10,000 routes, all pointing at the same backend. Proxies and backend are pinned to one core (PROXY_CPU), wrk to the
# other (LOAD_CPU). Every proxy is primed with load before anything is timed (the JIT's tiering and dynamic PGO take
# tens of seconds to settle; YARP alone needs about 40 s on one core), then timed wrk runs interleave the targets,
# round after round, with the order rotated each round so that no target always runs first. Prints requests/s and
# p99 per target and the ratios Higress-10/nginx, Higress-10/YARP, YARP/nginx, Higress-10k/Higress-10 and
# key-auth/plain (one route of the Higress-10 host carries key-auth); raw wrk output and every process's log go to
# artifacts/bench/.
#
# Environment (defaults in brackets):
#   PRIME_SECONDS [60]     load applied to each proxy before timing
#   ROUND_SECONDS [15]     length of one timed wrk run
#   ROUNDS [5]             timed rounds; each round runs every target once (more, shorter rounds resist a noisy machine)
#   WRK_THREADS [1] WRK_CONNECTIONS [32]
#   SKIP_BUILD [0]         1 to use the existing Release build
#   BASE_PORT [15080]      backend = BASE_PORT, YARP +1, Higress-10 +2, Higress-10k +3, nginx +4, admin ports +12, +13
#   PROXY_CPU [0] LOAD_CPU [1]  the cores of the proxies and backend, and of wrk
#
# Quick smoke run: PRIME_SECONDS=5 ROUND_SECONDS=3 ROUNDS=1 bench/load.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh" load 60 15 5 15080

BACKEND_PORT=$BASE_PORT
YARP_PORT=$((BASE_PORT + 1))
YARP_INLINE_PORT=$((BASE_PORT + 5))
HIGRESS10_PORT=$((BASE_PORT + 2))
HIGRESS10K_PORT=$((BASE_PORT + 3))
NGINX_PORT=$((BASE_PORT + 4))
HIGRESS10_ADMIN=$((BASE_PORT + 12))
HIGRESS10K_ADMIN=$((BASE_PORT + 13))


if [[ "$SKIP_BUILD" != 1 ]]; then
  build_release Higress.Net.sln
fi
ensure_wrk
ensure_nginx

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
  exec "${PIN_PROXY[@]}" dotnet "$ROOT/samples/Higress.Gateway/$BIN/Higress.Gateway.dll" --Higress:ConfigDir="$1" \
    --Higress:BindAddress=127.0.0.1 --Higress:Admin:Port="$2" --Higress:Limits:MaxDocumentsPerFile=50000
}
# nginx as a reverse proxy tuned the usual way: one worker, HTTP/1.1 keep-alive to the backend, no access log.
mkdir -p "$OUT/nginx"
cat >"$OUT/nginx.conf" <<NGINX
worker_processes 1;
daemon off;
pid $OUT/nginx/nginx.pid;
error_log $OUT/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $OUT/nginx/body;
  proxy_temp_path $OUT/nginx/proxy;
  fastcgi_temp_path $OUT/nginx/fastcgi;
  uwsgi_temp_path $OUT/nginx/uwsgi;
  scgi_temp_path $OUT/nginx/scgi;
  upstream backend {
    server 127.0.0.1:$BACKEND_PORT;
    keepalive 64;
  }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
NGINX
start backend "${PIN_PROXY[@]}" dotnet "$ROOT/bench/Higress.Bench.Backend/$BIN/Higress.Bench.Backend.dll" "$BACKEND_PORT"
start nginx "${PIN_PROXY[@]}" "$NGINX" -e "$OUT/nginx/error.log" -p "$OUT/nginx" -c "$OUT/nginx.conf"
start yarp env DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=0 "${PIN_PROXY[@]}" dotnet "$ROOT/bench/Higress.Bench.BareYarp/$BIN/Higress.Bench.BareYarp.dll" "$YARP_PORT" "http://127.0.0.1:$BACKEND_PORT"
start yarp-inline env DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 "${PIN_PROXY[@]}" dotnet "$ROOT/bench/Higress.Bench.BareYarp/$BIN/Higress.Bench.BareYarp.dll" "$YARP_INLINE_PORT" "http://127.0.0.1:$BACKEND_PORT"
start higress-10 gateway "$OUT/config-10" "$HIGRESS10_ADMIN"
start higress-10k gateway "$OUT/config-10k" "$HIGRESS10K_ADMIN"

wait_for "http://127.0.0.1:$BACKEND_PORT/" 60
wait_for "http://127.0.0.1:$HIGRESS10_ADMIN/readyz" 120
wait_for "http://127.0.0.1:$HIGRESS10K_ADMIN/readyz" 180

# higress-10-keyauth: a route of the Higress-10 host with key-auth on it; every target sends the same API key
# header, so the only difference between higress-10 and higress-10-keyauth is the plugin.
API_KEY_HEADER="x-api-key: bench-key-0001"
TARGETS=(nginx yarp yarp-inline higress-10 higress-10k higress-10-keyauth)
declare -A URL=(
  [nginx]="http://127.0.0.1:$NGINX_PORT$PATH10"
  [yarp]="http://127.0.0.1:$YARP_PORT$PATH10"
  [yarp-inline]="http://127.0.0.1:$YARP_INLINE_PORT$PATH10"
  [higress-10]="http://127.0.0.1:$HIGRESS10_PORT$PATH10"
  [higress-10k]="http://127.0.0.1:$HIGRESS10K_PORT$PATH10K"
  [higress-10-keyauth]="http://127.0.0.1:$HIGRESS10_PORT$PATH10_KEYAUTH"
)
wait_for "http://127.0.0.1:$NGINX_PORT$PATH10" 30
# The worker does the work; its master only watches it.
NGINX_WORKER=$(pgrep -P "$PID_nginx" nginx | head -n 1)
declare -A PID=([nginx]=$NGINX_WORKER [yarp]=$PID_yarp [yarp-inline]=$PID_yarp_inline [higress-10]=$PID_higress_10 [higress-10k]=$PID_higress_10k [higress-10-keyauth]=$PID_higress_10)
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

run_wrk() { # target, seconds, output file -> "requests/s cpu-µs-per-request errors p99-ms"
  local target=$1 before after
  before=$(cpu_ticks "${PID[$target]}")
  "${PIN_LOAD[@]}" wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"$2"s --latency -H "$API_KEY_HEADER" "${URL[$target]}" >"$3"
  after=$(cpu_ticks "${PID[$target]}")
  read -r rps requests errors _ p99 < <(wrk_numbers "$3")
  awk -v ticks=$((after - before)) -v hz="$(getconf CLK_TCK)" -v rps="$rps" -v requests="$requests" -v errors="$errors" -v p99="$p99" \
    'BEGIN { printf "%s %.1f %d %s\n", rps, requests ? ticks / hz * 1e6 / requests : 0, errors, p99 }'
}

log "pinning: proxies and backend ${PIN_PROXY[*]:-not pinned}, wrk ${PIN_LOAD[*]:-not pinned}; $("$NGINX" -v 2>&1)"
log "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
log "wrk -t$WRK_THREADS -c$WRK_CONNECTIONS; priming ${PRIME_SECONDS}s per proxy, then $ROUNDS round(s) of ${ROUND_SECONDS}s per target"
for target in "${TARGETS[@]}"; do
  log "priming $target for ${PRIME_SECONDS}s: ${URL[$target]}"
  read -r rps _ _ < <(run_wrk "$target" "$PRIME_SECONDS" "$OUT/prime-$target.txt")
  log "  primed at $rps req/s"
done

RESULTS="$OUT/results.tsv"
printf 'round\ttarget\trps\tcpu_us_per_req\terrors\tp99_ms\n' >"$RESULTS"
for ((round = 1; round <= ROUNDS; round++)); do
  for ((i = 0; i < ${#TARGETS[@]}; i++)); do
    target=${TARGETS[$(((i + round - 1) % ${#TARGETS[@]}))]}
    read -r rps cpu errors p99 < <(run_wrk "$target" "$ROUND_SECONDS" "$OUT/round$round-$target.txt")
    printf '%d\t%s\t%s\t%s\t%s\t%s\n' "$round" "$target" "$rps" "$cpu" "$errors" "$p99" >>"$RESULTS"
    log "round $round $target: $rps req/s, p99 $p99 ms, proxy CPU ${cpu} µs/request, errors $errors"
  done
done

# --- report ------------------------------------------------------------------------------------------------------
awk -F'\t' -v rounds="$ROUNDS" '
  function median(a, n,    i, j, t) {
    for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  function ratio(label, x, y, target,    k, q) {
    for (k = 1; k <= rounds; k++) q[k] = 100 * r[k, x] / r[k, y]
    printf "%-34s mean %6.1f%%  median of rounds %6.1f%%  %s\n", label, 100 * rps[x] / rps[y], median(q, rounds), target
  }
  NR == 1 { next }
  { rps[$2] += $3; cpu[$2] += $4; err[$2] += $5; r[$1, $2] = $3; c[$1, $2] = $4; p99[$2, ++np[$2]] = $6 }
  END {
    printf "\n%-20s %12s %16s %14s %8s\n", "target", "req/s (mean)", "CPU µs/req", "p99 ms (med)", "errors"
    n = split("nginx yarp yarp-inline higress-10 higress-10k higress-10-keyauth", t, " ")
    for (i = 1; i <= n; i++) {
      delete l; for (k = 1; k <= np[t[i]]; k++) l[k] = p99[t[i], k]
      printf "%-20s %12.0f %16.1f %14.2f %8d\n", t[i], rps[t[i]] / rounds, cpu[t[i]] / rounds, median(l, np[t[i]]), err[t[i]]
    }
    printf "\nper round (req/s): Higress-10/nginx  Higress-10/YARP  YARP/nginx  Higress-10k/Higress-10  key-auth/plain\n"
    for (k = 1; k <= rounds; k++)
      printf "  round %d:          %6.1f%%           %6.1f%%         %6.1f%%      %6.1f%%                %6.1f%%\n", k,
        100 * r[k, "higress-10"] / r[k, "nginx"], 100 * r[k, "higress-10"] / r[k, "yarp"], 100 * r[k, "yarp"] / r[k, "nginx"],
        100 * r[k, "higress-10k"] / r[k, "higress-10"], 100 * r[k, "higress-10-keyauth"] / r[k, "higress-10"]
    printf "\n"
    ratio("Higress-10 / nginx, req/s:", "higress-10", "nginx", "(target >= 100%, stretch)")
    ratio("Higress-10 / YARP, req/s:", "higress-10", "yarp", "(target >= 130%)")
    ratio("YARP / nginx, req/s:", "yarp", "nginx", "")
    ratio("Higress-10 / YARP-inline, req/s:", "higress-10", "yarp-inline", "(YARP with the same threading)")
    ratio("Higress-10k / Higress-10, req/s:", "higress-10k", "higress-10", "(target >= 85%)")
    ratio("key-auth / plain route, req/s:", "higress-10-keyauth", "higress-10", "(target >= 90%)")
    printf "%-34s mean %6.1f%%  (100%% = Higress costs what YARP costs)\n", "YARP / Higress-10, CPU per request:", 100 * cpu["yarp"] / cpu["higress-10"]
  }' "$RESULTS" | tee -a "$OUT/summary.txt"
log "raw output in $OUT"
