#!/usr/bin/env bash
# scripts/readme-examples.sh - run README.md's examples on the Linux path,
# as written, as a new user would: so that the README cannot rot.
#
#   bash scripts/readme-examples.sh      (scripts/test.sh runs it under Wine)
#
# README.md marks what runs on Linux:
#
#   <!-- run ... -->    the next fenced block is shell: its lines run in
#                       order, in one bash with aliases on (the first block
#                       says alias winsvc=scripts/winsvc), in the
#                       repository's directory, each with no stdin but its
#                       own, and each must succeed; a line whose comment
#                       starts "# Windows only:" must fail, under Wine.
#   <!-- file NAME -->  the next fenced block is saved as NAME, in the
#                       repository's directory, without its lines marked
#                       "# Windows only:"; each of those, put back alone,
#                       must make an apply of the document fail, leave a
#                       plan with changes, or be reported "written, not
#                       verifiable" / "cannot be compared on this SCM",
#                       under Wine (the note is true).
#
# Then it checks what the README says of scripts/winsvc (the exit status
# passes through) and of the Ansible playbook (another run changes
# nothing). The examples use the services MySvc, OldSvc and MyApp,
# and the files pw.txt, services.yaml, mysvc.yaml and myapp.yml; the script
# refuses to run when one of them exists, and removes them at the end.
# ansible-galaxy installs into a throw-away collections path.
#
# Environment: WINSVC_PREFIX, as for scripts/winsvc (scripts/test.sh's
# prefix when it runs this).
set -uo pipefail
shopt -s expand_aliases

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root" || exit 1
export WINSVC_PREFIX="${WINSVC_PREFIX:-/tmp/winsvc-wine-cli}"

SERVICES=(MySvc OldSvc MyApp)
FILES=(pw.txt services.yaml mysvc.yaml myapp.yml)
FAILS=0
fail() {
	echo "readme-examples: FAIL: $*"
	FAILS=$((FAILS + 1))
}

