#!/usr/bin/env bash
# `make run`: the otelcol-okta collector reading an Okta System Log, one line per event on standard output
# (oktaview formats what the collector's file exporter writes); the collector's own log goes to stderr.
# - OKTA_ENDPOINT and OKTA_API_TOKEN set: reads that org with the API token.
# - OKTA_ENDPOINT, OKTA_OAUTH_CLIENT_ID and OKTA_OAUTH_KEY_FILE set: reads that org as an OAuth service app
#   with DPoP.
# - none of these set: starts the bundled Okta simulator on loopback (OKTASIM_ADDR, default
#   127.0.0.1:18080) and reads from it; OKTA_AUTH=oauth makes the simulator an OAuth service app with DPoP
#   (a demo key is written under .run/) instead of an API token.
# Any other combination stops with the name of the variable that is missing.
# The collector's own metrics are served on 127.0.0.1:OKTA_METRICS_PORT: 8888, or the next free port when
# 8888 is taken. The checkpoint is kept under .run/<org>/ (OKTA_STORAGE_DIR).
set -euo pipefail
cd "$(dirname "$0")/../.."

fail() {
  echo "make run: $*" >&2
  exit 2
}

# listening says whether something accepts connections on host $1, port $2.
listening() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

for bin in _build/otelcol-okta _build/oktaview; do
  [ -x "$bin" ] || fail "$bin is missing: start this with \`make run\`, which builds it"
done

# Which org, and which credentials.
mode=simulator
if [ -n "${OKTA_ENDPOINT:-}" ]; then
  if [ -n "${OKTA_OAUTH_CLIENT_ID:-}${OKTA_OAUTH_KEY_FILE:-}" ]; then
    [ -n "${OKTA_OAUTH_CLIENT_ID:-}" ] || fail "OKTA_OAUTH_CLIENT_ID is not set: set it to the client ID of the OAuth service app that OKTA_OAUTH_KEY_FILE belongs to"
    [ -n "${OKTA_OAUTH_KEY_FILE:-}" ] || fail "OKTA_OAUTH_KEY_FILE is not set: set it to the path of the private key of service app ${OKTA_OAUTH_CLIENT_ID}"
    [ -r "$OKTA_OAUTH_KEY_FILE" ] || fail "OKTA_OAUTH_KEY_FILE ($OKTA_OAUTH_KEY_FILE) cannot be read: set it to the path of the service app's private key"
    mode=oauth
  elif [ -n "${OKTA_API_TOKEN:-}" ]; then
    mode=token
  else
    fail "OKTA_ENDPOINT is set but OKTA_API_TOKEN is not: set OKTA_API_TOKEN to an API token of ${OKTA_ENDPOINT} (or OKTA_OAUTH_CLIENT_ID and OKTA_OAUTH_KEY_FILE for an OAuth service app), or unset OKTA_ENDPOINT to read the bundled simulator"
  fi
else
  for v in OKTA_API_TOKEN OKTA_OAUTH_CLIENT_ID OKTA_OAUTH_KEY_FILE; do
    [ -z "${!v:-}" ] || fail "$v is set but OKTA_ENDPOINT is not: set OKTA_ENDPOINT to your org's domain (e.g. example.okta.com), or unset $v to read the bundled simulator"
  done
fi

# The collector's own metrics: the port asked for, else 8888 or the next free one.
if [ -n "${OKTA_METRICS_PORT:-}" ]; then
  ! listening 127.0.0.1 "$OKTA_METRICS_PORT" ||
    fail "OKTA_METRICS_PORT=${OKTA_METRICS_PORT} is taken by another process: choose a free port, or unset it to let make run pick one"
else
  OKTA_METRICS_PORT=8888
  while listening 127.0.0.1 "$OKTA_METRICS_PORT"; do
    OKTA_METRICS_PORT=$((OKTA_METRICS_PORT + 1))
    [ "$OKTA_METRICS_PORT" -lt 8988 ] || fail "ports 8888 to 8987 are all taken: set OKTA_METRICS_PORT to a free port"
  done
fi
export OKTA_METRICS_PORT

sim_pid=""
cleanup() { if [ -n "$sim_pid" ]; then kill "$sim_pid" 2>/dev/null || true; fi; }
trap cleanup EXIT

config=testdata/examples/run.yaml
case "$mode" in
oauth)
  echo "reading the System Log of ${OKTA_ENDPOINT} as OAuth service app ${OKTA_OAUTH_CLIENT_ID}" >&2
  config=testdata/examples/run-oauth.yaml
  ;;
token)
  echo "reading the System Log of ${OKTA_ENDPOINT}" >&2
  ;;
simulator)
  [ -x _build/oktasim ] || fail "_build/oktasim is missing: start this with \`make run\`, which builds it"
  addr="${OKTASIM_ADDR:-127.0.0.1:18080}"
  ! listening "${addr%:*}" "${addr##*:}" ||
    fail "the simulator's address ${addr} is taken (an earlier make run still running?): stop that process, or set OKTASIM_ADDR to a free address such as 127.0.0.1:18081"
  sim_flags=(-addr "$addr" -token sim-token)
  if [ "${OKTA_AUTH:-token}" = oauth ]; then
    mkdir -p .run
    export OKTA_OAUTH_CLIENT_ID=0oasimdemo OKTA_OAUTH_KEY_FILE="$PWD/.run/oauth-demo-key.pem"
    sim_flags+=(-oauth-client-id "$OKTA_OAUTH_CLIENT_ID" -oauth-write-demo-key "$OKTA_OAUTH_KEY_FILE" -oauth-dpop)
    config=testdata/examples/run-oauth.yaml
  fi
  _build/oktasim "${sim_flags[@]}" >&2 &
  sim_pid=$!
  for _ in $(seq 50); do
    listening "${addr%:*}" "${addr##*:}" && break
    kill -0 "$sim_pid" 2>/dev/null || fail "the simulator did not start on ${addr} (see its message above)"
    sleep 0.1
  done
  export OKTA_ENDPOINT="http://${addr}" OKTA_API_TOKEN="sim-token"
  ;;
esac

org="${OKTA_ENDPOINT#*://}"
export OKTA_STORAGE_DIR="${OKTA_STORAGE_DIR:-$PWD/.run/${org//[:\/]/_}}"
mkdir -p "$OKTA_STORAGE_DIR"
echo "checkpoint kept in ${OKTA_STORAGE_DIR} (delete it to start again from initial_lookback)" >&2
echo "collector metrics on http://127.0.0.1:${OKTA_METRICS_PORT}/metrics; Ctrl-C stops" >&2
_build/otelcol-okta --config "$config" | _build/oktaview
