# Finding a JDK 25 or newer, for the launchers in bin/. Sourced, never run; bash and coreutils only.
#
# s4j_find_jdk NAME picks JAVA_HOME when its bin/java is 25 or newer, else the newest such JDK in the
# folders under ${S4J_JVM_ROOT:-/usr/lib/jvm}, and exports it as JAVA_HOME. With none it prints one
# line to stderr, starting with NAME, saying what is missing, and returns 1.

s4j_min_java=25

# Prints the full version of the JDK in folder $1 (25.0.1, 17.0.12, 1.8.0_392); fails when it has
# no bin/java or no version can be read. The release file is read first: it costs no JVM start.
s4j_jdk_version() {
    local dir=$1 line
    [ -x "$dir/bin/java" ] || return 1
    if [ -r "$dir/release" ]; then
        while IFS= read -r line; do
            if [[ $line =~ ^JAVA_VERSION=\"?([^\"]+) ]]; then
                echo "${BASH_REMATCH[1]}"
                return 0
            fi
        done <"$dir/release"
    fi
    line=$("$dir/bin/java" -version 2>&1) || return 1
    [[ $line =~ version\ \"([^\"]+)\" ]] || return 1
    echo "${BASH_REMATCH[1]}"
}

# Prints the feature release of version $1: 25 for 25.0.1 or 25-ea, 8 for 1.8.0_392.
s4j_major() {
    local version=$1
    [[ $version == 1.* ]] && version=${version#1.}
    version=${version%%[!0-9]*}
    echo "${version:-0}"
}

s4j_find_jdk() {
    local name=$1 root=${S4J_JVM_ROOT:-/usr/lib/jvm} version dir best found why
    if [ -n "${JAVA_HOME:-}" ]; then
        if version=$(s4j_jdk_version "$JAVA_HOME"); then
            if (( $(s4j_major "$version") >= s4j_min_java )); then
                export JAVA_HOME
                return 0
            fi
            why="JAVA_HOME ($JAVA_HOME) is $version"
        else
            why="JAVA_HOME ($JAVA_HOME) has no bin/java"
        fi
    else
        why="JAVA_HOME is not set"
    fi
    found=""
    for dir in "$root"/*/; do
        dir=${dir%/}
        version=$(s4j_jdk_version "$dir") || continue
        (( $(s4j_major "$version") >= s4j_min_java )) || continue
        found+="$(s4j_major "$version")"$'\t'"$version"$'\t'"$dir"$'\n'
    done
    if [ -n "$found" ]; then
        best=$(printf '%s' "$found" | sort -t $'\t' -k1,1n -k2,2V | tail -n 1)
        export JAVA_HOME=${best#*$'\t'*$'\t'}
        return 0
    fi
    echo "$name: needs a JDK $s4j_min_java or newer; $why and none was found under $root" >&2
    return 1
}
