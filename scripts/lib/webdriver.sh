# shellcheck shell=bash
# A headless Chromium session driven through chromedriver with curl on 127.0.0.1, for the scripts
# that look at the HTML report (scripts/bench-html, scripts/screenshot-report). Source it, then:
#   wd_start WORKDIR [WxH]   start chromedriver on a free loopback port and open a session
#                            (sets WD_PORT, WD_SESSION, WD_PID; logs in WORKDIR)
#   wd METHOD PATH [JSON]    one WebDriver command; prints the answer's `value`, fails on an error
#   wd_stop                  end the session and chromedriver (call it from an EXIT trap)
# Needs curl, jq and python3 (for the free port); VPCWARDEN_CHROMIUM / VPCWARDEN_CHROMEDRIVER
# override /usr/bin/chromium and /usr/bin/chromedriver.

WD_PORT=""
WD_SESSION=""
WD_PID=""

wd() {
    local answer body=()
    [[ $# -lt 3 ]] || body=(--data-binary "$3")
    answer="$(curl -sS --max-time 600 -X "$1" -H 'Content-Type: application/json' \
        "${body[@]}" "http://127.0.0.1:$WD_PORT$2")" || { echo "webdriver: $1 $2 failed" >&2; return 1; }
    if jq -e '.value | type == "object" and has("error")' <<<"$answer" >/dev/null; then
        echo "webdriver: $1 $2: $(jq -c '.value | {error, message}' <<<"$answer")" >&2
        return 1
    fi
    jq -c '.value' <<<"$answer"
}

wd_start() {
    local work="$1" size="${2:-1400,1000}" i caps
    local chromium="${VPCWARDEN_CHROMIUM:-/usr/bin/chromium}"
    local chromedriver="${VPCWARDEN_CHROMEDRIVER:-/usr/bin/chromedriver}"
    command -v curl >/dev/null || { echo "webdriver: needs curl" >&2; return 1; }
    command -v jq >/dev/null || { echo "webdriver: needs jq" >&2; return 1; }
    # chromedriver listens on loopback only unless told otherwise.
    WD_PORT="$(python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
    "$chromedriver" --port="$WD_PORT" --log-path="$work/chromedriver.log" >/dev/null 2>&1 &
    WD_PID=$!
    for ((i = 0; i < 200; i++)); do
        if curl -sS --max-time 2 "http://127.0.0.1:$WD_PORT/status" 2>/dev/null | jq -e '.value.ready == true' >/dev/null 2>&1; then
            break
        fi
        kill -0 "$WD_PID" 2>/dev/null || { echo "webdriver: chromedriver exited" >&2; return 1; }
        sleep 0.1
    done
    caps="$(jq -nc --arg bin "$chromium" --arg profile "$work/profile" --arg size "$size" '{capabilities: {alwaysMatch: {
        browserName: "chrome", pageLoadStrategy: "normal", timeouts: {pageLoad: 600000, script: 600000},
        "goog:chromeOptions": {binary: $bin, args: ["--headless=new", "--no-sandbox", "--disable-gpu",
            "--disable-dev-shm-usage", ("--user-data-dir=" + $profile), ("--window-size=" + $size),
            "--force-device-scale-factor=1", "--hide-scrollbars",
            "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-extensions"]}}}}')"
    WD_SESSION="$(wd POST /session "$caps" | jq -r '.sessionId')"
}

wd_stop() {
    if [[ -n "$WD_SESSION" ]]; then
        curl -sS --max-time 30 -X DELETE "http://127.0.0.1:$WD_PORT/session/$WD_SESSION" >/dev/null 2>&1 || true
        WD_SESSION=""
    fi
    if [[ -n "$WD_PID" ]]; then
        kill "$WD_PID" 2>/dev/null || true
        wait "$WD_PID" 2>/dev/null || true
        WD_PID=""
    fi
}
