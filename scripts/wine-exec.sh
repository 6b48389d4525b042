#!/usr/bin/env bash
# wine-exec.sh - `go test -exec` wrapper: run a Windows binary under the test
# bed's Wine prefix and propagate its exit code.
#
#   GOOS=windows GOARCH=amd64 go test -exec "$PWD/scripts/wine-exec.sh" ./...
#
# The prefix must already be set up (scripts/wine-setup.sh or wine_setup); this
# wrapper never starts or stops the wineserver itself.
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/wine-env.sh"

if [ $# -lt 1 ]; then
	echo "usage: wine-exec.sh program.exe [args...]" >&2
	exit 2
fi
if [ -z "$WINSVC_WINE" ]; then
	echo "wine-exec.sh: wine is not installed (run scripts/wine-setup.sh)" >&2
	exit 2
fi
if ! _winsvc_sleeper_pid >/dev/null; then
	echo "wine-exec.sh: prefix $WINSVC_PREFIX is not set up or its sleeper is gone (run scripts/wine-setup.sh)" >&2
	exit 2
fi
exec "$WINSVC_WINE" "$@"
