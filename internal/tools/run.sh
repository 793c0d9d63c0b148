#!/usr/bin/env bash
# `make run`: the otelcol-okta collector printing Okta System Log events as they arrive.
# - OKTA_ENDPOINT and OKTA_API_TOKEN set: reads that org with the API token.
# - OKTA_ENDPOINT, OKTA_OAUTH_CLIENT_ID and OKTA_OAUTH_KEY_FILE set: reads that org as an OAuth service app
#   with DPoP.
# - otherwise: starts the bundled Okta simulator on loopback and reads from it; OKTA_AUTH=oauth makes the
#   simulator an OAuth service app with DPoP (a demo key is written under .run/) instead of an API token.
# The checkpoint is kept under .run/<org>/ (OKTA_STORAGE_DIR).
set -euo pipefail
cd "$(dirname "$0")/../.."

sim_pid=""
cleanup() { [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null || true; }
trap cleanup EXIT

config=testdata/examples/run.yaml
if [ -n "${OKTA_ENDPOINT:-}" ] && [ -n "${OKTA_OAUTH_CLIENT_ID:-}" ] && [ -n "${OKTA_OAUTH_KEY_FILE:-}" ]; then
  echo "reading the System Log of ${OKTA_ENDPOINT} as OAuth service app ${OKTA_OAUTH_CLIENT_ID}"
  config=testdata/examples/run-oauth.yaml
elif [ -n "${OKTA_ENDPOINT:-}" ] && [ -n "${OKTA_API_TOKEN:-}" ]; then
  echo "reading the System Log of ${OKTA_ENDPOINT}"
else
  if [ -n "${OKTA_ENDPOINT:-}${OKTA_API_TOKEN:-}" ]; then
    echo "set OKTA_ENDPOINT with OKTA_API_TOKEN (or OKTA_OAUTH_CLIENT_ID and OKTA_OAUTH_KEY_FILE) to read a real org; starting the simulator instead" >&2
  fi
  addr="${OKTASIM_ADDR:-127.0.0.1:18080}"
  sim_flags=(-addr "$addr" -token sim-token)
  if [ "${OKTA_AUTH:-token}" = oauth ]; then
    mkdir -p .run
    export OKTA_OAUTH_CLIENT_ID=0oasimdemo OKTA_OAUTH_KEY_FILE="$PWD/.run/oauth-demo-key.pem"
    sim_flags+=(-oauth-client-id "$OKTA_OAUTH_CLIENT_ID" -oauth-write-demo-key "$OKTA_OAUTH_KEY_FILE" -oauth-dpop)
    config=testdata/examples/run-oauth.yaml
  fi
  _build/oktasim "${sim_flags[@]}" &
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
_build/otelcol-okta --config "$config"
