#!/usr/bin/env bash
# scripts/bench.sh - winsvc at scale: every benchmark of BENCHMARKS.md ("At
# scale"), from a fresh Debian machine, in one run.
#
#   bash scripts/bench.sh
#
# Steps: install Wine (scripts/wine-env.sh), set up a private prefix, build
# the Windows programs (testsvc, winsvc, rawsvc, idlesvc and the two test
# binaries), run the native benchmarks, then for each N in ascending order
# create idle services until the prefix holds N of them (idlesvc, raw
# CreateService from 4 goroutines) and run what is due at that N:
#   - BenchmarkVerb and BenchmarkScale (one test binary for every N), and
#     TestQueryAllAtScale                           at each N of WINSVC_BENCH_N
#   - the whole-process comparisons (benchreport time)  at each N of WINSVC_BENCH_PROC_N
#   - the profile of the CLI (CPU profile, SCM calls)   at WINSVC_BENCH_PROFILE_N
#   - the program host's BenchmarkHost (start against the program started
#     directly, output forwarded against written directly, idle private
#     bytes)                                            before the others
#   - desired state's BenchmarkApply500 (500 services of its own: an apply
#     that changes nothing against the export, one that changes every
#     service)                                          at N = 0, before the others
# then delete the idle services, print the tables (benchreport table) and
# tear the prefix down, also on failure or interrupt.
#
# Results go to $WINSVC_BENCH_OUT (default build/bench/<date>-<time>):
# machine.txt, native.txt, apply.txt, verbs-N.txt, scale-N.txt, process.tsv,
# profile-*.txt, calls-*.txt, writes.txt, inittrace.txt and results.md (the
# tables).
#
# Environment (defaults in brackets):
#   WINSVC_BENCH_N          N for the Go benchmarks ["0 1000 5000"]
#   WINSVC_BENCH_PROC_N     N for the whole-process comparisons ["2000 5000"]
#   WINSVC_BENCH_PROFILE_N  N for the profile ["2000"; "" skips it]
#   WINSVC_BENCH_COUNT      -count of the Go benchmarks [3]
#   WINSVC_BENCH_LIST_COUNT -count of BenchmarkListRead (list --json pooled,
#                           sequential, export; listread-N.txt) [5]
#   WINSVC_BENCH_SLOW       -benchtime of the verbs that start a service process [20x]
#   WINSVC_BENCH_FAST       -benchtime of the other verbs [200x]
#   WINSVC_BENCH_SCALE      -benchtime of BenchmarkScale [10x]
#   WINSVC_BENCH_RUNS       runs of each whole process [11]
#   WINSVC_BENCH_NATIVE     benchtime of the native benchmarks [1s; 0 skips them]
#   WINSVC_BENCH_APPLY      -benchtime of BenchmarkApply500 [2x; 0 skips it]
#   WINSVC_BENCH_HOST       -benchtime of BenchmarkHost [10x; 0 skips it]
#   WINSVC_BENCH_VERBS      the verbs of BenchmarkVerb to run, a regular
#                           expression [start|stop|pause-continue|restart|delete|status|qc|get|config]
#   WINSVC_BENCH_SCALE_OPS  0 skips BenchmarkScale and BenchmarkListRead [1]
#   WINSVC_BENCH_BEFORE     a revision to measure too, in the same run: its
#                           test binaries (built from git archive REV) run
#                           BenchmarkApply500 (before-apply.txt) and the verbs
#                           (before-verbs-N.txt) alternating with the current
#                           ones, one round of each at a time; the tables then
#                           show both [""]
#   WINSVC_BENCH_APPLY_ROUNDS  runs of BenchmarkApply500 (each revision's, when
#                           alternating) [1]
#   WINSVC_BENCH_WORKERS    goroutines creating and deleting idle services [4]
#   WINSVC_BENCH_SETUP      1: install Wine, set up and tear down the prefix;
#                           0: use the prefix already set up (scripts/test.sh) [1]
#   WINSVC_BENCH_OUT        the results directory
#   WINSVC_KEEP=1           keep the prefix after the run
#   WINSVC_PREFIX           the private Wine prefix [/tmp/winsvc-wine-bench]
#
# A tiny run (what scripts/test.sh does in CI):
#   WINSVC_BENCH_N=10 WINSVC_BENCH_PROC_N=10 WINSVC_BENCH_PROFILE_N=10 WINSVC_BENCH_COUNT=1 WINSVC_BENCH_LIST_COUNT=1 \
#   WINSVC_BENCH_SLOW=1x WINSVC_BENCH_FAST=1x WINSVC_BENCH_SCALE=1x WINSVC_BENCH_RUNS=1 \
#   WINSVC_BENCH_NATIVE=1x WINSVC_BENCH_APPLY=1x bash scripts/bench.sh
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
. scripts/go-env.sh
export WINSVC_PREFIX="${WINSVC_PREFIX:-/tmp/winsvc-wine-bench}"
. scripts/wine-env.sh

