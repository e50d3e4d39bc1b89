#!/usr/bin/env bash
# Runs the real review window under Xvfb on a report and saves a PNG of the screen.
#   scripts/screenshot.sh [REPORT] [OUT.png]
# Defaults: the first seed report, target/screenshot.png; REPORT "--sample" starts the window
# without arguments (the bundled sample report). Installs Xvfb, xauth, ImageMagick and
# xdotool with apt-get when they are missing.
# Environment:
#   NIANBAO_BIN          use this binary instead of building the release one
#   NIANBAO_SHOT_WAIT    seconds to wait for the window before clicking / capturing (default 4)
#   NIANBAO_SHOT_CLICKS  clicks before the capture, "x,y x,y …"; "dx,y" double-clicks,
#                        "k:KEY" presses a key (xdotool key names, e.g. k:F8)
#   NIANBAO_SHOT_SIZE    screen size (default 1280x800)
set -euo pipefail
cd "$(dirname "$0")/.."

report=${1:-tests/fixtures/seeds/000_073f686d539d8498.txt}
out=${2:-target/screenshot.png}
size=${NIANBAO_SHOT_SIZE:-1280x800}

need=()
command -v Xvfb >/dev/null || need+=(xvfb)
command -v xauth >/dev/null || need+=(xauth)
command -v import >/dev/null || need+=(imagemagick)
command -v xdotool >/dev/null || need+=(xdotool)
if ((${#need[@]})); then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

bin=${NIANBAO_BIN:-}
if [ -z "$bin" ]; then
  cargo build --release --bin nianbao
  bin="${CARGO_TARGET_DIR:-target}/release/nianbao"
fi

mkdir -p "$(dirname "$out")"
display=":$((90 + RANDOM % 9))"
home=$(mktemp -d)
Xvfb "$display" -screen 0 "${size}x24" -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
app=
cleanup() {
  [ -n "$app" ] && kill "$app" 2>/dev/null || true
  kill "$xvfb" 2>/dev/null || true
  rm -rf "$home"
}
trap cleanup EXIT
sleep 1

# A fresh HOME so settings remembered from earlier runs do not change the picture.
args=("$report")
[ "$report" = "--sample" ] && args=()
DISPLAY=$display HOME=$home XDG_DATA_HOME=$home/.local/share "$bin" "${args[@]}" &
app=$!
sleep "${NIANBAO_SHOT_WAIT:-4}"
# Without a window manager the window keeps its default size; fit it to the screen.
for win in $(DISPLAY=$display xdotool search --class nianbao 2>/dev/null); do
  DISPLAY=$display xdotool windowmove "$win" 0 0 windowsize "$win" "${size%x*}" "${size#*x}" || true
done
sleep 1

for click in ${NIANBAO_SHOT_CLICKS:-}; do
  case $click in
    k:*) DISPLAY=$display xdotool key "${click#k:}" ;;
    d*) xy=${click#d}; DISPLAY=$display xdotool mousemove "${xy%,*}" "${xy#*,}" click --repeat 2 1 ;;
    *) DISPLAY=$display xdotool mousemove "${click%,*}" "${click#*,}" click 1 ;;
  esac
  sleep 0.7
done

# Park the pointer in the status bar so no tooltip covers the picture.
DISPLAY=$display xdotool mousemove 5 "$(( ${size#*x} - 3 ))"
sleep 0.7
DISPLAY=$display import -window root "$out"
echo "$out"
