# What the test suite needs from the machine beyond the JDK, for bin/test. Sourced, never run.
#
# The tools (command, then Debian package): the tests that use one skip without it on a developer's
# machine and fail under CI=true, naming it (io.selectors4j.testkit.Needs).
s4j_test_tools=(
    "tmux tmux"         # ChatClientTerminalTest: the chat client's terminal UI, read back from a tmux pane
    "rdate rdate"       # TimeProgramsTest: an RFC 868 client that is not ours
    "python3 python3"   # EchoProgramsTest: Python's own client against our echo server
    "openssl openssl"   # the TLS tests: s_client and s_server as peers that are not ours
    "kill procps"       # the reliability tests: signals sent to a server
)
# Descriptors the largest tests need (the soak's 10,000 connections on each side, with room).
s4j_test_open_files=65536

# Whether command $1 is installed, on PATH or in the system folders (rdate lives in /usr/sbin).
s4j_has_tool() {
    PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin" command -v "$1" >/dev/null 2>&1
}

# Installs the missing tools with apt-get when running as root on a Debian-like system; says which
# tools are missing otherwise, and returns 0 either way: the tests themselves fail naming the tool.
s4j_install_test_tools() {
    local entry command package missing=()
    for entry in "${s4j_test_tools[@]}"; do
        read -r command package <<<"$entry"
        s4j_has_tool "$command" || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "bin/test: installing ${missing[*]}" >&2
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null &&
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
            echo "bin/test: apt-get could not install ${missing[*]}; the tests that need them will fail" >&2
    else
        echo "bin/test: missing ${missing[*]} (not root, or no apt-get); the tests that need them will fail" >&2
    fi
}

# Raises the open-files limit so that no test skips for want of descriptors: the hard limit to
# $s4j_test_open_files when it is lower and this process may (root), then the soft limit to the hard.
s4j_raise_open_files() {
    local hard
    hard=$(ulimit -Hn)
    if [ "$hard" != unlimited ] && [ "$hard" -lt "$s4j_test_open_files" ]; then
        ulimit -Hn "$s4j_test_open_files" 2>/dev/null || true
    fi
    ulimit -Sn "$(ulimit -Hn)" 2>/dev/null || true
}