BENCH_N="${WINSVC_BENCH_N-0 1000 5000}"
PROC_N="${WINSVC_BENCH_PROC_N-2000 5000}"
PROFILE_N="${WINSVC_BENCH_PROFILE_N-2000}"
COUNT="${WINSVC_BENCH_COUNT:-3}"
LIST_COUNT="${WINSVC_BENCH_LIST_COUNT:-5}"
SLOW="${WINSVC_BENCH_SLOW:-20x}"
FAST="${WINSVC_BENCH_FAST:-200x}"
SCALE="${WINSVC_BENCH_SCALE:-10x}"
RUNS="${WINSVC_BENCH_RUNS:-11}"
NATIVE="${WINSVC_BENCH_NATIVE:-1s}"
APPLY="${WINSVC_BENCH_APPLY:-2x}"
HOST="${WINSVC_BENCH_HOST:-10x}"
VERBS="${WINSVC_BENCH_VERBS:-start|stop|pause-continue|restart|delete|status|qc|get|config}"
SCALE_OPS="${WINSVC_BENCH_SCALE_OPS:-1}"
BEFORE="${WINSVC_BENCH_BEFORE:-}"
APPLY_ROUNDS="${WINSVC_BENCH_APPLY_ROUNDS:-1}"
WORKERS="${WINSVC_BENCH_WORKERS:-4}"
SETUP="${WINSVC_BENCH_SETUP:-1}"
OUT="${WINSVC_BENCH_OUT:-build/bench/$(date +%Y%m%d-%H%M%S)}"
T0=$SECONDS

log() { echo "bench.sh: $*" >&2; }
fail() {
	log "FAILED: $*"
	exit 1
}

# run prints a command, then runs it.
run() {
	echo "+ $*" >&2
	"$@"
}

# wexe runs a Windows program of the build directory under Wine.
wexe() {
	local exe=$1
	shift
	run "$WINSVC_WINE" "$WINSVC_BUILD/$exe" "$@"
}

PREFIX_UP=0
cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	if [ "$PREFIX_UP" = 1 ]; then
		# The idle services go even when the prefix stays (WINSVC_KEEP, or
		# scripts/test.sh's prefix).
		"$WINSVC_WINE" "$WINSVC_BUILD/idlesvc.exe" delete -workers "$WORKERS" </dev/null ||
			log "could not delete the idle services"
		if [ "$SETUP" = 1 ] && [ "${WINSVC_KEEP:-0}" = 0 ]; then
			wine_teardown || log "wine_teardown failed"
		elif [ "$SETUP" = 1 ]; then
			log "WINSVC_KEEP set: leaving $WINSVC_PREFIX running (scripts/wine-teardown.sh removes it)"
		fi
	fi
	if [ $rc -eq 0 ]; then
		log "PASS in $((SECONDS - T0))s; results in $OUT"
	else
		log "FAIL (exit $rc) after $((SECONDS - T0))s; partial results in $OUT"
	fi
	exit $rc
}
trap cleanup EXIT
trap 'log interrupted; exit 130' INT TERM

