#!/usr/bin/env bash
# Builds the Dockerfile with podman and runs docker-compose.yml on the images, on a machine with no Docker engine
# and, by default, no access to mcr.microsoft.com (this workplace reaches only Debian, NuGet and npm):
#   1. stand-in base images: Debian bookworm (debootstrap) plus this machine's .NET 10 runtime and SDK, tagged with
#      mcr's names, so the Dockerfile is built unchanged (--pull=never); MCR=1 pulls the real ones instead;
#   2. `podman build` of both targets;
#   3. Debian's docker-compose `up` through podman's Docker API socket, then checks: /healthz and /readyz answer 200,
#      /api/v1/nodes lists the simulator's 4 nodes in state Ok (their status read by exec), blazor.web.js has
#      content, both containers run as uid 1654 on a read-only root filesystem; then `down -v`.
# Usage (as root): bash deploy/ci/podman-image-check.sh      (.ci/run does not run it: it needs root-level podman)
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="${WORK:-/var/tmp/ciliumdash-image-check}"
project=ciliumdash-check
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq --no-install-recommends podman runc debootstrap docker-compose ca-certificates curl >/dev/null

# This VM refuses the RLIMIT_NPROC podman asks for (even the shell's own) and crun cannot use its hybrid cgroups: runc, and the limits the shell has.
mkdir -p "$work" /run/podman
cat >"$work/containers.conf" <<EOF
[containers]
default_ulimits = ["nproc=4096:4096", "nofile=$(ulimit -n):$(ulimit -n)"]
[engine]
runtime = "runc"
EOF
export CONTAINERS_CONF="$work/containers.conf"

standin() { # standin <image> <dotnet folders...>: Debian + this machine's dotnet, with mcr's user and variables
  local image="$1" root="$work/${1//[\/:]/_}"; shift
  [ -d "$work/bookworm" ] || debootstrap --variant=minbase --include=ca-certificates,libicu72,libssl3,tzdata \
    bookworm "$work/bookworm" http://deb.debian.org/debian >/dev/null
  rm -rf "$root" && cp -a "$work/bookworm" "$root" && mkdir -p "$root/usr/share/dotnet"
  for part in "$@"; do cp -a "/usr/share/dotnet/$part" "$root/usr/share/dotnet/"; done
  ln -sf /usr/share/dotnet/dotnet "$root/usr/bin/dotnet"
  # A proxy's CA that this machine trusts (the SDK stage restores from NuGet through it).
  cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/" 2>/dev/null || true
  chroot "$root" sh -c 'update-ca-certificates >/dev/null 2>&1; groupadd --gid=1654 app && useradd -l --uid=1654 --gid=1654 --create-home app'
  tar -C "$root" -cf "$root.tar" . && podman rmi -f "$image" >/dev/null 2>&1 || true
  podman import --change 'ENV APP_UID=1654' --change 'ENV ASPNETCORE_HTTP_PORTS=8080' \
    --change 'ENV DOTNET_RUNNING_IN_CONTAINER=true' --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    "$root.tar" "$image" >/dev/null
}
if [ "${MCR:-0}" = 1 ]; then
  podman pull mcr.microsoft.com/dotnet/sdk:10.0 && podman pull mcr.microsoft.com/dotnet/aspnet:10.0
else
  standin mcr.microsoft.com/dotnet/aspnet:10.0 dotnet host shared
  standin mcr.microsoft.com/dotnet/sdk:10.0 dotnet host shared sdk packs sdk-manifests
fi

cd "$repo"
podman build --pull=never --network host --target simulator -t ciliumdash-simulator:local .
podman build --pull=never --network host --target dashboard -t ciliumdash:local .

podman system service --time=0 unix:///run/podman/podman.sock &
service=$!
export DOCKER_HOST=unix:///run/podman/podman.sock
cleanup() { docker-compose -p "$project" down -v >/dev/null 2>&1 || true; kill "$service" 2>/dev/null || true; }
trap cleanup EXIT
until [ -S /run/podman/podman.sock ]; do sleep 0.2; done

# podman runs health checks from systemd timers, which this machine lacks: run the simulator's check by hand, then
# start the dashboard, which compose holds back until the simulator is healthy.
docker-compose -p "$project" up -d --no-build simulator
until podman healthcheck run "${project}_simulator_1" >/dev/null 2>&1; do sleep 1; done
docker-compose -p "$project" up -d --no-build dashboard

base=http://127.0.0.1:8080
for _ in $(seq 60); do curl -fsS "$base/readyz" >/dev/null 2>&1 && break; sleep 1; done
curl -fsS "$base/healthz" >/dev/null && echo "image-check: /healthz 200, /readyz 200"
# "state":"Ok" comes from each agent's own status document, read by exec into the simulator's containers.
for _ in $(seq 30); do [ "$(curl -fsS "$base/api/v1/nodes" | grep -o '"state":"Ok"' | wc -l)" = 4 ] && break; sleep 1; done
echo "image-check: /api/v1/nodes: $(curl -fsS "$base/api/v1/nodes" | grep -oE '"(name|state)":"[^"]*"' | tr '\n' ' ')"
script_bytes="$(curl -fsS "$base/_framework/blazor.web.js" | wc -c)"
[ "$script_bytes" -gt 0 ] && echo "image-check: _framework/blazor.web.js $script_bytes bytes"
for service_name in simulator dashboard; do
  container="${project}_${service_name}_1"
  echo "image-check: $service_name runs as $(podman exec "$container" id -u), read-only root: $(podman inspect "$container" --format '{{.HostConfig.ReadonlyRootfs}}')"
  [ "$(podman exec "$container" id -u)" = 1654 ] && [ "$(podman inspect "$container" --format '{{.HostConfig.ReadonlyRootfs}}')" = true ]
done
[ "$(curl -fsS "$base/api/v1/nodes" | grep -o '"state":"Ok"' | wc -l)" = 4 ]
echo "image-check: passed"
