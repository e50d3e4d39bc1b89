#!/usr/bin/env bash
# Runs the real review window under Xvfb on a report and saves a PNG of the screen.
#   scripts/screenshot.sh [REPORT] [OUT.png] [WIDTHxHEIGHT]
# Defaults: the first seed report, target/screenshot.png, 1366x768 (the common office
# laptop; 1920x1080 is the other size that matters); REPORT "--sample" starts the window
# without arguments (the bundled sample report). Installs Xvfb, xauth, ImageMagick and
# xdotool with apt-get when they are missing.
# Environment:
#   NIANBAO_BIN          use this binary instead of building the release one
#   NIANBAO_SHOT_WAIT    seconds to wait for the window before clicking / capturing (default 4)
#   NIANBAO_SHOT_CLICKS  clicks before the capture, "x,y x,y …"; "dx,y" double-clicks,
#                        "k:KEY" presses a key (xdotool key names, e.g. k:F8)
#   NIANBAO_SHOT_SIZE    screen size when no third argument is given (default 1366x768)
#   NIANBAO_SHOT_MORE    more reports opened with REPORT, separated by spaces (e.g. other
#                        years of its body for 历年对照); paths with spaces are not supported
# Example, seed 001 with its error (the second open finding) selected by F8 twice:
#   NIANBAO_SHOT_CLICKS="k:F8 k:F8" scripts/screenshot.sh tests/fixtures/seeds/001_02434a0845e90c92.txt \
#     docs/screenshot-1366.png 1366x768
set -euo pipefail
cd "$(dirname "$0")/.."

report=${1:-tests/fixtures/seeds/000_073f686d539d8498.txt}
out=${2:-target/screenshot.png}
size=${3:-${NIANBAO_SHOT_SIZE:-1366x768}}
case $size in
  [0-9]*x[0-9]*) ;;
  *) echo "size must be WIDTHxHEIGHT, e.g. 1366x768: $size" >&2; exit 2 ;;
esac

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
read -r -a more <<< "${NIANBAO_SHOT_MORE:-}"
args+=("${more[@]}")
DISPLAY=$display HOME=$home XDG_DATA_HOME=$home/.local/share "$bin" "${args[@]}" &
app=$!
sleep "${NIANBAO_SHOT_WAIT:-4}"
# Without a window manager there is nobody to maximise the window; fit it to the screen, and
# give it the keyboard so that key presses reach it.
for win in $(DISPLAY=$display xdotool search --class nianbao 2>/dev/null); do
  DISPLAY=$display xdotool windowmove "$win" 0 0 windowsize "$win" "${size%x*}" "${size#*x}" || true
  DISPLAY=$display xdotool windowfocus "$win" 2>/dev/null || true
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

# Park the pointer at the empty right end of the menu bar, where no widget shows a tooltip.
DISPLAY=$display xdotool mousemove "$(( ${size%x*} - 5 ))" 5
sleep 0.7
DISPLAY=$display import -window root "$out"
echo "$out"
