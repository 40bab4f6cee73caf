# Shared by the load-test scripts (bench/load.sh, bench/resilience.sh); source it after setting
#   ROOT (the repository), OUT (this run's artifacts directory, created here), LOG_NAME (the prefix of log lines).
# Gives: log, start (every process started is recorded and stopped on exit), wait_for, build_release, ensure_wrk.
# shellcheck shell=bash

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
    apt-get update >/dev/null && apt-get install -y wrk >/dev/null
  fi
}
