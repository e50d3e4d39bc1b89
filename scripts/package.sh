#!/usr/bin/env bash
# Builds the Debian package (also for UOS and Kylin) with cargo-deb: the release binary, the
# desktop entry 年报审校 with its MIME types, the icon in every size, and the bundled font with
# its licence (see [package.metadata.deb] in Cargo.toml). Installs cargo-deb with
# `cargo install --locked cargo-deb` when it is missing (a few minutes, once per machine).
#
#   bash scripts/package.sh          # prints the path of the .deb (target/debian/*.deb)
#   bash scripts/package.sh --test   # then unpacks it with dpkg -x into a scratch root and runs
#                                    # the installed binary's `check` on a seed report
#
# The release build it makes is target/release/nianbao; `.ci/run` hands that to the
# LibreOffice check so that CI builds in release mode only once.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! cargo deb --version >/dev/null 2>&1; then
  echo "== installing cargo-deb (cargo install --locked cargo-deb)" >&2
  started=$(date +%s)
  cargo install --locked --quiet cargo-deb
  echo "== cargo-deb installed in $(( $(date +%s) - started )) s" >&2
fi

# cargo-deb reads dpkg-shlibdeps (dpkg-dev) for the library dependencies of `depends = "$auto"`.
if ! command -v dpkg-shlibdeps >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "== installing dpkg-dev" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends dpkg-dev >/dev/null
fi

deb=$(cargo deb --locked 2>&1 | tee /dev/stderr | tail -n 1)
if [ ! -f "$deb" ]; then
  echo "error: cargo deb did not name a package file (last line: $deb)" >&2
  exit 1
fi
echo "$deb"

[ "${1:-}" = "--test" ] || exit 0

# The package test: unpack into a scratch root as dpkg would install it, then use it.
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
dpkg -x "$deb" "$root"
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok: $1"; }
bad() { failed=$((failed + 1)); echo "FAILED: $1" >&2; }

for f in usr/bin/nianbao usr/share/applications/nianbao.desktop \
  usr/share/icons/hicolor/16x16/apps/nianbao.png usr/share/icons/hicolor/48x48/apps/nianbao.png \
  usr/share/icons/hicolor/256x256/apps/nianbao.png usr/share/icons/hicolor/scalable/apps/nianbao.svg \
  usr/share/nianbao/fonts/NotoSansSC-Regular.otf usr/share/doc/nianbao/NotoSansSC-OFL.txt \
  usr/share/doc/nianbao/copyright; do
  if [ -s "$root/$f" ]; then ok "$f is in the package"; else bad "$f is missing"; fi
done

desktop="$root/usr/share/applications/nianbao.desktop"
if grep -qx 'Name=年报审校' "$desktop" && grep -qx 'Exec=nianbao %F' "$desktop" \
  && grep -q '^MimeType=.*application/pdf;' "$desktop" && grep -qx 'Icon=nianbao' "$desktop"; then
  ok "the desktop entry is named 年报审校, opens files and lists MIME types"
else
  bad "the desktop entry: $(cat "$desktop")"
fi
if command -v desktop-file-validate >/dev/null 2>&1; then
  if desktop-file-validate "$desktop"; then ok "desktop-file-validate"; else bad "desktop-file-validate"; fi
fi

# Captured first: `grep -q` stops reading at its match, and under pipefail the writer's SIGPIPE
# would fail the check at random.
info=$(dpkg-deb --info "$deb" 2>&1 || true)
if grep -q 'Package: nianbao' <<<"$info"; then
  ok "package metadata"
else
  bad "package metadata: $info"
fi

# The installed binary checks a seed report: one JSON object with the agency and 200 cells.
seed=tests/fixtures/seeds/000_073f686d539d8498.txt
status=0
out=$("$root/usr/bin/nianbao" check "$seed") || status=$?
if [ "$status" -le 1 ] && printf '%s\n' "$out" | python3 -c '
import json, sys
lines = sys.stdin.read().splitlines()
assert len(lines) == 1, lines
r = json.loads(lines[0])
assert r["agency"] == "高青县行政审批服务局", r["agency"]
assert r["year"] == 2024, r["year"]
assert len(r["cells"]) == 200, len(r["cells"])
assert isinstance(r["flags"], list)
'; then
  ok "the installed nianbao checks a seed report (exit $status)"
else
  bad "the installed nianbao check (exit $status): ${out:0:300}"
fi
version=$("$root/usr/bin/nianbao" --version 2>&1 || true)
if grep -q '^nianbao ' <<<"$version"; then
  ok "the installed nianbao --version"
else
  bad "the installed nianbao --version"
fi

echo "package: ${passed} passed, ${failed} failed"
[ "$failed" = 0 ]
