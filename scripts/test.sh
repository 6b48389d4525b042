#!/usr/bin/env bash
# scripts/test.sh - run every winsvc test, from a fresh Debian machine.
#
#   bash scripts/test.sh
#
# Steps: go mod download, install the tools the tests use (graphviz: the
# DOT of winsvc graph is checked by Graphviz's dot), gofmt check, the
# scripts' own tests (scripts/scripts-test.sh), go vet (linux and windows),
# the linters (scripts/lint.sh: staticcheck for linux and windows, actionlint
# over .github/workflows; pinned, built from the Go module proxy), native go test, every fuzz target for a few seconds (native; a crash
# leaves its input in the package's testdata/fuzz/<target>/, to commit with
# the fix as a regression test), then Wine: install, set up a throw-away prefix, build testsvc.exe and
# winsvc.exe (cmd/winsvc's end-to-end tests run that winsvc.exe, named by
# WINSVC_EXE), and run the Windows test binaries under Wine's service control
# manager, then the Ansible collection end to end (ansible/test/e2e.sh, which
# installs ansible-core when missing), then README.md's examples as written
# (scripts/readme-examples.sh, through scripts/winsvc). Every step runs even if an earlier one failed (except the Wine
# tests, which need the setup); the exit status is non-zero if any step failed.
#
# Environment:
#   WINSVC_VERBOSE=1     pass -v to the Wine go test run
#   WINSVC_TESTFLAGS     extra flags for both go test runs (e.g. "-run TestX")
#   WINSVC_WINE_PKGS     packages for the Wine run (default ./...)
#   WINSVC_WINE_P        go test -p for the Wine run (default 1: Wine serializes
#                        StartService across the SCM, so test binaries that run
#                        in parallel would make each other's starts fail with 1055)
#   WINSVC_FUZZTIME      how long each fuzz target runs (default 3s; 0 skips the step)
#   WINSVC_BENCH_CI      1 (default): run scripts/bench.sh once with a tiny N (10
#                        services, every benchmark once) in the test prefix, so
#                        the benchmarks keep working; 0 skips the step
#   WINSVC_KEEP=1        keep the prefix and wineserver after the run (debugging)
#   WINSVC_PREFIX, WINSVC_BUILD: see scripts/wine-env.sh
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
. scripts/go-env.sh
. scripts/wine-env.sh

T0=$SECONDS
FAILED=()
PASSED=()

step() {
	local name=$1 t=$SECONDS rc
	shift
	echo "=== $name"
	"$@"
	rc=$?
	if [ $rc -eq 0 ]; then
		PASSED+=("$name")
		echo "=== $name: ok ($((SECONDS - t))s)"
	else
		FAILED+=("$name")
		echo "=== $name: FAILED (exit $rc, $((SECONDS - t))s)"
	fi
	return $rc
}

gofmt_check() {
	local out
	out="$(gofmt -l .)" || return 1
	if [ -n "$out" ]; then
		echo "gofmt needed:"
		echo "$out"
		return 1
	fi
}

# build_exe PKG NAME VAR builds package PKG as $WINSVC_BUILD/NAME.exe and
# exports its Windows path in VAR.
build_exe() {
	local path
	mkdir -p "$WINSVC_BUILD" || return 1
	GOOS=windows GOARCH=amd64 go build -o "$WINSVC_BUILD/$2.exe" "$1" || return 1
	path="$("$WINSVC_WINE" winepath -w "$WINSVC_BUILD/$2.exe" 2>/dev/null | tr -d '\r')"
	[ -n "$path" ] || { echo "winepath failed"; return 1; }
	export "$3=$path"
	echo "$3=$path"
}

# build_testsvc builds the test services: testsvc (WINSVC_TESTSVC) and the
# program host's test bed, testhost (WINSVC_TESTHOST, host's tests).
build_testsvc() {
	build_exe ./internal/testsvc testsvc WINSVC_TESTSVC || return 1
	build_exe ./internal/testhost testhost WINSVC_TESTHOST || return 1
	# Proves that Go programs start under this prefix (bcryptprimitives shim).
	"$WINSVC_WINE" "$WINSVC_BUILD/testsvc.exe" -probe </dev/null
}

# build_winsvc builds the command the end-to-end tests run, and exports its
# Windows path as WINSVC_EXE (cmd/winsvc/e2e_windows_test.go).
build_winsvc() { build_exe ./cmd/winsvc winsvc WINSVC_EXE; }

wine_tests() {
	local flags=(-count=1 -p "${WINSVC_WINE_P:-1}")
	[ "${WINSVC_VERBOSE:-0}" != 0 ] && flags+=(-v)
	# shellcheck disable=SC2086
	GOOS=windows GOARCH=amd64 go test -exec "$PWD/scripts/wine-exec.sh" "${flags[@]}" \
		${WINSVC_TESTFLAGS:-} ${WINSVC_WINE_PKGS:-./...}
}

