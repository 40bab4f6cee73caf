#!/usr/bin/env bash
# gRPC unary throughput: the reference host (samples/Higress.Gateway, a GRPC listener and a GRPCRoute) against the
# gRPC backend reached directly, in one run, on loopback.
#
# Starts the gRPC backend (bench/Higress.Bench.Grpc serve) and the reference host in front of it, primes both paths,
# then runs timed rounds of the closed-loop Grpc.Net.Client load (bench/Higress.Bench.Grpc load, only status-OK calls
# count), alternating which target goes first. Prints calls/s per target and the ratio gateway/direct; logs go to
# artifacts/bench/grpc-*/.
#
# Environment (defaults in brackets):
#   PRIME_SECONDS [20] ROUND_SECONDS [10] ROUNDS [4] CONCURRENCY [32] SKIP_BUILD [0] BASE_PORT [15280]
# Quick smoke run: PRIME_SECONDS=3 ROUND_SECONDS=3 ROUNDS=1 bench/grpc.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CONCURRENCY="${CONCURRENCY:-32}"
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh" grpc 20 10 4 15280

BACKEND_PORT=$BASE_PORT
GATEWAY_PORT=$((BASE_PORT + 1))
ADMIN_PORT=$((BASE_PORT + 2))

if [[ "$SKIP_BUILD" != 1 ]]; then
  build_release bench/Higress.Bench.Grpc samples/Higress.Gateway
fi

mkdir -p "$OUT/config"
cat >"$OUT/config/grpc.yaml" <<YAML
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: bench}
spec:
  gatewayClassName: higress
  listeners: [{name: grpc, port: $GATEWAY_PORT, protocol: GRPC}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: echo}
spec:
  parentRefs: [{name: bench}]
  rules:
  - matches: [{method: {service: bench.Echo}}]
    backendRefs: [{name: echo, port: 50051}]
---
apiVersion: v1
kind: Service
metadata: {name: echo}
spec:
  ports: [{port: 50051, appProtocol: kubernetes.io/h2c}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: echo-1
  labels: {kubernetes.io/service-name: echo}
addressType: IPv4
endpoints: [{addresses: ["127.0.0.1"]}]
ports: [{port: $BACKEND_PORT}]
YAML

LOAD=(dotnet "$ROOT/bench/Higress.Bench.Grpc/$BIN/Higress.Bench.Grpc.dll")
start backend "${LOAD[@]}" serve "$BACKEND_PORT"
start gateway dotnet "$ROOT/samples/Higress.Gateway/$BIN/Higress.Gateway.dll" --Higress:ConfigDir="$OUT/config" \
  --Higress:BindAddress=127.0.0.1 --Higress:Admin:Port="$ADMIN_PORT"
wait_for "http://127.0.0.1:$ADMIN_PORT/readyz" 120

declare -A URL=([direct]="http://127.0.0.1:$BACKEND_PORT" [gateway]="http://127.0.0.1:$GATEWAY_PORT")
TARGETS=(direct gateway)
load() { "${LOAD[@]}" load "${URL[$1]}" "$2" "$CONCURRENCY"; } # target, seconds -> "calls/s ok failed"

log "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); concurrency $CONCURRENCY"
for target in "${TARGETS[@]}"; do
  read -r cps ok failed < <(load "$target" "$PRIME_SECONDS")
  log "primed $target: $cps calls/s ($ok ok, $failed failed)"
  if ((ok == 0)); then
    log "no call succeeded through $target; see $OUT/*.log"
    exit 1
  fi
done

RESULTS="$OUT/results.tsv"
printf 'round\ttarget\tcalls_per_s\tok\tfailed\n' >"$RESULTS"
for ((round = 1; round <= ROUNDS; round++)); do
  for ((i = 0; i < ${#TARGETS[@]}; i++)); do
    target=${TARGETS[$(((i + round - 1) % ${#TARGETS[@]}))]}
    read -r cps ok failed < <(load "$target" "$ROUND_SECONDS")
    printf '%d\t%s\t%s\t%s\t%s\n' "$round" "$target" "$cps" "$ok" "$failed" >>"$RESULTS"
    log "round $round $target: $cps calls/s, $failed failed"
  done
done

awk -F'\t' 'NR > 1 { sum[$2] += $3; n[$2]++; failed[$2] += $5 }
  END {
    printf "direct  %8.0f calls/s (failed %d)\ngateway %8.0f calls/s (failed %d)\nratio gateway/direct %.2f\n",
      sum["direct"] / n["direct"], failed["direct"], sum["gateway"] / n["gateway"], failed["gateway"], (sum["gateway"] / n["gateway"]) / (sum["direct"] / n["direct"])
  }' "$RESULTS" | tee -a "$OUT/summary.txt"