go_require || fail "Go $(_go_wanted) or later is needed (see above)"
mkdir -p "$OUT" || fail "cannot create $OUT"
OUT="$(cd "$OUT" && pwd)"
# A results directory used before (build/bench/ci) starts empty of results.
find "$OUT" -maxdepth 1 -type f \( -name '*.txt' -o -name '*.tsv' -o -name '*.prof' -o -name '*.md' -o -name benchreport \) -delete

# The Ns to visit, ascending, each once.
ALL_N="$(printf '%s\n' $BENCH_N $PROC_N $PROFILE_N | sort -n -u | tr '\n' ' ')"
has() {
	local x
	for x in $2; do [ "$x" = "$1" ] && return 0; done
	return 1
}

if [ "$SETUP" = 1 ]; then
	wine_install || fail "wine_install"
	PREFIX_UP=1
	wine_setup || fail "wine_setup"
else
	_winsvc_sleeper_pid >/dev/null || fail "WINSVC_BENCH_SETUP=0 but $WINSVC_PREFIX is not set up"
	PREFIX_UP=1
fi

log "building into $WINSVC_BUILD"
mkdir -p "$WINSVC_BUILD" || fail "mkdir $WINSVC_BUILD"
winbuild() { GOOS=windows GOARCH=amd64 run go build -o "$WINSVC_BUILD/$2" "$1" || fail "build $1"; }
winbuild ./internal/testsvc testsvc.exe
winbuild ./internal/testhost testhost.exe
winbuild ./cmd/winsvc winsvc.exe
winbuild ./internal/benchraw/rawsvc rawsvc.exe
winbuild ./internal/testbed/idlesvc idlesvc.exe
GOOS=windows GOARCH=amd64 run go test -c -o "$WINSVC_BUILD/winsvc.test.exe" . || fail "build the test binary of ."
GOOS=windows GOARCH=amd64 run go test -c -o "$WINSVC_BUILD/cli.test.exe" ./internal/cli || fail "build the test binary of ./internal/cli"
GOOS=windows GOARCH=amd64 run go test -c -o "$WINSVC_BUILD/desired.test.exe" ./desired || fail "build the test binary of ./desired"
GOOS=windows GOARCH=amd64 run go test -c -o "$WINSVC_BUILD/host.test.exe" ./host || fail "build the test binary of ./host"
run go build -o "$OUT/benchreport" ./internal/benchreport || fail "build benchreport"
if [ -n "$BEFORE" ]; then
	# The revision's own test binaries, from its files alone (no checkout).
	BEFORE_SRC="$(mktemp -d)" || fail "mktemp"
	BEFORE_REV="$(git rev-parse --short "$BEFORE^{commit}")" || fail "WINSVC_BENCH_BEFORE=$BEFORE is no revision"
	git archive "$BEFORE_REV" | tar -x -C "$BEFORE_SRC" || fail "git archive $BEFORE_REV"
	mkdir -p "$WINSVC_BUILD/before" || fail "mkdir $WINSVC_BUILD/before"
	for pkg in . ./desired; do
		exe=winsvc.test.exe
		[ "$pkg" = ./desired ] && exe=desired.test.exe
		(cd "$BEFORE_SRC" && GOOS=windows GOARCH=amd64 run go test -c -o "$WINSVC_BUILD/before/$exe" "$pkg") ||
			fail "build the test binary of $pkg at $BEFORE_REV"
	done
	rm -rf "$BEFORE_SRC"
fi
WINSVC_TESTSVC="$("$WINSVC_WINE" winepath -w "$WINSVC_BUILD/testsvc.exe" 2>/dev/null | tr -d '\r')"
WINSVC_TESTHOST="$("$WINSVC_WINE" winepath -w "$WINSVC_BUILD/testhost.exe" 2>/dev/null | tr -d '\r')"
WINSVC_EXE="$("$WINSVC_WINE" winepath -w "$WINSVC_BUILD/winsvc.exe" 2>/dev/null | tr -d '\r')"
[ -n "$WINSVC_TESTSVC" ] && [ -n "$WINSVC_TESTHOST" ] && [ -n "$WINSVC_EXE" ] || fail "winepath"
export WINSVC_TESTSVC WINSVC_TESTHOST WINSVC_EXE

