# shellcheck shell=bash
# Shared by scripts/test and scripts/bench (sourced, not executed). Needs REPO set to the repo root.
# Provides: ensure_venv, start_moto NAME [SERVER_CMD...], moto_env_exports, stop_all_motos.
# Everything listens on and talks to 127.0.0.1 only.

VENV="$REPO/.venv"
REQS="$REPO/mocks/requirements.txt"
STAMP="$VENV/.vpcwarden-requirements.sha256"
MOTO_PIDS=()

ensure_venv() {
    local want have=""
    want="$(sha256sum "$REQS" | cut -d' ' -f1)"
    if [[ -x "$VENV/bin/python" ]] && ! "$VENV/bin/python" -c 'import sys' 2>/dev/null; then
        echo "moto-env: $VENV is broken (python moved?), recreating" >&2
        rm -rf "$VENV"
    fi
    if [[ ! -x "$VENV/bin/python" ]]; then
        echo "moto-env: creating $VENV" >&2
        if ! python3 -m venv "$VENV"; then
            echo "moto-env: 'python3 -m venv' failed; on Debian/Ubuntu: apt-get install python3-venv" >&2
            rm -rf "$VENV"
            return 1
        fi
    fi
    [[ -f "$STAMP" ]] && have="$(cat "$STAMP")"
    if [[ "$have" != "$want" ]]; then
        echo "moto-env: installing mocks/requirements.txt into .venv (quiet)" >&2
        rm -f "$STAMP"
        PIP_DISABLE_PIP_VERSION_CHECK=1 "$VENV/bin/python" -m pip install --quiet --no-input -r "$REQS"
        echo "$want" > "$STAMP"
    fi
}

free_port() {
    "$VENV/bin/python" -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Poll http://127.0.0.1:PORT/moto-api/ until it answers; fail early if PID died.
_wait_moto() {
    local port="$1" pid="$2" i
    for ((i = 0; i < 240; i++)); do
        if ! kill -0 "$pid" 2>/dev/null; then
            return 2
        fi
        if "$VENV/bin/python" - "$port" <<'PY' 2>/dev/null; then
import sys, urllib.request
urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/moto-api/", timeout=2).read()
PY
            return 0
        fi
        sleep 0.25
    done
    return 1
}

# start_moto LOGFILE [server command...]; sets MOTO_PORT_OUT and MOTO_URL_OUT, records the PID.
# Default command: .venv/bin/moto_server. Retries on a new port if the chosen one got taken.
start_moto() {
    local log="$1"; shift
    local cmd=("$@") attempt port pid rc
    [[ ${#cmd[@]} -gt 0 ]] || cmd=("$VENV/bin/moto_server")
    mkdir -p "$(dirname "$log")"
    for attempt in 1 2 3; do
        port="$(free_port)"
        MOTO_IAM_LOAD_MANAGED_POLICIES=true MOTO_EC2_LOAD_DEFAULT_AMIS=false \
            "${cmd[@]}" -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
        pid=$!
        MOTO_PIDS+=("$pid")
        rc=0
        _wait_moto "$port" "$pid" || rc=$?
        if [[ $rc -eq 0 ]]; then
            MOTO_PORT_OUT="$port"
            MOTO_URL_OUT="http://127.0.0.1:$port"
            echo "moto-env: moto up on $MOTO_URL_OUT (pid $pid, log $log)" >&2
            return 0
        fi
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
        if [[ $rc -eq 2 ]] && grep -qi "address already in use" "$log"; then
            echo "moto-env: port $port was taken, retrying ($attempt)" >&2
            continue
        fi
        echo "moto-env: moto did not come up on port $port (see $log):" >&2
        tail -n 40 "$log" >&2 || true
        return 1
    done
    echo "moto-env: could not find a free port for moto" >&2
    return 1
}

stop_all_motos() {
    local pid
    for pid in "${MOTO_PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${MOTO_PIDS[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    MOTO_PIDS=()
}

# Environment for anything that talks to moto: fake credentials, no real ~/.aws, no IMDS,
# no proxy for loopback.
moto_env_exports() {
    mkdir -p "$REPO/target/aws-empty"
    : > "$REPO/target/aws-empty/config"
    : > "$REPO/target/aws-empty/credentials"
    unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SESSION_TOKEN AWS_SECURITY_TOKEN AWS_ROLE_ARN \
        AWS_ROLE_SESSION_NAME AWS_WEB_IDENTITY_TOKEN_FILE AWS_CONTAINER_CREDENTIALS_FULL_URI \
        AWS_CONTAINER_CREDENTIALS_RELATIVE_URI AWS_CONTAINER_AUTHORIZATION_TOKEN AWS_ENDPOINT_URL \
        AWS_CA_BUNDLE
    local v
    for v in $(compgen -e | grep '^AWS_ENDPOINT_URL_' || true); do unset "$v"; done
    export AWS_ACCESS_KEY_ID=testing
    export AWS_SECRET_ACCESS_KEY=testing
    export AWS_DEFAULT_REGION=us-east-1
    export AWS_REGION=us-east-1
    export AWS_CONFIG_FILE="$REPO/target/aws-empty/config"
    export AWS_SHARED_CREDENTIALS_FILE="$REPO/target/aws-empty/credentials"
    export AWS_EC2_METADATA_DISABLED=true
    export PYTHONDONTWRITEBYTECODE=1
    export NO_PROXY="127.0.0.1,localhost${NO_PROXY:+,$NO_PROXY}"
    export no_proxy="$NO_PROXY"
}
