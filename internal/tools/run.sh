#!/usr/bin/env bash
# `make run`: the otelcol-okta collector printing Okta System Log events as they arrive.
# With OKTA_ENDPOINT and OKTA_API_TOKEN set it reads that org; without them it starts the bundled Okta
# simulator on loopback and reads from it. The checkpoint is kept under .run/<org>/ (OKTA_STORAGE_DIR).
set -euo pipefail
cd "$(dirname "$0")/../.."

sim_pid=""
cleanup() { [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null || true; }
trap cleanup EXIT

if [ -n "${OKTA_ENDPOINT:-}" ] && [ -n "${OKTA_API_TOKEN:-}" ]; then
  echo "reading the System Log of ${OKTA_ENDPOINT}"
else
  if [ -n "${OKTA_ENDPOINT:-}${OKTA_API_TOKEN:-}" ]; then
    echo "set both OKTA_ENDPOINT and OKTA_API_TOKEN to read a real org; starting the simulator instead" >&2
  fi
  addr="${OKTASIM_ADDR:-127.0.0.1:18080}"
  _build/oktasim -addr "$addr" -token sim-token &
  sim_pid=$!
  for _ in $(seq 50); do
    (exec 3<>"/dev/tcp/${addr%:*}/${addr##*:}") 2>/dev/null && break
    sleep 0.1
  done
  export OKTA_ENDPOINT="http://${addr}" OKTA_API_TOKEN="sim-token"
fi

org="${OKTA_ENDPOINT#*://}"
export OKTA_STORAGE_DIR="${OKTA_STORAGE_DIR:-$PWD/.run/${org//[:\/]/_}}"
mkdir -p "$OKTA_STORAGE_DIR"
echo "checkpoint kept in ${OKTA_STORAGE_DIR} (delete it to start again from initial_lookback)"
_build/otelcol-okta --config testdata/examples/run.yaml
