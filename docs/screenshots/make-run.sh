#!/usr/bin/env bash
# Redoes docs/screenshots/make-run.png: `make run` on a clean clone of this repository under a
# virtual display, a screenshot once the demo volunteer is signed in, then the window closed
# with Ctrl+Q and the demo hub checked to be gone.
#   docs/screenshots/make-run.sh [OUT.png]
# Needs (Debian): xvfb xauth xdotool x11-apps netpbm git make.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
out=$(realpath -m "${1:-$repo/docs/screenshots/make-run.png}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone -q "$repo" "$work/clone"
cd "$work/clone"
export OUT="$out"
xvfb-run -a -s '-screen 0 1280x800x24' bash -euo pipefail -c '
    make run > make-run.log 2>&1 &
    make_pid=$!
    settings=.demo/config/settings.json
    for _ in $(seq 1 1200); do  # up to 10 minutes: the first run creates .venv
        grep -q "volunteer@example.org" "$settings" 2>/dev/null && break
        kill -0 $make_pid 2>/dev/null || { cat make-run.log; exit 1; }
        sleep 0.5
    done
    grep -q "volunteer@example.org" "$settings" || { echo "never signed in"; exit 1; }
    sleep 3  # signed in: let the campaign and the list arrive and paint
    window=""
    for id in $(xdotool search --name Phonebank); do  # the mapped main window
        xwininfo -id "$id" | grep -q IsViewable && window=$id
    done
    [ -n "$window" ] || { echo "no Phonebank window on the screen"; xwininfo -root -tree; exit 1; }
    xwd -root -silent | xwdtopnm 2>/dev/null | pnmtopng > "$OUT"
    echo "screenshot: $OUT"
    hub=$(python3 -c "import json; print(json.load(open(\"$settings\"))[\"hub_url\"])")
    xdotool windowfocus --sync "$window" key ctrl+q
    wait $make_pid && echo "make run: ended with exit code 0"
    if python3 -c "import urllib.request as u; u.urlopen(\"$hub/openapi.json\", timeout=2)" 2>/dev/null
    then echo "the demo hub at $hub is still answering"; exit 1
    else echo "the demo hub at $hub stopped with the window"; fi
'
