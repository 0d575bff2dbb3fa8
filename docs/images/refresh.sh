#!/bin/sh
# Refreshes the images in docs/images (the README's screenshot among them) from the browser tests that take them.
# The tests write screenshots only where CILIUMDASH_SCREENSHOT_DIR says (else into their own output folder), so they
# run against a temporary folder and every image already kept in docs/images is copied from there.
# Usage: docs/images/refresh.sh   (needs the .NET SDK and /usr/bin/chromium, as ./test.sh does)
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
shots=$(mktemp -d)
trap 'rm -rf "$shots"' EXIT

dotnet build "$root/tests/CiliumDash.EndToEnd" -c Release -nologo
CILIUMDASH_SCREENSHOT_DIR="$shots" dotnet test "$root/tests/CiliumDash.EndToEnd" -c Release --no-build -nologo \
  --filter "FullyQualifiedName~CiliumDash.EndToEnd.Pages.OverviewPageTests|FullyQualifiedName~CiliumDash.EndToEnd.Pages.ConnectivityPageTests|FullyQualifiedName~CiliumDash.EndToEnd.Pages.ConnectivityScaleTests"

for image in "$root"/docs/images/*.png; do
  name=$(basename "$image")
  if [ -f "$shots/$name" ]; then
    cp "$shots/$name" "$image"
    echo "refreshed docs/images/$name"
  else
    echo "docs/images/$name: no browser test took it; left as it was" >&2
  fi
done
