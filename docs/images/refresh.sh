#!/bin/sh
# Refreshes the images in docs/images (the README's screenshots and gallery) from the browser tests that take them.
# The tests write screenshots only where CILIUMDASH_SCREENSHOT_DIR says (else into their own output folder), so they
# run against a temporary folder and the kept images are copied from there: every image already in docs/images, and
# the gallery (gallery-<page>-<light|dark>.png, from the every-page accessibility test at 1440 px).
# Usage: docs/images/refresh.sh   (needs the .NET SDK and /usr/bin/chromium, as ./test.sh does)
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
shots=$(mktemp -d)
trap 'rm -rf "$shots"' EXIT

dotnet build "$root/tests/CiliumDash.EndToEnd" -c Release -nologo
# The every-page test fails on an accessibility violation but still takes its screenshots: keep going.
CILIUMDASH_SCREENSHOT_DIR="$shots" dotnet test "$root/tests/CiliumDash.EndToEnd" -c Release --no-build -nologo \
  --filter "FullyQualifiedName~CiliumDash.EndToEnd.Pages.OverviewPageTests|FullyQualifiedName~CiliumDash.EndToEnd.Pages.ConnectivityPageTests|FullyQualifiedName~CiliumDash.EndToEnd.Pages.ConnectivityScaleTests|FullyQualifiedName~CiliumDash.EndToEnd.Accessibility.EveryPageTests" || true

for page in overview nodes connectivity flows flows-summary diagnostics embed; do
  for scheme in light dark; do
    if [ -f "$shots/page-$page-$scheme-1440.png" ]; then
      cp "$shots/page-$page-$scheme-1440.png" "$root/docs/images/gallery-$page-$scheme.png"
      echo "refreshed docs/images/gallery-$page-$scheme.png"
    fi
  done
done
if [ -f "$shots/page-flows-light-390.png" ]; then
  cp "$shots/page-flows-light-390.png" "$root/docs/images/gallery-flows-phone.png"
  echo "refreshed docs/images/gallery-flows-phone.png"
fi

for image in "$root"/docs/images/*.png; do
  name=$(basename "$image")
  case "$name" in gallery-*) continue ;; esac
  if [ -f "$shots/$name" ]; then
    cp "$shots/$name" "$image"
    echo "refreshed docs/images/$name"
  else
    echo "docs/images/$name: no browser test took it; left as it was" >&2
  fi
done
