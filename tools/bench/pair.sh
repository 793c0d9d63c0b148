#!/usr/bin/env bash
# Builds the otelcol-okta distribution at a baseline commit (BASE, default f6e26a4) and runs oktabench's
# interleaved pair: the baseline's collector and the working tree's (_build/otelcol-okta, which make
# bench-pair builds first) drain the same backlog alternately, ROUNDS rounds, and the report gives each
# run's CPU-seconds per 100,000 events and drain time, and the medians side by side.
#
# The baseline is built in a git worktree under _build, with the working tree's builder-config.yaml
# (the same components, dependency pins and GO_TOOLCHAIN), only the receiver's source taken from BASE:
# what differs between the two collectors is the receiver's code alone.
#
#   BASE=f6e26a4 ROUNDS=3 PAIR_FLAGS="-compression zstd -no-queue" tools/bench/pair.sh
set -euo pipefail

root=$(git rev-parse --show-toplevel)
cd "$root"
BASE=${BASE:-f6e26a4}
ROUNDS=${ROUNDS:-3}
PAIR_FLAGS=${PAIR_FLAGS:--compression zstd -no-queue}
GO_TOOLCHAIN=${GO_TOOLCHAIN:-$(sed -n 's/^GO_TOOLCHAIN := *//p' Makefile)}
BUILDER=${BUILDER:-_build/tools/builder}
DIST=${DIST:-_build/otelcol-okta}
BENCH=${BENCH:-_build/oktabench}

sha=$(git rev-parse --short=7 "$BASE^{commit}")
tree=$root/_build/baseline-$sha
dist=$root/_build/baseline-$sha-dist
if [ ! -x "$dist/otelcol-okta" ]; then
  if [ ! -d "$tree" ]; then
    git worktree add --detach "$tree" "$sha"
  fi
  mkdir -p "$dist"
  # The working tree's components and replaces, the receiver from the baseline's tree.
  sed -e "s|^  output_path: .*|  output_path: $dist|" -e "s|^    path: \.\$|    path: $tree|" builder-config.yaml \
    > "$dist/builder-config.yaml"
  grep -q "path: $tree" "$dist/builder-config.yaml" || { echo "pair.sh: builder-config.yaml has no 'path: .' receiver line" >&2; exit 1; }
  echo "pair.sh: building $sha's distribution with $GO_TOOLCHAIN in $dist" >&2
  GOTOOLCHAIN=$GO_TOOLCHAIN "$BUILDER" --config "$dist/builder-config.yaml"
fi
[ -x "$DIST" ] || { echo "pair.sh: no collector at $DIST (make build)" >&2; exit 1; }
go -C tools build -o "$root/$BENCH" ./bench/cmd/oktabench
# shellcheck disable=SC2086 # PAIR_FLAGS are flags, split on purpose
exec "$BENCH" -collector "$DIST" -baseline "$dist/otelcol-okta" -baseline-name "$sha" -rounds "$ROUNDS" $PAIR_FLAGS
