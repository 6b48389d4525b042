# shellcheck shell=bash
# scripts/go-env.sh - find the Go toolchain winsvc needs.
#
# Source this file (". scripts/go-env.sh"); do not execute it. It puts
# /usr/local/go/bin (where Go's official tarball goes) first on PATH, and
# defines:
#
#   go_require   succeed when `go` is at least the version go.mod names;
#                otherwise print the exact commands that install it and fail
#
# Debian 12's golang-go is Go 1.19, too old for go.mod and unable to fetch a
# newer toolchain itself: winsvc needs the official tarball from go.dev/dl.

export PATH="/usr/local/go/bin:$PATH"

# _go_wanted prints the Go version go.mod asks for (1.26.8).
_go_wanted() {
	sed -n 's/^go \([0-9][0-9.]*\)$/\1/p' "$(dirname "${BASH_SOURCE[0]}")/../go.mod"
}

# _go_older A B succeeds when version A is older than version B (1.19.8 < 1.26).
_go_older() {
	[ "$1" != "$2" ] && [ "$(printf '%s\n%s\n' "$1" "$2" | sort -t. -k1,1n -k2,2n -k3,3n | head -1)" = "$1" ]
}

go_require() {
	local want have="" arch
	want="$(_go_wanted)"
	if command -v go >/dev/null 2>&1; then
		# Run in the module, so that a Go that can switch toolchains
		# (1.21 and later) reports the one it would use.
		have="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && go env GOVERSION 2>/dev/null)"
		[ -n "$have" ] || have="$(go version 2>/dev/null | sed -n 's/^go version \(go[^ ]*\).*/\1/p')"
		have="${have#go}"
		if [ -n "$have" ] && ! _go_older "$have" "$want"; then
			return 0
		fi
	fi
	arch="$(dpkg --print-architecture 2>/dev/null || echo amd64)"
	{
		if [ -n "$have" ]; then
			echo "winsvc needs Go $want or later (go.mod); the go on PATH is $have ($(command -v go))."
		else
			echo "winsvc needs Go $want or later (go.mod), and there is no go on PATH or in /usr/local/go/bin."
		fi
		echo "Debian's golang-go is too old. Install Go from go.dev/dl into /usr/local/go (as root):"
		echo
		echo "  apt-get update && apt-get install -y curl ca-certificates"
		echo "  rm -rf /usr/local/go && curl -fsSL https://go.dev/dl/go$want.linux-$arch.tar.gz | tar -C /usr/local -xz"
		echo
		echo "then run this again (the scripts look in /usr/local/go/bin first)."
	} >&2
	return 1
}
