#!/bin/sh
# run.sh SECONDS [PACKAGE...]
#
# Runs every native Go fuzz target of the module (or of the given
# packages, e.g. ./fuzz) for SECONDS seconds each, one after the other,
# with one worker (-parallel=1) to spare small machines. A failing target
# does not stop the others; the script exits non-zero if any target
# failed. A crasher is written by go test to the package's
# testdata/fuzz/FuzzX/ directory: keep it there as a regression case.
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
		# shellcheck disable=SC2086
		$GO test "$pkg" -run '^$' -fuzz "^$t\$" -fuzztime "${secs}s" -parallel 1 ${FUZZ_RUN_ARGS:-} >"$log" 2>&1
		status=$?
		end=$(date +%s)
		grep -v '^fuzz: elapsed: ' "$log"
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