# fuzz_all runs every fuzz target of every package for $WINSVC_FUZZTIME.
# go test -fuzz takes one target per run, so the targets are listed with
# go test -list and run one after the other.
fuzz_all() {
	local pkg list target rc=0
	for pkg in $(go list ./...); do
		list="$(go test -list '^Fuzz' "$pkg")" || { echo "$list"; rc=1; continue; }
		for target in $(grep '^Fuzz' <<<"$list"); do
			echo "--- $target ($pkg)"
			fuzz_one "$pkg" "$target" || rc=1
		done
	done
	return $rc
}

# bench_tiny runs every scale benchmark once among 10 idle services, in the
# prefix set up above (scripts/bench.sh with WINSVC_BENCH_SETUP=0).
bench_tiny() {
	WINSVC_BENCH_SETUP=0 WINSVC_BENCH_N=10 WINSVC_BENCH_PROC_N=10 WINSVC_BENCH_PROFILE_N=10 \
		WINSVC_BENCH_COUNT=1 WINSVC_BENCH_LIST_COUNT=1 WINSVC_BENCH_SLOW=1x WINSVC_BENCH_FAST=1x WINSVC_BENCH_SCALE=1x \
		WINSVC_BENCH_RUNS=1 WINSVC_BENCH_NATIVE=1x WINSVC_BENCH_APPLY=1x WINSVC_BENCH_HOST=1x WINSVC_BENCH_OUT="${WINSVC_BENCH_OUT:-build/bench/ci}" \
		bash scripts/bench.sh >/dev/null
}

# fuzz_one PKG TARGET runs one fuzz target. A run that fails with only
# "context deadline exceeded", writing no failing input, hit the race of
# Go 1.26's fuzzing coordinator at the end of -fuzztime (go.dev/issue/75804,
# fixed in Go 1.27), not a finding: it runs once more.
fuzz_one() {
	local out try
	for try in 1 2; do
		out="$(go test -run '^$' -fuzz "^$2\$" -fuzztime "${WINSVC_FUZZTIME:-3s}" "$1" 2>&1)" && { echo "$out"; return 0; }
		echo "$out"
		if grep -q 'Failing input written to' <<<"$out" || ! grep -q 'context deadline exceeded' <<<"$out"; then
			return 1
		fi
		[ "$try" = 1 ] && echo "($2: Go's fuzzing deadline race, go.dev/issue/75804; no input failed; running it once more)"
	done
	return 1
}

WINE_STARTED=0
cleanup() {
	[ "$WINE_STARTED" = 1 ] || return 0
	WINE_STARTED=0
	if [ "${WINSVC_KEEP:-0}" != 0 ]; then
		echo "WINSVC_KEEP set: leaving $WINSVC_PREFIX and its wineserver running (scripts/wine-teardown.sh removes them)"
	else
		step "wine teardown" wine_teardown
	fi
}

summary() {
	local total=$((SECONDS - T0))
	if [ ${#FAILED[@]} -eq 0 ]; then
		echo "test.sh: PASS (${#PASSED[@]} steps) in ${total}s"
	else
		echo "test.sh: FAIL (${FAILED[*]}) in ${total}s"
		exit 1
	fi
}

trap 'cleanup' EXIT
trap 'echo "test.sh: interrupted"; exit 130' INT TERM

go_require || { echo "test.sh: Go $(_go_wanted) or later is needed (see above)"; exit 1; }
go version

step "go mod download" go mod download
step "tools install" tools_install
step "gofmt" gofmt_check
step "scripts (native)" bash scripts/scripts-test.sh
step "go vet (linux)" go vet ./...
step "go vet (windows)" env GOOS=windows GOARCH=amd64 go vet ./...
step "staticcheck (linux, windows)" bash scripts/lint.sh staticcheck
step "actionlint" bash scripts/lint.sh actionlint
# shellcheck disable=SC2086
step "go test (linux)" go test -count=1 ${WINSVC_TESTFLAGS:-} ./...
[ "${WINSVC_FUZZTIME:-3s}" != 0 ] && step "fuzz (linux)" fuzz_all

if step "wine install" wine_install &&
	WINE_STARTED=1 && step "wine setup" wine_setup &&
	step "build testsvc" build_testsvc &&
	step "build winsvc" build_winsvc; then
	step "go test (windows, under wine)" wine_tests
	step "ansible e2e (under wine)" bash ansible/test/e2e.sh
	step "README examples (under wine)" bash scripts/readme-examples.sh
	[ "${WINSVC_BENCH_CI:-1}" != 0 ] && step "benchmarks (tiny N, under wine)" bench_tiny
else
	FAILED+=("go test (windows, under wine): not run" "ansible e2e: not run" "README examples: not run")
fi

trap - EXIT
cleanup
summary
