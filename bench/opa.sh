#!/usr/bin/env bash
# Load test of the opa plugin: one reference host (samples/Higress.Gateway) with two routes to the same backend, one
# plain and one guarded by the opa plugin (an opa-envoy-plugin RBAC policy: roles from a JWT claim, permissions from
# data, evaluated in-process). Every request carries the same bearer token (role "reader", allowed), so the only
# difference between the targets is the plugin. Both targets are primed, then timed wrk runs interleave them round
# after round (order rotated). Prints requests/s per target and the ratio opa/plain (target >= 85%). Decision logs
# are off in this config (decision_logs.enabled: false): the number is the decision's cost, not the log sink's.
#
# Environment (defaults in brackets):
#   PRIME_SECONDS [30] ROUND_SECONDS [10] ROUNDS [5] WRK_THREADS [1] WRK_CONNECTIONS [32] SKIP_BUILD [0]
#   BASE_PORT [15180]      backend = BASE_PORT, gateway +1, admin +2
#
# Quick smoke run: PRIME_SECONDS=5 ROUND_SECONDS=3 ROUNDS=1 bench/opa.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh" opa 30 10 5 15180
BACKEND_PORT=$BASE_PORT
GATEWAY_PORT=$((BASE_PORT + 1))
ADMIN_PORT=$((BASE_PORT + 2))


if [[ "$SKIP_BUILD" != 1 ]]; then
  build_release samples/Higress.Gateway/Higress.Gateway.csproj bench/Higress.Bench.Backend/Higress.Bench.Backend.csproj
fi
ensure_wrk

# --- configuration -----------------------------------------------------------------------------------------------
b64url() { printf '%s' "$1" | base64 -w0 | tr '+/' '-_' | tr -d '='; }
TOKEN="$(b64url '{"alg":"HS256","typ":"JWT"}').$(b64url '{"sub":"bench","roles":["reader"]}').c2lnbmF0dXJl"
AUTH_HEADER="Authorization: Bearer $TOKEN"
mkdir -p "$OUT/config"
cat >"$OUT/config/gateway.yaml" <<YAML
apiVersion: networking.higress.io/v1alpha1
kind: Gateway
metadata: {name: bench}
spec:
  listeners:
  - {protocol: HTTP, port: $GATEWAY_PORT}
---
apiVersion: networking.higress.io/v1alpha1
kind: Route
metadata: {name: plain}
spec:
  http:
  - match: [{uri: {prefix: /plain}}]
    route: [{destination: {host: backend, port: 80}}]
---
apiVersion: networking.higress.io/v1alpha1
kind: Route
metadata: {name: guarded}
spec:
  http:
  - match: [{uri: {prefix: /api/books}}]
    route: [{destination: {host: backend, port: 80}}]
---
apiVersion: networking.higress.io/v1alpha1
kind: Extension
metadata: {name: opa-rbac}
spec:
  plugin: opa
  targetRefs: [{kind: Route, name: guarded}]
  config:
    policy: envoy/authz/allow
    decision_logs: {enabled: false}
    data:
      role_permissions:
        reader: [{method: GET, path: /api/books}]
    rego: |
      package envoy.authz

      import rego.v1

      default allow := false

      http_request := input.attributes.request.http

      token := payload if {
        [_, encoded] := split(http_request.headers.authorization, " ")
        [_, payload, _] := io.jwt.decode(encoded)
      }

      allow if "admin" in token.roles

      allow if {
        some role in token.roles
        some perm in data.role_permissions[role]
        perm.method == http_request.method
        startswith(http_request.path, perm.path)
      }
---
apiVersion: v1
kind: Service
metadata: {name: backend}
spec:
  ports: [{protocol: TCP, port: 80, targetPort: $BACKEND_PORT}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: backend-slice
  labels: {kubernetes.io/service-name: backend}
addressType: IPv4
ports: [{protocol: TCP, port: $BACKEND_PORT}]
endpoints: [{addresses: ["127.0.0.1"], conditions: {ready: true}}]
YAML

# --- start -------------------------------------------------------------------------------------------------------
start backend dotnet "$ROOT/bench/Higress.Bench.Backend/$BIN/Higress.Bench.Backend.dll" "$BACKEND_PORT"
start gateway dotnet "$ROOT/samples/Higress.Gateway/$BIN/Higress.Gateway.dll" --Higress:ConfigDir="$OUT/config" \
  --Higress:BindAddress=127.0.0.1 --Higress:Admin:Port="$ADMIN_PORT"
wait_for "http://127.0.0.1:$BACKEND_PORT/" 60
wait_for "http://127.0.0.1:$ADMIN_PORT/readyz" 120

TARGETS=(plain opa)
declare -A URL=([plain]="http://127.0.0.1:$GATEWAY_PORT/plain/x" [opa]="http://127.0.0.1:$GATEWAY_PORT/api/books/42")
for target in "${TARGETS[@]}"; do
  wait_for "${URL[$target]}" 60 "$AUTH_HEADER"
done
if [[ "$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "$AUTH_HEADER" "${URL[opa]}")" != 403 ]]; then
  log "the opa route does not refuse a POST by a reader: the policy is not in force"
  exit 1
fi

# --- measure -----------------------------------------------------------------------------------------------------
run_wrk() { # target, seconds, output file -> "requests/s errors"
  wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"$2"s -H "$AUTH_HEADER" "${URL[$1]}" >"$3"
  awk '/^Requests\/sec:/ { rps = $2 } /Non-2xx or 3xx responses:/ { errors += $NF } /Socket errors:/ { errors += 1 }
    END { printf "%.0f %d\n", rps, errors }' "$3"
}

log "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for target in "${TARGETS[@]}"; do
  log "priming $target for ${PRIME_SECONDS}s"
  run_wrk "$target" "$PRIME_SECONDS" "$OUT/prime-$target.txt" >/dev/null
done

RESULTS="$OUT/results.tsv"
printf 'round\ttarget\trps\terrors\n' >"$RESULTS"
for ((round = 1; round <= ROUNDS; round++)); do
  for ((i = 0; i < ${#TARGETS[@]}; i++)); do
    target=${TARGETS[$(((i + round - 1) % ${#TARGETS[@]}))]}
    read -r rps errors < <(run_wrk "$target" "$ROUND_SECONDS" "$OUT/round$round-$target.txt")
    printf '%d\t%s\t%s\t%s\n' "$round" "$target" "$rps" "$errors" >>"$RESULTS"
    log "round $round $target: $rps req/s, errors $errors"
  done
done

awk -F'\t' -v rounds="$ROUNDS" '
  function median(a, n,    i, j, t) {
    for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  NR == 1 { next }
  { rps[$2] += $3; err[$2] += $4; r[$1, $2] = $3 }
  END {
    printf "\nplain: %.0f req/s, opa: %.0f req/s (means), errors %d / %d\n", rps["plain"] / rounds, rps["opa"] / rounds, err["plain"], err["opa"]
    for (k = 1; k <= rounds; k++) { q[k] = 100 * r[k, "opa"] / r[k, "plain"]; printf "  round %d: opa/plain %6.1f%%\n", k, q[k] }
    printf "opa / plain route, req/s: mean %6.1f%%  median of rounds %6.1f%%  (target >= 85%%)\n", 100 * rps["opa"] / rps["plain"], median(q, rounds)
  }' "$RESULTS" | tee -a "$OUT/summary.txt"
log "raw output in $OUT"
