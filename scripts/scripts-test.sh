#!/usr/bin/env bash
# scripts/scripts-test.sh - tests of the scripts' own logic, natively (no
# Wine): what go_require says when Go is missing or too old, and how
# scripts/readme-examples.sh reads README.md's marked blocks.
#
#   bash scripts/scripts-test.sh       (scripts/test.sh runs it)
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root" || exit 1
FAILS=0
fail() {
	echo "scripts-test: FAIL: $*"
	FAILS=$((FAILS + 1))
}
work="$(mktemp -d /tmp/winsvc-scripts-test.XXXXXX)"
trap 'rm -rf "$work"' EXIT
want="$(sed -n 's/^go \([0-9.]*\)$/\1/p' go.mod)"

# go_require: the Go on PATH is used when it is recent enough; an old one
# (Debian's 1.19) or none gets the exact commands that install go.mod's
# version from go.dev/dl into /usr/local/go.
mkdir -p "$work/old" "$work/none"
printf '#!/bin/sh\ncase "$1" in env) echo go1.19.8;; version) echo "go version go1.19.8 linux/amd64";; esac\n' >"$work/old/go"
chmod +x "$work/old/go"
for tt in "old:1.19.8" "none:no go"; do
	dir="${tt%%:*}" says="${tt#*:}"
	out="$(PATH="$work/$dir:/usr/bin:/bin" bash -c '. scripts/go-env.sh; PATH="${PATH#/usr/local/go/bin:}"; go_require' 2>&1)"
	rc=$?
	[ $rc -ne 0 ] || fail "go_require with $dir go succeeded"
	for s in "$says" "Go $want or later" "rm -rf /usr/local/go && curl -fsSL https://go.dev/dl/go$want.linux-" "| tar -C /usr/local -xz"; do
		grep -qF -- "$s" <<<"$out" || fail "go_require with $dir go does not say '$s':"$'\n'"$out"
	done
done
if command -v go >/dev/null 2>&1 || [ -x /usr/local/go/bin/go ]; then
	bash -c '. scripts/go-env.sh; go_require' || fail "go_require refuses the Go that runs these tests"
fi

# readme-examples.sh's reader: the blocks after the markers, and only
# those; a marker applies to the next block only.
cat >"$work/README.md" <<'MD'
<!-- run -->
```sh
echo one
winsvc x   # Windows only: not here
```
```sh
not run
```
<!-- file a.yaml -->
```yaml
key: 1
```
<!-- run -->
Some text.
```sh
not run either
```
MD
got="$(cd "$work" && bash -c "$(sed -n '/^blocks() {/,/^}/p' "$root/scripts/readme-examples.sh"); blocks")"
expected=$'R echo one\nR winsvc x   # Windows only: not here\nF a.yaml\nL key: 1\nE'
[ "$got" = "$expected" ] || fail "readme-examples.sh reads:"$'\n'"$got"$'\n'"want:"$'\n'"$expected"

if [ "$FAILS" -gt 0 ]; then
	echo "scripts-test: $FAILS check(s) failed"
	exit 1
fi
echo "scripts-test: ok"
