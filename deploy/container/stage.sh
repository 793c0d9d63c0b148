#!/usr/bin/env bash
# Stages the build context of the otelcol-okta image (the Containerfile at the top of the repository):
#   deploy/container/stage.sh <context dir> <otelcol-okta binary> [<ca-certificates package>]
# The CA bundle is made of the certificates in Debian's ca-certificates package, joined in name order as
# update-ca-certificates joins them. The package is fetched once with `apt-get download` and kept next
# to the context (in ca-certificates/), so that rebuilds use the same bundle; delete that folder to take
# Debian's current one. The third argument pins a version: ca-certificates=20250419~deb12u2.
set -euo pipefail
ctx=$1 binary=$2 package=${3:-ca-certificates}
here=$(cd "$(dirname "$0")" && pwd)
debs="$(dirname "$ctx")/ca-certificates"

mkdir -p "$debs"
if ! compgen -G "$debs/ca-certificates_*.deb" >/dev/null; then
  (cd "$debs" && apt-get download -q -o APT::Sandbox::User=root "$package") || {
    echo "apt-get download $package failed: run \`apt-get update\` (the package lists may be missing) and try again" >&2
    exit 1
  }
fi
debs_found=("$debs"/ca-certificates_*.deb)
if [ "${#debs_found[@]}" -ne 1 ]; then
  echo "expected one ca-certificates package in $debs, found ${#debs_found[@]}: delete the folder and try again" >&2
  exit 1
fi

rm -rf "$ctx"
mkdir -p "$ctx/storage" "$ctx/var/lib/otelcol" "$ctx/certs"
dpkg-deb --fsys-tarfile "${debs_found[0]}" | tar -x -C "$ctx/certs" ./usr/share/ca-certificates/mozilla
find "$ctx/certs" -name '*.crt' -print0 | LC_ALL=C sort -z | xargs -0 cat > "$ctx/ca-certificates.crt"
rm -rf "$ctx/certs"
chmod 0644 "$ctx/ca-certificates.crt"
install -m 0755 "$binary" "$ctx/otelcol-okta"
install -m 0644 "$here/passwd" "$here/group" "$here/config.yaml" "$here/../../LICENSE" "$ctx/"
echo "staged $ctx with the CA certificates of $(basename "${debs_found[0]}")"
