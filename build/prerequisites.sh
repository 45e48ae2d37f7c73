# shellcheck shell=bash
# What this repository needs from the machine, in one list, sourced by ./pwgf and .ci/run.
# Each entry: the first command that needs it, the Debian package, and a check that is true when it is there.
#   up     the build and the running service (also needed by everything below)
#   test   the test suite (the dashboard's browser test drives Debian's Chromium)
#   ci     .ci/run's own check of docker-compose.yml
#   bench  `./pwgf bench training` (its PyTorch eager peer)
# The .NET 10 SDK is not a Debian package: install it from Microsoft's feed (see docs/development.md).
PWGF_PREREQUISITES=(
    "up    postgresql             pwgf_have_initdb"
    "up    npm                    command -v npm"
    "up    dataset-fashion-mnist  test -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"
    "up    fonts-dejavu-core      compgen -G /usr/share/fonts/truetype/*/*.ttf"
    "up    ca-certificates        test -s /etc/ssl/certs/ca-certificates.crt"
    "up    curl                   command -v curl"
    "test  chromium               test -x /usr/bin/chromium"
    "test  chromium-driver        command -v chromedriver"
    "ci    docker-compose         command -v docker-compose"
    "bench python3-torch          /usr/bin/python3 -c 'import torch'"
)

# Same search order as the launcher: $PWGF_PG_BIN, /usr/lib/postgresql/*/bin, PATH.
pwgf_have_initdb() {
    if [[ -n ${PWGF_PG_BIN:-} ]]; then [[ -x $PWGF_PG_BIN/initdb ]]; return; fi
    compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || command -v initdb >/dev/null
}

# pwgf_missing_packages LEVEL...: the packages of those levels whose check fails, one per line.
pwgf_missing_packages() {
    local entry level package check wanted
    for entry in "${PWGF_PREREQUISITES[@]}"; do
        read -r level package check <<<"$entry"
        for wanted in "$@"; do
            if [[ $level == "$wanted" ]] && ! eval "$check" >/dev/null 2>&1; then
                printf '%s\n' "$package"
            fi
        done
    done
}

# pwgf_ensure_prerequisites LEVEL...: as root, install what is missing (apt-get update once, then one install);
# otherwise print the one apt-get line that covers it and fail, before anything is built.
pwgf_ensure_prerequisites() {
    command -v dotnet >/dev/null 2>&1 || {
        printf 'pwgf: error: dotnet not found; install the .NET SDK 10 (docs/development.md says how)\n' >&2
        return 1
    }
    local missing
    mapfile -t missing < <(pwgf_missing_packages "$@")
    ((${#missing[@]} == 0)) && return 0
    local line="apt-get install -y --no-install-recommends ${missing[*]}"
    if [[ $(id -u) -ne 0 ]]; then
        printf 'pwgf: error: missing system packages; install them with:\n  sudo apt-get update && sudo %s\n' "$line" >&2
        return 1
    fi
    printf 'pwgf: installing %s\n' "${missing[*]}" >&2
    local log
    log=$(mktemp)
    # Keep apt's chatter out of the way unless something goes wrong.
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1 $line -qq \
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold; } >"$log" 2>&1; then
        cat "$log" >&2
        rm -f "$log"
        printf 'pwgf: error: package installation failed (%s)\n' "$line" >&2
        return 1
    fi
    rm -f "$log"
}