# blocks prints README.md's marked blocks as records: "R LINE" (a line to
# run), "F NAME" (a file begins), "L LINE" (a line of it), "E" (it ends).
blocks() {
	awk '
		/^<!-- run[ :-]/ || /^<!-- run -->/ { want = "run"; next }
		/^<!-- file [^ ]+ -->/ { want = "file"; name = $3; next }
		/^```/ {
			if (inside) { if (kind == "file") print "E"; inside = 0; kind = ""; next }
			if (want != "") { inside = 1; kind = want; want = ""; if (kind == "file") print "F " name }
			next
		}
		inside && kind == "run" { print "R " $0; next }
		inside && kind == "file" { print "L " $0; next }
		/[^ ]/ { want = "" }  # a marker applies to the block right after it
	' README.md
}

windows_only() { [[ "$1" =~ \#[[:space:]]*Windows\ only: ]]; }

# run LINE runs one line of a run block, as the README writes it.
run() {
	local line=$1 rc
	echo "\$ $line"
	eval "$line" </dev/null
	rc=$?
	if windows_only "$line"; then
		[ $rc -ne 0 ] || fail "'$line' is marked Windows only, but succeeded under Wine"
		echo "(exit status $rc under Wine, as the README says)"
	elif [ $rc -ne 0 ]; then
		fail "'$line' exited with $rc"
	fi
}

# check_windows_only FILE LINENO LINE: the document FILE with LINE put
# back at LINENO fails to apply, leaves changes to plan, or is written and
# reported as not verifiable on this SCM (the SCM does not keep it).
check_windows_only() {
	local file=$1 at=$2 line=$3 doc="$work/windows-only.yaml"
	awk -v at="$at" -v line="$line" 'NR == at { print line } { print } END { if (at > NR) print line }' "$file" >"$doc"
	echo "\$ winsvc apply -f $file, with: $line"
	if scripts/winsvc apply -f "$doc" </dev/null >"$work/out" 2>&1 &&
		scripts/winsvc plan -f "$doc" --detailed-exitcode </dev/null >>"$work/out" 2>&1 &&
		! grep -q -E 'not verifiable on this SCM|cannot be compared on this SCM' "$work/out"; then
		cat "$work/out"
		fail "'$line' is marked Windows only, but the document applies and converges under Wine"
	else
		echo "(as the README says: $(grep -m1 -E 'winsvc: |update |not verifiable on this SCM' "$work/out" || echo 'the plan is not empty'))"
	fi
}

cleanup() {
	local s f
	for s in "${SERVICES[@]}"; do
		scripts/winsvc delete "$s" --stop --wait </dev/null >/dev/null 2>&1
	done
	for f in "${FILES[@]}"; do rm -f "$root/$f"; done
	rm -rf "$work"
}

for f in "${FILES[@]}"; do
	[ ! -e "$f" ] || { echo "readme-examples: $root/$f exists: the examples would overwrite it; move it away"; exit 1; }
done
scripts/winsvc --setup || { echo "readme-examples: scripts/winsvc could not set up Wine"; exit 1; }
for s in "${SERVICES[@]}"; do
	if scripts/winsvc exists "$s" </dev/null >/dev/null 2>&1; then
		echo "readme-examples: the service $s exists in $WINSVC_PREFIX: the examples would change it; delete it first"
		exit 1
	fi
done
work="$(mktemp -d /tmp/winsvc-readme.XXXXXX)"
trap cleanup EXIT
export ANSIBLE_COLLECTIONS_PATH="$work/collections" ANSIBLE_NOCOLOR=1 PAGER=cat

file="" n=0 ran=0 pending=()
declare -a held=() # "LINENO<tab>LINE" of the Windows-only lines of the file being written
while IFS= read -r rec <&3; do
	case "$rec" in
	"R "*)
		line="${rec#R }"
		[[ "$line" =~ ^[[:space:]]*(#|$) ]] && continue
		run "$line"
		ran=$((ran + 1))
		;;
	"F "*)
		file="${rec#F }" n=0 held=()
		: >"$file"
		;;
	"L "*)
		line="${rec#L }"
		if windows_only "$line"; then
			held+=("$((n + 1))"$'\t'"$line")
		else
			printf '%s\n' "$line" >>"$file"
			n=$((n + 1))
		fi
		;;
	E)
		echo "(README.md's $file, without ${#held[@]} line(s) marked Windows only)"
		for h in "${held[@]}"; do
			pending+=("$file"$'\t'"$h")
		done
		;;
	esac
done 3< <(blocks)

[ "$ran" -ge 10 ] || fail "only $ran lines of README.md ran: are its <!-- run --> markers there?"

# Each Windows-only line of a document, put back alone, does not work
# under Wine.
for p in "${pending[@]+"${pending[@]}"}"; do
	IFS=$'\t' read -r f at line <<<"$p"
	check_windows_only "$f" "$at" "$line"
done

# The README: scripts/winsvc passes the exit status through (its low 8
# bits: 1060 arrives as 36), and stderr.
scripts/winsvc query NoSuchService </dev/null >/dev/null 2>"$work/err"
rc=$?
[ $rc -eq 36 ] && grep -q 'ERROR_SERVICE_DOES_NOT_EXIST' "$work/err" ||
	fail "scripts/winsvc query NoSuchService: exit $rc, want 36 (1060), and on stderr: $(cat "$work/err")"

# The README: a second run of the playbook reports no change.
if [ -f myapp.yml ]; then
	echo "\$ bash scripts/ansible-local.sh myapp.yml"
	bash scripts/ansible-local.sh myapp.yml </dev/null >"$work/out" 2>&1 || { cat "$work/out"; fail "the playbook failed the third time"; }
	grep -qE 'localhost +: ok=[0-9]+ +changed=0 ' "$work/out" || { cat "$work/out"; fail "the playbook changed something again"; }
fi

if [ "$FAILS" -gt 0 ]; then
	echo "readme-examples: $FAILS check(s) failed"
	exit 1
fi
echo "readme-examples: ok ($ran lines of README.md)"
