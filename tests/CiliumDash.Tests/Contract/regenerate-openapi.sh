#!/usr/bin/env bash
# Regenerates the pinned REST contract (openapi.v1.json beside this script) from the app as this checkout builds it:
# runs the OpenAPI contract test, which writes the served document (without its server address) next to the test
# assembly, and copies that file here. Review the diff: fields may be added, never renamed or removed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
configuration="${CONFIGURATION:-Release}"
dotnet test "$root/tests/CiliumDash.Tests/CiliumDash.Tests.csproj" -c "$configuration" \
    --filter "FullyQualifiedName~CiliumDash.Tests.Contract.OpenApiContractTests.OpenApi_Served" >/dev/null || true
current="$root/tests/CiliumDash.Tests/bin/$configuration/net10.0/openapi.v1.current.json"
[[ -f "$current" ]] || { echo "the test did not write $current" >&2; exit 1; }
cp "$current" "$here/openapi.v1.json"
git -C "$root" diff --stat -- "$here/openapi.v1.json"
