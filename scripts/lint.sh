#!/usr/bin/env bash
# scripts/lint.sh - the linters, as CI runs them (scripts/test.sh calls this).
#
#   bash scripts/lint.sh                 both
#   bash scripts/lint.sh staticcheck     staticcheck over ./..., for linux and
#                                        for windows in one run
#   bash scripts/lint.sh actionlint      actionlint over .github/workflows
#
# Both tools are pinned here and built from the Go module proxy by
# `go run module@version`, which keeps the built program in Go's build cache:
# nothing is installed by hand, and only the first run builds them.
#
# staticcheck runs with its default checks over a matrix of two builds
# (GOOS=linux and GOOS=windows): a finding is one of the merged run, and code
# is called unused (U1000) only when neither build uses it, since the portable
# files declare what only the Windows files use. A finding that is wrong is
# silenced where it is, with `//lint:ignore CHECK reason`.
#
# actionlint runs without shellcheck and pyflakes (-shellcheck= -pyflakes=),
# which it would otherwise use when they happen to be on PATH: a fresh
# machine has neither, and the result must not depend on the machine.
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
. scripts/go-env.sh

STATICCHECK=honnef.co/go/tools/cmd/staticcheck@v0.8.2
ACTIONLINT=github.com/rhysd/actionlint/cmd/actionlint@v1.7.12

lint_staticcheck() {
	printf '%s\n' 'linux: GOOS=linux GOARCH=amd64' 'windows: GOOS=windows GOARCH=amd64' |
		go run "$STATICCHECK" -matrix ./...
}

lint_actionlint() {
	go run "$ACTIONLINT" -shellcheck= -pyflakes=
}

rc=0
[ $# -gt 0 ] || set -- staticcheck actionlint
for tool in "$@"; do
	case $tool in
	staticcheck) lint_staticcheck || rc=1 ;;
	actionlint) lint_actionlint || rc=1 ;;
	*)
		echo "lint.sh: unknown linter '$tool' (staticcheck, actionlint)" >&2
		exit 2
		;;
	esac
done
exit $rc
