#!/usr/bin/env bash
# scripts/demo.sh - try winsvc on a fresh Debian machine, under Wine.
#
#   bash scripts/demo.sh
#
# Installs Wine and MinGW when missing (root or sudo), sets up a throw-away
# Wine prefix, cross-compiles winsvc.exe and the test service
# (internal/testsvc), then runs winsvc.exe against Wine's Service Control
# Manager: creates a demo service, starts it, queries it (text and --json),
# draws its dependencies (with two more services and a load-order group),
# stops and deletes it, and shows a failure's JSON error and exit code. Each
# command is printed before its output. The prefix is removed at the end.
#
# Needs Go (at /usr/local/go/bin or on PATH) and no stdin. Exits non-zero if
# any step fails.
#
# Environment:
#   WINSVC_KEEP=1   keep the prefix and its wineserver (scripts/wine-teardown.sh removes them)
#   WINSVC_DEMO_SVG=FILE  also write the dependency graph as SVG to FILE, with
#                   Graphviz's dot (docs/demo-dependencies.svg was made so)
#   WINSVC_PREFIX, WINSVC_BUILD: see scripts/wine-env.sh
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
export PATH="$PATH:/usr/local/go/bin"
. scripts/wine-env.sh

SERVICE=WinsvcDemo

die() {
	echo "demo.sh: FAILED: $*" >&2
	exit 1
}

teardown() {
	if [ "${WINSVC_KEEP:-0}" != 0 ]; then
		echo "demo.sh: WINSVC_KEEP set: leaving $WINSVC_PREFIX running"
		return
	fi
	wine_teardown
}

# winsvc runs winsvc.exe with the arguments, printing the command line and
# its output (stdout and stderr), and returns its exit status.
winsvc() {
	local arg line="\$ winsvc"
	for arg in "$@"; do
		case "$arg" in
		*[[:space:]]* | "") line+=" \"$arg\"" ;;
		*) line+=" $arg" ;;
		esac
	done
	echo
	echo "$line"
	"$WINSVC_WINE" "$WINSVC_BUILD/winsvc.exe" "$@" </dev/null 2>&1
}

# expect CODE ARGS...: run winsvc and fail unless it exits with CODE. Shells
# keep only the low 8 bits of an exit status, so 1060 arrives as 36.
expect() {
	local want=$1 rc
	shift
	winsvc "$@"
	rc=$?
	if [ "$rc" -ne $((want & 255)) ]; then
		die "winsvc $* exited with $rc, want $want (mod 256: $((want & 255)))"
	fi
	if [ "$want" -ne 0 ]; then
		echo "(exit status $want, which the shell sees as $rc)"
	fi
}

command -v go >/dev/null 2>&1 || die "go not found: install Go (https://go.dev/dl/) at /usr/local/go"

echo "=== installing Wine and MinGW (when missing)"
wine_install </dev/null || die "wine_install"
echo "=== setting up the Wine prefix $WINSVC_PREFIX"
trap teardown EXIT
trap 'die "interrupted"' INT TERM
wine_setup </dev/null || die "wine_setup"

echo "=== building winsvc.exe and testsvc.exe"
mkdir -p "$WINSVC_BUILD" || die "mkdir $WINSVC_BUILD"
GOOS=windows GOARCH=amd64 go build -o "$WINSVC_BUILD/winsvc.exe" ./cmd/winsvc || die "building winsvc.exe"
GOOS=windows GOARCH=amd64 go build -o "$WINSVC_BUILD/testsvc.exe" ./internal/testsvc || die "building testsvc.exe"
SVCEXE="$("$WINSVC_WINE" winepath -w "$WINSVC_BUILD/testsvc.exe" 2>/dev/null | tr -d '\r')"
[ -n "$SVCEXE" ] || die "winepath"

echo "=== winsvc under Wine's Service Control Manager"
expect 0 create "$SERVICE" binPath= "$SVCEXE -mode=normal -lifetime=10m" DisplayName= "winsvc demo" start= demand
expect 0 description "$SERVICE" "A demo service, created by scripts/demo.sh"
expect 0 qc "$SERVICE"
expect 0 start "$SERVICE"
expect 0 query "$SERVICE"
expect 0 query "$SERVICE" --json
expect 0 list --name "winsvc*"

echo
echo "=== its dependencies: $SERVICE needs the group ${SERVICE}Storage (${SERVICE}Db)"
echo "=== and ${SERVICE}Cache, which is not installed; ${SERVICE}Web needs $SERVICE"
expect 0 create "${SERVICE}Db" binPath= "$SVCEXE -mode=normal -lifetime=10m" DisplayName= "winsvc demo database" group= "${SERVICE}Storage"
expect 0 create "${SERVICE}Web" binPath= "$SVCEXE -mode=normal -lifetime=10m" DisplayName= "winsvc demo web front" depend= "$SERVICE"
expect 0 config "$SERVICE" depend= "+${SERVICE}Storage/${SERVICE}Cache"
expect 0 start "${SERVICE}Db"
expect 0 EnumDepend "$SERVICE" --tree
expect 0 graph "$SERVICE" --format mermaid
if [ -n "${WINSVC_DEMO_SVG:-}" ]; then
	command -v dot >/dev/null 2>&1 || die "WINSVC_DEMO_SVG needs Graphviz's dot (apt-get install graphviz)"
	echo
	echo "\$ winsvc graph $SERVICE | dot -Tsvg -o $WINSVC_DEMO_SVG"
	"$WINSVC_WINE" "$WINSVC_BUILD/winsvc.exe" graph "$SERVICE" </dev/null | dot -Tsvg -o "$WINSVC_DEMO_SVG" || die "drawing $WINSVC_DEMO_SVG"
fi
expect 0 delete "${SERVICE}Web"
expect 0 delete "${SERVICE}Db" --stop --wait

echo
expect 0 stop "$SERVICE"
expect 0 delete "$SERVICE" --wait
expect 1060 query "$SERVICE" --json

echo
echo "demo.sh: OK"