{
	echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
	echo "commit: $(git rev-parse --short HEAD 2>/dev/null) $(git diff --quiet 2>/dev/null || echo '(with uncommitted changes)')"
	echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
	echo "nproc: $(nproc)"
	echo "memory: $(free -g | awk '/^Mem:/ {print $2 " GiB"}')"
	echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "wine: $("$WINSVC_WINE" --version 2>/dev/null)"
	echo "go: $(go version)"
	echo "N (Go benchmarks): $BENCH_N; N (whole processes): $PROC_N; N (profile): $PROFILE_N"
	echo "count: $COUNT; benchtime: slow $SLOW, fast $FAST, scale $SCALE; process runs: $RUNS"
	[ -z "$BEFORE" ] || echo "before: $BEFORE_REV (measured in the same run, alternating with the current revision)"
} >"$OUT/machine.txt"
cat "$OUT/machine.txt" >&2

if [ "$NATIVE" != 0 ]; then
	log "native benchmarks (formatting, dependency computations)"
	{
		run go test -run '^$' -bench '^BenchmarkDependencyScale$' -benchtime "$NATIVE" -count "$COUNT" . &&
			run go test -run '^$' -bench '^BenchmarkSaveCalls$' -benchtime 100x -count 1 . &&
			run go test -run '^$' -bench '^BenchmarkFormat$' -benchtime "$NATIVE" -count "$COUNT" ./internal/cli
	} >"$OUT/native.txt" || fail "native benchmarks (see $OUT/native.txt)"
fi

# verbs_of LIST prints the verbs of LIST (|-separated) that WINSVC_BENCH_VERBS
# selects, |-separated.
verbs_of() {
	tr '|' '\n' <<<"$1" | grep -xE "$VERBS" | paste -sd'|'
}

# bench_verbs EXE OUTFILE COUNT runs BenchmarkVerb's selected verbs COUNT
# times with the test binary EXE (a path under the build directory),
# appending to OUTFILE.
bench_verbs() {
	local exe=$1 out=$2 count=$3 slow fast
	slow="$(verbs_of 'start|stop|pause-continue|restart|delete')"
	fast="$(verbs_of 'status|qc|get|config')"
	# -test.bench takes one pattern per level of the name, split at /.
	{
		{ [ -z "$slow" ] || wexe "$exe" -test.run '^$' -test.bench "^BenchmarkVerb\$/^($slow)\$" -test.benchtime "$SLOW" -test.count "$count"; } &&
			{ [ -z "$fast" ] || wexe "$exe" -test.run '^$' -test.bench "^BenchmarkVerb\$/^($fast)\$" -test.benchtime "$FAST" -test.count "$count"; }
	} </dev/null >>"$out" 2>&1
}

