# Shared by the load-test scripts (bench/load.sh, bench/resilience.sh, ...); source it after setting ROOT (the
# repository) as
#   source "$ROOT/bench/lib.sh" NAME PRIME_SECONDS ROUND_SECONDS ROUNDS BASE_PORT
# NAME prefixes log lines and names this run's artifacts directory OUT (artifacts/bench/NAME-<time>, created here);
# the numbers are the script's defaults for the settings every load script takes from the environment:
# PRIME_SECONDS, ROUND_SECONDS, ROUNDS, BASE_PORT, and WRK_THREADS [1], WRK_CONNECTIONS [32], SKIP_BUILD [0].
# Gives: log, start (every process started is recorded and stopped on exit), wait_for, build_release, ensure_wrk,
# ensure_nginx, PIN_PROXY / PIN_LOAD, wrk_numbers.
# shellcheck shell=bash

LOG_NAME=$1
PRIME_SECONDS="${PRIME_SECONDS:-$2}"
ROUND_SECONDS="${ROUND_SECONDS:-$3}"
ROUNDS="${ROUNDS:-$4}"
BASE_PORT="${BASE_PORT:-$5}"
WRK_THREADS="${WRK_THREADS:-1}"
WRK_CONNECTIONS="${WRK_CONNECTIONS:-32}"
SKIP_BUILD="${SKIP_BUILD:-0}"
OUT="$ROOT/artifacts/bench/$LOG_NAME-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
BIN=bin/Release/net10.0
log() { printf '[%s %s] %s\n' "$LOG_NAME" "$(date -u +%H:%M:%S)" "$*" | tee -a "$OUT/summary.txt" >&2; }

# --- processes: every one we start is recorded and stopped on exit --------------------------------------------
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start() { # name, command... -> also sets PID_<name> (dashes become underscores)
  local name=$1
  shift
  "$@" >"$OUT/$name.log" 2>&1 &
  PIDS+=("$!")
  eval "PID_${name//-/_}=$!"
  log "started $name (pid $!)"
}

wait_for() { # url, seconds, [header]
  local deadline=$((SECONDS + $2))
  until curl -fs -o /dev/null --max-time 2 ${3:+-H "$3"} "$1"; do
    if ((SECONDS > deadline)); then
      log "timed out waiting for $1"
      exit 1
    fi
    sleep 0.5
  done
}

build_release() { # project or solution paths relative to ROOT
  local target attempt
  log "building Release: $*"
  for target in "$@"; do
    for attempt in 1 2 3; do # other builds in the same tree can hold files for a moment
      if dotnet build "$ROOT/$target" -c Release -nologo -v q >>"$OUT/build.log" 2>&1; then
        break
      fi
      if ((attempt == 3)); then
        tail -30 "$OUT/build.log" >&2
        exit 1
      fi
      log "build of $target failed (attempt $attempt), retrying"
      sleep 5
    done
  done
}

ensure_wrk() {
  if ! command -v wrk >/dev/null; then
    log "installing wrk"
    as_root apt-get update >/dev/null && as_root apt-get install -y wrk >/dev/null
  fi
}

# As root, or through sudo when there is one: the Debian package manager.
as_root() { if [[ $(id -u) == 0 ]]; then "$@"; else sudo "$@"; fi; }

ensure_nginx() { # nginx as a reference proxy: Debian's nginx-light (or nginx), installed when missing
  if ! command -v nginx >/dev/null && [[ ! -x /usr/sbin/nginx ]]; then
    log "installing nginx-light (apt-get, as root or with sudo)"
    as_root apt-get update >/dev/null && { as_root apt-get install -y nginx-light >/dev/null || as_root apt-get install -y nginx >/dev/null; }
  fi
  NGINX=$(command -v nginx || echo /usr/sbin/nginx)
}

# Proxies and the backend share PROXY_CPU, wrk runs alone on LOAD_CPU, so that each proxy gets one core and the load
# generator never competes with it: prefix a command with "${PIN_PROXY[@]}" or "${PIN_LOAD[@]}" (taskset execs the
# command, so a recorded pid stays the command's). On a single core, or without taskset, nothing is pinned.
PROXY_CPU="${PROXY_CPU:-0}"
LOAD_CPU="${LOAD_CPU:-1}"
PIN_PROXY=()
PIN_LOAD=()
if (($(nproc) > 1)) && command -v taskset >/dev/null; then
  PIN_PROXY=(taskset -c "$PROXY_CPU")
  PIN_LOAD=(taskset -c "$LOAD_CPU")
fi

wrk_numbers() { # wrk --latency output file -> "requests/s requests errors p50-ms p99-ms"
  awk '
    function ms(v) { return v ~ /us$/ ? v / 1000 : v ~ /ms$/ ? v + 0 : v ~ /s$/ ? v * 1000 : v }
    /^Requests\/sec:/ { rps = $2 }
    /requests in/ { requests = $1 }
    /Non-2xx or 3xx responses:/ { errors += $NF }
    /Socket errors:/ { gsub(/[^0-9 ]/, ""); for (i = 1; i <= NF; i++) errors += $i }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    END { printf "%.0f %d %d %.3f %.3f\n", rps, requests, errors, p50, p99 }' "$1"
}
