#!/usr/bin/env bash
# TCP throughput through a gateway TCP listener, as a ratio to the same echo server reached directly, in one run.
#
# An echo server (bench/tcp_echo.py) listens on ECHO_PORT; the reference host (samples/Higress.Gateway) forwards its
# TCP listener GATEWAY_PORT to it (a native Gateway and a Route with one tcp[] rule). Each round sends MEGABYTES on
# each of STREAMS connections and reads the echo back (so every byte crosses the gateway twice), once directly and
# once through the gateway, the order alternating by round. Reports MB/s (one way) of both and gateway/direct
# (median of rounds). Output: artifacts/bench/tcp-<time>/ (summary.txt, results.tsv, process logs).
#
# Environment (defaults in brackets):
#   ROUNDS [5] MEGABYTES [200] STREAMS [4]   SKIP_BUILD [0] (1: use the existing Release build)
#   BASE_PORT [15280]   echo = BASE_PORT, gateway listener +1, admin +2
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh" tcp 0 0 5 15280

MEGABYTES=${MEGABYTES:-200}
STREAMS=${STREAMS:-4}
ECHO_PORT=$BASE_PORT
GATEWAY_PORT=$((BASE_PORT + 1))
ADMIN_PORT=$((BASE_PORT + 2))

if [[ $SKIP_BUILD != 1 ]]; then
  build_release samples/Higress.Gateway
fi

mkdir -p "$OUT/config"
cat >"$OUT/config/tcp.yaml" <<YAML
apiVersion: networking.higress.io/v1alpha1
kind: Gateway
metadata: {name: l4}
spec:
  listeners: [{protocol: TCP, port: $GATEWAY_PORT}]
---
apiVersion: networking.higress.io/v1alpha1
kind: ServiceEntry
metadata: {name: echo}
spec:
  hosts: [echo.internal]
  ports: [{number: $ECHO_PORT, name: tcp, protocol: TCP}]
  endpoints: [{address: 127.0.0.1}]
---
apiVersion: networking.higress.io/v1alpha1
kind: Route
metadata: {name: echo}
spec:
  gateways: [l4]
  tcp: [{route: [{destination: {host: echo.internal, port: $ECHO_PORT}}]}]
YAML

start echo python3 "$ROOT/bench/tcp_echo.py" serve "$ECHO_PORT"
start gateway dotnet "$ROOT/samples/Higress.Gateway/$BIN/Higress.Gateway.dll" --Higress:ConfigDir="$OUT/config" \
  --Higress:BindAddress=127.0.0.1 --Higress:Admin:Port="$ADMIN_PORT"
wait_for "http://127.0.0.1:$ADMIN_PORT/readyz" 60

measure() { # target port -> appends a row
  local line
  line=$(python3 "$ROOT/bench/tcp_echo.py" run "$2" "$MEGABYTES" "$STREAMS")
  printf '%s\t%s\t%s\t%s\n' "$round" "$1" "${line% *}" "${line#* }" >>"$OUT/results.tsv"
  log "round $round $1: ${line% *} MB/s (intact: ${line#* })"
}

printf 'round\ttarget\tmb_per_s\tintact\n' >"$OUT/results.tsv"
round=0
measure warmup-gateway "$GATEWAY_PORT"
for ((round = 1; round <= ROUNDS; round++)); do
  if ((round % 2)); then
    measure direct "$ECHO_PORT"
    measure gateway "$GATEWAY_PORT"
  else
    measure gateway "$GATEWAY_PORT"
    measure direct "$ECHO_PORT"
  fi
done

python3 - "$OUT/results.tsv" <<'PY' | tee -a "$OUT/summary.txt"
import csv, statistics, sys
rows = [r for r in csv.DictReader(open(sys.argv[1]), delimiter="\t") if r["round"] != "0"]
by = {t: [float(r["mb_per_s"]) for r in rows if r["target"] == t] for t in ("direct", "gateway")}
ratios = [g / d for g, d in zip(by["gateway"], by["direct"])]
print(f"direct median {statistics.median(by['direct']):.0f} MB/s, gateway median {statistics.median(by['gateway']):.0f} MB/s, "
      f"gateway/direct median {statistics.median(ratios):.2f} (rounds: {', '.join(f'{r:.2f}' for r in ratios)}); "
      f"all intact: {all(r['intact'] == '1' for r in rows)}")
PY