# bench_go N runs the Go benchmarks under Wine among the services there are.
bench_go() {
	local n=$1
	wexe winsvc.test.exe -test.run '^TestQueryAllAtScale$' -test.v </dev/null >"$OUT/scale-test-$n.txt" 2>&1 ||
		fail "TestQueryAllAtScale at N=$n (see $OUT/scale-test-$n.txt)"
	grep 'enumeration buffer' "$OUT/scale-test-$n.txt" >&2
	if [ -z "$BEFORE" ]; then
		bench_verbs winsvc.test.exe "$OUT/verbs-$n.txt" "$COUNT" || fail "BenchmarkVerb at N=$n (see $OUT/verbs-$n.txt)"
	else
		# One round of each revision at a time, so that both see the same
		# load of the machine.
		for _ in $(seq "$COUNT"); do
			bench_verbs winsvc.test.exe "$OUT/verbs-$n.txt" 1 || fail "BenchmarkVerb at N=$n (see $OUT/verbs-$n.txt)"
			bench_verbs before/winsvc.test.exe "$OUT/before-verbs-$n.txt" 1 ||
				fail "BenchmarkVerb of $BEFORE_REV at N=$n (see $OUT/before-verbs-$n.txt)"
		done
		grep -h '^Benchmark.*ns/op' "$OUT/before-verbs-$n.txt" | sed "s/^/$BEFORE_REV: /" >&2
	fi
	grep -h '^Benchmark.*ns/op' "$OUT/verbs-$n.txt" >&2
	[ "$SCALE_OPS" != 0 ] || return 0
	wexe winsvc.test.exe -test.run '^$' -test.bench '^BenchmarkScale$' -test.benchtime "$SCALE" -test.count "$COUNT" \
		</dev/null >"$OUT/scale-$n.txt" 2>&1 || fail "BenchmarkScale at N=$n (see $OUT/scale-$n.txt)"
	grep -h '^Benchmark.*ns/op' "$OUT/scale-$n.txt" >&2
	# list --json pooled, with one reader, and the export of the same services.
	wexe cli.test.exe -test.run '^$' -test.bench '^BenchmarkListRead$' -test.benchtime 1x -test.count "$LIST_COUNT" \
		</dev/null >"$OUT/listread-$n.txt" 2>&1 || fail "BenchmarkListRead at N=$n (see $OUT/listread-$n.txt)"
	grep -h '^Benchmark.*ns/op' "$OUT/listread-$n.txt" >&2
}

# count_calls NAME EXE ARGS... counts, with Wine's trace of the service
# and registry APIs, the calls one run makes, by function.
count_calls() {
	local name=$1
	shift
	{
		echo "# $*"
		WINEDEBUG=trace+service,trace+reg "$WINSVC_WINE" "$WINSVC_BUILD/$1" "${@:2}" 2>&1 >/dev/null </dev/null |
			# A call's trace line names the function and its first argument,
			# a handle or a name; QueryServiceConfigW also dumps the fields.
			awk -F: '$2 == "trace" { split($4, a, " "); if (a[2] != "=" && $4 !~ /^[A-Za-z ]+ *= /) print $3 ":" a[1] }' |
			sort | uniq -c | sort -rn
	} >"$OUT/calls-$name.txt"
}

# profile N profiles the CLI in-process (BenchmarkCLI, CPU), counts the
# SCM and registry calls of whole runs, and traces the package inits.
profile() {
	local n=$1 c times
	for c in query-json list; do
		times=50x # about 2 s for each side at N=2000
		[ "$c" = list ] && times=3x
		wexe cli.test.exe -test.run '^$' -test.bench "^BenchmarkCLI\$/^$c\$/" -test.benchtime "$times" \
			-test.cpuprofile "$("$WINSVC_WINE" winepath -w "$OUT/cpu-$c.prof" 2>/dev/null | tr -d '\r')" \
			</dev/null >"$OUT/cli-$c.txt" 2>&1 || fail "BenchmarkCLI $c (see $OUT/cli-$c.txt)"
		grep '^Benchmark' "$OUT/cli-$c.txt" >&2
		go tool pprof -top -nodecount=40 "$WINSVC_BUILD/cli.test.exe" "$OUT/cpu-$c.prof" >"$OUT/profile-$c-flat.txt" 2>/dev/null
		go tool pprof -top -cum -nodecount=60 "$WINSVC_BUILD/cli.test.exe" "$OUT/cpu-$c.prof" >"$OUT/profile-$c-cum.txt" 2>/dev/null
	done
	count_calls winsvc-list winsvc.exe list
	count_calls raw-list rawsvc.exe list
	count_calls winsvc-query-json winsvc.exe query state= all --json
	count_calls raw-query-json rawsvc.exe query-json
	GODEBUG=inittrace=1 "$WINSVC_WINE" "$WINSVC_BUILD/winsvc.exe" help </dev/null 2>"$OUT/inittrace.txt" >/dev/null
	# The write system calls of each program (Wine's own included), where
	# strace is installed: an unbuffered stdout costs one per line or more.
	if command -v strace >/dev/null 2>&1; then
		for c in "winsvc.exe list --names" "rawsvc.exe names" "winsvc.exe list" "rawsvc.exe list" \
			"winsvc.exe query state= all" "winsvc.exe query state= all --json" "rawsvc.exe query-json"; do
			# shellcheck disable=SC2086
			strace -f -c -e trace=write,writev -o "$OUT/strace.tmp" "$WINSVC_WINE" $WINSVC_BUILD/$c </dev/null >/dev/null 2>&1
			printf '%-40s %s write, %s writev\n' "$c" \
				"$(awk '$NF == "write" {print $4}' "$OUT/strace.tmp")" "$(awk '$NF == "writev" {print $4}' "$OUT/strace.tmp")"
		done >"$OUT/writes.txt"
		rm -f "$OUT/strace.tmp"
	fi
	log "profile at N=$n: $OUT/profile-*.txt, calls-*.txt, inittrace.txt"
}

