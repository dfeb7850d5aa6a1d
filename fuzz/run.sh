#!/bin/sh
# run.sh SECONDS [PACKAGE...]
#
# Runs every native Go fuzz target of the module (or of the given
# packages, e.g. ./fuzz) for SECONDS seconds each, one after the other,
# with one worker (-parallel=1) to spare small machines. A failing target
# does not stop the others; the script exits non-zero if any target
# failed. A crasher is written by go test to the package's
# testdata/fuzz/FuzzX/ directory: keep it there as a regression case.
# A target that fails only with the go command's fuzztime deadline race
# (see runone) is run again, up to five runs in all; any other failure,
# or the race five times in a row, fails it.
#
# Environment: GO (default go), FUZZ_RUN_ARGS (extra go test flags).
set -u

if [ $# -lt 1 ] || ! [ "$1" -gt 0 ] 2>/dev/null; then
	echo "usage: $0 SECONDS [PACKAGE...]" >&2
	exit 2
fi
secs=$1
shift
GO=${GO:-go}
cd "$(dirname "$0")/.." || exit 2

if [ $# -gt 0 ]; then
	pkgs="$*"
else
	# Packages whose tests define fuzz targets.
	pkgs=$(grep -rl --include='*_test.go' '^func Fuzz[A-Za-z0-9_]*(f \*testing\.F)' . |
		xargs -n1 dirname | sort -u | sed 's|^\./||; s|^|./|')
fi

log=$(mktemp) || exit 2
trap 'rm -f "$log"' EXIT

# corpus PKG TARGET lists the files of the target's corpus directory, where
# go test writes a failing input.
corpus() {
	ls -1 "$1/testdata/fuzz/$2" 2>/dev/null
}

# runone PKG TARGET runs one target once, prints its output (without the
# progress lines) and returns its status: 0 passed, 1 failed, 3 failed with
# nothing but the go command's own "context deadline exceeded" and no
# failing input written.
#
# The last case is a race in the go command's fuzzing coordinator
# (golang/go#75804, fixed in Go 1.27): when -fuzztime ends while a busy
# machine has a worker mid-call, the deadline escapes as a target failure.
# It says nothing about the code under test; runs that wrote a failing
# input, panicked or printed anything else still fail.
runone() {
	before=$(corpus "$1" "$2")
	# shellcheck disable=SC2086
	$GO test "$1" -run '^$' -fuzz "^$2\$" -fuzztime "${secs}s" -parallel 1 ${FUZZ_RUN_ARGS:-} >"$log" 2>&1
	st=$?
	grep -v '^fuzz: elapsed: ' "$log"
	[ $st -eq 0 ] && return 0
	after=$(corpus "$1" "$2")
	if [ "$before" = "$after" ] &&
		grep -Eq '^[[:space:]]+context deadline exceeded$' "$log" &&
		! grep -Eq 'Failing input written|panic:|^[[:space:]]+[^[:space:]].*_test\.go:[0-9]+:' "$log"; then
		return 3
	fi
	return 1
}

failed=""
for pkg in $pkgs; do
	targets=$($GO test -list '^Fuzz' "$pkg" | grep '^Fuzz') || {
		echo "run.sh: cannot list the fuzz targets of $pkg" >&2
		failed="$failed $pkg"
		continue
	}
	for t in $targets; do
		echo "=== $pkg $t (${secs}s)"
		start=$(date +%s)
		runone "$pkg" "$t"
		status=$?
		tries=1
		while [ $status -eq 3 ] && [ $tries -lt 5 ]; do
			echo "--- again $pkg $t: the go command's fuzztime deadline race (golang/go#75804), no failing input written; running it again"
			runone "$pkg" "$t"
			status=$?
			tries=$((tries + 1))
		done
		end=$(date +%s)
		if [ $status -ne 0 ]; then
			failed="$failed $pkg.$t"
			echo "--- FAIL $pkg $t after $((end - start))s"
		else
			echo "--- ok   $pkg $t $((end - start))s"
		fi
	done
done
if [ -n "$failed" ]; then
	echo "run.sh: failed:$failed" >&2
	exit 1
fi
