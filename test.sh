#!/usr/bin/env bash
# Runs every test of CiliumDash: unit, integration, component and real-browser tests.
# Installs what a fresh Debian 12 machine with the .NET SDK lacks (Debian's Chromium for the browser tests; PostgreSQL,
# Prometheus, Alertmanager and Redis for the engine tests),
# builds the whole solution (warnings are errors), runs `dotnet test` over it and ends with one line: "N passed, N failed".
# Exits non-zero if the build or any test failed.
set -euo pipefail

cd "$(dirname "$0")"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

configuration="${CONFIGURATION:-Release}"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

summary() {
    # One "Passed!/Failed!  - Failed: F, Passed: P, ..." line per test assembly.
    local lines passed failed
    lines=$(grep -E '^(Passed|Failed)! +- Failed: +[0-9]+, Passed: +[0-9]+' "$log" || true)
    passed=$(grep -Eo 'Passed: +[0-9]+' <<<"$lines" | awk '{ s += $2 } END { print s + 0 }')
    failed=$(grep -Eo 'Failed: +[0-9]+' <<<"$lines" | awk '{ s += $2 } END { print s + 0 }')
    echo "$passed passed, $failed failed"
    [[ "$failed" -eq 0 && "$passed" -gt 0 ]]
}

if ! command -v dotnet >/dev/null; then
    echo "the .NET SDK is missing: install .NET 10 (https://dotnet.microsoft.com/download)" >&2
    echo "0 passed, 0 failed"
    exit 1
fi

# The browser tests drive Debian's Chromium (Playwright never downloads a browser here), and the sub-path tests put
# Debian's nginx in front of the dashboard.
if [[ ! -x /usr/bin/chromium || ! -x /usr/sbin/nginx ]]; then
    echo "installing chromium and nginx for the browser tests..."
    sudo=""
    if [[ "$(id -u)" -ne 0 ]]; then
        sudo="sudo"
    fi
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq >/dev/null
    $sudo apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core nginx-light >/dev/null
    # The package starts a system nginx on :80; the tests run their own, so stop it if a service manager started one.
    $sudo systemctl disable --now nginx >/dev/null 2>&1 || true
fi

# The real engines the history, metrics and alerting tests start on loopback ports in temporary folders (never the
# system services): PostgreSQL 15, Prometheus (with promtool), Alertmanager and Redis, all from Debian.
if ! command -v /usr/lib/postgresql/15/bin/initdb >/dev/null || ! command -v prometheus >/dev/null ||
    ! command -v prometheus-alertmanager >/dev/null || ! command -v redis-server >/dev/null; then
    echo "installing postgresql-15, prometheus, prometheus-alertmanager and redis-server for the engine tests..."
    sudo=""
    if [[ "$(id -u)" -ne 0 ]]; then
        sudo="sudo"
    fi
    export DEBIAN_FRONTEND=noninteractive
    # Debian's packages start their services on install; a policy-rc.d that refuses keeps the system ports free.
    printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null
    $sudo chmod +x /usr/sbin/policy-rc.d
    $sudo apt-get update -qq >/dev/null
    $sudo apt-get install -y -qq --no-install-recommends postgresql-15 prometheus prometheus-alertmanager redis-server >/dev/null
    $sudo rm -f /usr/sbin/policy-rc.d
fi

# helm and docker-compose for the chart and compose tests (never skipped); idempotent, needs root or sudo.
if [[ "$(id -u)" -eq 0 ]]; then
    bash deploy/ci/install-tools.sh
else
    sudo bash deploy/ci/install-tools.sh
fi

status=0
# The whole solution is built first (dotnet test alone skips projects no test references, like the benchmarks);
# then only the test projects run: the benchmarks and the simulator are executables without tests.
{
    dotnet build CiliumDash.sln -c "$configuration" -nologo &&
        dotnet test CiliumDash.sln -c "$configuration" --no-build
} 2>&1 | tee "$log" || status=$?

if ! summary || [[ "$status" -ne 0 ]]; then
    exit 1
fi