# The program host: its own cost, side by side with the program without it.
if [ "$HOST" != 0 ]; then
	log "program host: BenchmarkHost"
	wexe host.test.exe -test.run '^$' -test.bench '^BenchmarkHost$' -test.benchtime "$HOST" -test.count "$COUNT" \
		</dev/null >"$OUT/host.txt" 2>&1 || fail "BenchmarkHost (see $OUT/host.txt)"
	grep '^Benchmark' "$OUT/host.txt" >&2
fi

# Desired state, among the prefix's own services only (it creates and
# deletes its 500).
if [ "$APPLY" != 0 ]; then
	log "desired state: BenchmarkApply500"
	wexe idlesvc.exe delete -workers "$WORKERS" </dev/null || fail "delete idle services"
	# apply_run EXE OUTFILE: one run, appended to OUTFILE.
	apply_run() {
		wexe "$1" -test.run '^$' -test.bench '^BenchmarkApply500$' -test.benchtime "$APPLY" -test.count 1 -test.timeout 60m \
			</dev/null >>"$2" 2>&1
	}
	for _ in $(seq "$APPLY_ROUNDS"); do
		apply_run desired.test.exe "$OUT/apply.txt" || fail "BenchmarkApply500 (see $OUT/apply.txt)"
		if [ -n "$BEFORE" ]; then
			apply_run before/desired.test.exe "$OUT/before-apply.txt" || fail "BenchmarkApply500 of $BEFORE_REV (see $OUT/before-apply.txt)"
		fi
	done
	grep '^Benchmark' "$OUT/apply.txt" >&2
	[ -z "$BEFORE" ] || grep '^Benchmark' "$OUT/before-apply.txt" | sed "s/^/$BEFORE_REV: /" >&2
fi

for n in $ALL_N; do
	log "=== N=$n idle services ($((SECONDS - T0))s so far)"
	if [ "$n" = 0 ]; then
		wexe idlesvc.exe delete -workers "$WORKERS" </dev/null || fail "delete idle services"
	else
		wexe idlesvc.exe create -n "$n" -workers "$WORKERS" </dev/null || fail "create $n idle services"
	fi
	if has "$n" "$BENCH_N"; then
		bench_go "$n"
	fi
	if has "$n" "$PROC_N"; then
		run "$OUT/benchreport" time -wine "$WINSVC_WINE" -winsvc "$WINSVC_BUILD/winsvc.exe" -raw "$WINSVC_BUILD/rawsvc.exe" \
			-n "$n" -runs "$RUNS" -out "$OUT/process.tsv" </dev/null || fail "whole-process comparisons at N=$n"
	fi
	if [ "$n" = "$PROFILE_N" ]; then
		profile "$n"
	fi
done

"$OUT/benchreport" table -dir "$OUT" >"$OUT/results.md" || fail "benchreport table"
{
	echo "### Run of $(date -u '+%Y-%m-%d') ($(sed -n 's/^cpu: //p' "$OUT/machine.txt"), $(nproc) CPUs)"
	echo
	sed 's/^/    /' "$OUT/machine.txt"
	cat "$OUT/results.md"
} >"$OUT/results.md.tmp" && mv "$OUT/results.md.tmp" "$OUT/results.md"
cat "$OUT/results.md"
