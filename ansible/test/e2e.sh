#!/usr/bin/env bash
# ansible/test/e2e.sh - the winsvc.windows collection end to end, under Wine,
# with Debian's ansible-core.
#
#   bash ansible/test/e2e.sh      (scripts/test.sh runs it after its Wine setup)
#
# Needs a Wine prefix set up by scripts/wine-env.sh's wine_setup (its sleeper
# keeps Wine's services running between the module's runs) and
# WINSVC_TESTSVC, the Windows path of internal/testsvc's testsvc.exe. It
# installs ansible-core when missing, and builds and installs the collection
# into a throw-away collections path with the wrappers that run its modules
# under Wine against Wine's real SCM (scripts/ansible-env.sh, which
# scripts/ansible-local.sh uses too). Playbooks in ansible/test/e2e run on localhost
# (connection local); what they did is read back independently with Wine's
# reg.exe and sc.exe. Proves: the first run changes, the second does not;
# --check --diff shows the diff and changes nothing; a bad option fails
# naming it and changes nothing; absent removes; the password is never shown;
# service_info with diagnose: true returns doctor's findings.
# hosted.yml and hosted-bad.yml do the same for a program that is not a
# service, hosted by winsvc.exe (WINSVC_EXE) running testhost.exe
# (WINSVC_TESTHOST): the program option, winsvc_path, the Parameters key read
# with reg.exe, the program's output, a secret environment value never shown.
# Then win_service.yml and win_service_info.yml run every case of
# ansible.windows' own win_service and win_service_info integration tests
# against the collection, in one ansible-playbook run: each case prints
# "PASSED: ..." (or "PASSED (divergence): ..." where the module differs on
# purpose, as its docs say), or "SKIPPED under Wine: <case>: <why>"; the
# counts close the output.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root" || exit 1
. scripts/wine-env.sh
. scripts/ansible-env.sh

FAILS=0
fail() {
	echo "e2e: FAIL: $*"
	FAILS=$((FAILS + 1))
}

[ -n "${WINSVC_TESTSVC:-}" ] || { echo "e2e: WINSVC_TESTSVC is not set (scripts/test.sh builds testsvc.exe)"; exit 1; }
ansible_install || { echo "e2e: could not install ansible-core"; exit 1; }
ansible-playbook --version | head -1

work="$(mktemp -d /tmp/winsvc-ansible-e2e.XXXXXX)"
trap 'rm -rf "$work"' EXIT
svc="WinsvcE2E$$"
secret="e2e-Secret-$RANDOM$RANDOM"

# The service's program, in a directory with a space (a quoted path).
dir="$WINSVC_BUILD/ansible e2e"
mkdir -p "$dir" && cp "$("$WINSVC_WINE" winepath -u "$WINSVC_TESTSVC" 2>/dev/null | tr -d '\r')" "$dir/testsvc.exe" ||
	{ echo "e2e: cannot copy testsvc.exe"; exit 1; }
exe="$("$WINSVC_WINE" winepath -w "$dir/testsvc.exe" 2>/dev/null | tr -d '\r')"

ansible_collection "$work" || { echo "e2e: building and installing the collection failed"; exit 1; }
ansible-doc winsvc.windows.service 2>&1 | grep -q 'force_dependent_services' ||
	fail "ansible-doc does not show the sidecar documentation"

export ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=0 \
	ANSIBLE_LOCALHOST_WARNING=0 ANSIBLE_LOCAL_TEMP="$work/tmp" ANSIBLE_REMOTE_TEMP="$work/tmp"

# The playbooks' variables, as JSON (key=value would read the backslashes
# of Windows paths as escapes).
python3 -c 'import json, sys; print(json.dumps(dict(svc=sys.argv[1], exe=sys.argv[2], secret=sys.argv[3])))' \
	"$svc" "$exe" "$secret" >"$work/vars.json"

# play PLAYBOOK [ARGS...] runs a playbook of ansible/test/e2e; its output
# is in $work/out.
play() {
	local book=$1
	shift
	(cd "$work" && ansible-playbook -i localhost, "$root/ansible/test/e2e/$book" -e "@$work/vars.json" "$@") >"$work/out" 2>&1
}

# recap KEY prints the play recap's count for KEY (changed, failed, ...).
recap() { sed -n "s/^localhost *:.* $1=\([0-9]*\).*/\1/p" "$work/out"; }

# registry prints the service's registry key as Wine's reg.exe reads it,
# nothing when there is none (reg.exe prints its error on stdout, exit 1).
registry() {
	local out
	out="$("$WINSVC_WINE" reg query "HKLM\\System\\CurrentControlSet\\Services\\$svc" </dev/null 2>/dev/null)" || return 0
	tr -d '\r' <<<"$out"
}

# state prints the service's state as Wine's sc.exe reads it.
state() { "$WINSVC_WINE" sc query "$svc" </dev/null 2>/dev/null | tr -d '\r' | sed -n 's/.*STATE *: *[0-9]* *\([A-Z_]*\).*/\1/p'; }

# expect_value NAME REGEX: the registry value NAME matches REGEX.
expect_value() {
	registry | grep -E "^ +$1 +REG_[A-Z_]+ +$2\$" >/dev/null || fail "registry value $1 is not $2: $(registry | grep -E "^ +$1 " || echo missing)"
}

shown() {
	echo "--- ansible-playbook output:"
	cat "$work/out"
}

check_secret() { ! grep -q "$secret" "$work/out" || fail "the password appears in the output of $1"; }

echo "e2e: first run creates $svc"
play present.yml -v || { fail "present.yml failed"; shown; }
[ "$(recap changed)" = 1 ] || { fail "first run: changed=$(recap changed), want 1"; shown; }
check_secret "the first run"
expect_value ImagePath "\"${exe//\\/\\\\}\" -mode=normal -lifetime=10m"
expect_value DisplayName "winsvc e2e service"
expect_value Description "Created by the Ansible e2e test"
expect_value Start 0x2
expect_value ErrorControl 0x2
expect_value Group E2EGroup
expect_value DependOnService PlugPlay
expect_value ObjectName '\.\\e2euser'
expect_value PreshutdownTimeout 0xea60
[ "$(state)" = RUNNING ] || fail "state after the first run: $(state), want RUNNING"

echo "e2e: second run changes nothing"
before="$(registry)"
play present.yml -v || { fail "present.yml failed the second time"; shown; }
[ "$(recap changed)" = 0 ] || { fail "second run: changed=$(recap changed), want 0"; shown; }
check_secret "the second run"
[ "$(registry)" = "$before" ] || fail "the second run changed the registry"

echo "e2e: --check --diff shows the change and makes none"
play change.yml --check --diff || { fail "change.yml --check failed"; shown; }
[ "$(recap changed)" = 1 ] || { fail "check run: changed=$(recap changed), want 1"; shown; }
for line in '-    "description": "Created by the Ansible e2e test",' '+    "description": "Changed by the Ansible e2e test",' \
	'-    "start_mode": "auto",' '+    "start_mode": "disabled",' '-    "state": "started",' '+    "state": "stopped",'; do
	grep -qF -- "$line" "$work/out" || { fail "the diff lacks: $line"; shown; }
done
check_secret "the check run"
[ "$(registry)" = "$before" ] || fail "check mode changed the registry"
[ "$(state)" = RUNNING ] || fail "check mode changed the state: $(state)"

echo "e2e: a bad option fails and changes nothing"
play bad.yml || { fail "bad.yml's assertions failed"; shown; }
grep -q "value of start_mode must be one of: auto, delayed, disabled, manual, boot, system, got: sometimes" "$work/out" ||
	{ fail "the failure message does not name the option and its values"; shown; }
[ "$(registry)" = "$before" ] || fail "a failed task changed the registry"

echo "e2e: absent removes"
play absent.yml || { fail "absent.yml failed"; shown; }
[ "$(recap changed)" = 1 ] || { fail "absent: changed=$(recap changed), want 1"; shown; }
# Wine's SCM removes the key once the service's last handle is closed, a
# moment after the module has exited.
for _ in 1 2 3 4 5 6 7 8 9 10; do
	[ -z "$(registry)" ] && break
	sleep 0.3
done
[ -z "$(registry)" ] || fail "the registry key is still there after absent"
[ -z "$(state)" ] || fail "sc.exe still finds the service after absent: $(state)"
play absent.yml || { fail "absent.yml failed the second time"; shown; }
[ "$(recap changed)" = 0 ] || fail "absent again: changed=$(recap changed), want 0"

"$WINSVC_WINE" sc delete "$svc" </dev/null >/dev/null 2>&1

echo "e2e: service_info with diagnose returns doctor's findings"
play diagnose.yml || { fail "diagnose.yml failed"; shown; }
image="$("$WINSVC_WINE" reg query "HKLM\\System\\CurrentControlSet\\Services\\${svc}D" /v ImagePath </dev/null 2>/dev/null | tr -d '\r')"
grep -qF 'C:\winsvc-e2e-no-such-dir\app.exe' <<<"$image" || fail "reg.exe reads the diagnosed service's ImagePath as: $image"
nodir="$("$WINSVC_WINE" winepath -u 'C:\winsvc-e2e-no-such-dir' 2>/dev/null | tr -d '\r')"
[ -n "$nodir" ] && [ ! -e "$nodir" ] || fail "the missing program's folder ($nodir) exists"
for s in "${svc}D" "${svc}H"; do "$WINSVC_WINE" sc delete "$s" </dev/null >/dev/null 2>&1; done
rm -rf "$dir"

winpath() { "$WINSVC_WINE" winepath -w "$1" 2>/dev/null | tr -d '\r'; }

# A program that is not a service, hosted by winsvc.exe: hosted.yml
# creates it with program and winsvc_path and starts it; what it did is
# read with reg.exe (the Parameters key, the command line) and sc.exe (the
# state), and in the program's output (its environment and directory).
hosted() {
	local hsvc="WinsvcE2EHosted$$" hdir="$WINSVC_BUILD/ansible hosted" hdirw prog before out image
	mkdir -p "$hdir" || { fail "cannot make $hdir"; return; }
	hdirw="$(winpath "$hdir")"
	prog="$WINSVC_TESTHOST"
	python3 -c 'import json, sys; a = sys.argv[1:]; print(json.dumps(dict(hsvc=a[0], svc=a[0], winsvc=a[1], prog=a[2], dir=a[3], secret=a[4],
		prog_args=["prog", "run", "-every", "200ms"])))' "$hsvc" "$WINSVC_EXE" "$prog" "$hdirw" "$secret" >"$work/hosted.json"
	hplay() {
		local book=$1
		shift
		(cd "$work" && ansible-playbook -i localhost, "$root/ansible/test/e2e/$book" -e "@$work/hosted.json" "$@") >"$work/out" 2>&1
	}
	params() {
		"$WINSVC_WINE" reg query "HKLM\\System\\CurrentControlSet\\Services\\$hsvc\\Parameters" </dev/null 2>/dev/null | tr -d '\r'
	}
	hstate() { "$WINSVC_WINE" sc query "$hsvc" </dev/null 2>/dev/null | tr -d '\r' | sed -n 's/.*STATE *: *[0-9]* *\([A-Z_]*\).*/\1/p'; }

	echo "e2e: a hosted program: the first run creates and starts $hsvc"
	hplay hosted.yml -v || { fail "hosted.yml failed"; shown; }
	[ "$(recap changed)" = 1 ] || { fail "hosted, first run: changed=$(recap changed), want 1"; shown; }
	check_secret "the hosted program's first run"
	params | grep -qiF "Application" || fail "reg.exe finds no Application value: $(params)"
	params | grep -E "^ +Application +REG_EXPAND_SZ +" | grep -qF "$prog" || fail "Application is not $prog: $(params)"
	params | grep -E "^ +AppArguments +REG_MULTI_SZ +" | grep -qF 'prog\0run\0-every\0200ms' || fail "AppArguments: $(params | grep AppArguments)"
	params | grep -E "^ +AppEnvironmentExtra +REG_MULTI_SZ +" | grep -qF 'HOSTTEST=from-ansible\0DB_PASSWORD=' ||
		fail "AppEnvironmentExtra: $(params | grep AppEnvironmentExtra | sed "s/$secret/SECRET/")"
	params | grep -E "^ +AppStopTimeout +REG_DWORD +0x7d0\$" >/dev/null || fail "AppStopTimeout: $(params | grep AppStopTimeout)"
	image="$("$WINSVC_WINE" reg query "HKLM\\System\\CurrentControlSet\\Services\\$hsvc" </dev/null 2>/dev/null | tr -d '\r' | grep -E "^ +ImagePath +")"
	grep -qE "ImagePath +REG_[A-Z_]+ +.*winsvc\.exe\"? host $hsvc\$" <<<"$image" || fail "ImagePath is not winsvc.exe host $hsvc: $image"
	[ "$(hstate)" = RUNNING ] || fail "hosted: state $(hstate), want RUNNING"
	for _ in $(seq 50); do
		grep -q "HOSTTEST=from-ansible" "$hdir/out.log" 2>/dev/null && break
		sleep 0.2
	done
	out="$(tr -d '\r' <"$hdir/out.log" 2>/dev/null)"
	grep -qF "HOSTTEST=from-ansible" <<<"$out" && grep -qiF "cwd=$hdirw" <<<"$out" ||
		fail "the program's output does not show its environment and working directory: $(head -c 300 <<<"$out")"

	echo "e2e: a hosted program: the second run changes nothing"
	before="$(params)"
	hplay hosted.yml -v || { fail "hosted.yml failed the second time"; shown; }
	[ "$(recap changed)" = 0 ] || { fail "hosted, second run: changed=$(recap changed), want 0"; shown; }
	check_secret "the hosted program's second run"
	[ "$(params)" = "$before" ] || fail "the second run changed the Parameters key"

	echo "e2e: a hosted program: --check --diff shows a change of arguments and makes none"
	hplay hosted.yml --check --diff -v -e '{"prog_args": ["prog", "run", "-every", "1s"]}' || { fail "hosted.yml --check failed"; shown; }
	[ "$(recap changed)" = 1 ] || { fail "hosted, check run: changed=$(recap changed), want 1"; shown; }
	grep -qF -- '"DB_PASSWORD=(hidden)"' "$work/out" && grep -qF -- '+            "1s"' "$work/out" && grep -qF -- '-            "200ms"' "$work/out" ||
		{ fail "the diff does not show the program's arguments changed, its secret hidden"; shown; }
	check_secret "the hosted program's check run"
	[ "$(params)" = "$before" ] || fail "check mode changed the Parameters key"

	echo "e2e: a hosted program: refused before anything changes"
	hplay hosted-bad.yml || { fail "hosted-bad.yml's assertions failed"; shown; }
	check_secret "the hosted program's refused runs"
	[ "$(params)" = "$before" ] || fail "a refused task changed the Parameters key"
	[ "$(hstate)" = RUNNING ] || fail "a refused task changed the state: $(hstate)"

	hplay absent.yml || { fail "absent.yml failed for $hsvc"; shown; }
	[ "$(recap changed)" = 1 ] || fail "hosted, absent: changed=$(recap changed), want 1"
	"$WINSVC_WINE" sc delete "$hsvc" </dev/null >/dev/null 2>&1
	rm -rf "$hdir"
}
if [ -n "${WINSVC_EXE:-}" ] && [ -n "${WINSVC_TESTHOST:-}" ]; then
	hosted
else
	fail "WINSVC_EXE and WINSVC_TESTHOST are not set: the hosted program's case needs winsvc.exe and testhost.exe (scripts/test.sh builds both)"
fi

echo "e2e: ansible.windows' win_service and win_service_info cases"
# The program's directories as win_service's tests name theirs: spaces and
# brackets; non-ASCII and shell characters.
ws_dir="$WINSVC_BUILD/ansible testing/[win_service]"
info_dir="$WINSVC_BUILD/win_service_info .ÅÑŚÌβŁÈ [\$!@^&test(;)]"
for d in "$ws_dir" "$info_dir"; do
	mkdir -p "$d" && cp "$("$WINSVC_WINE" winepath -u "$WINSVC_TESTSVC" 2>/dev/null | tr -d '\r')" "$d/testsvc.exe" ||
		fail "cannot copy testsvc.exe to $d"
done
wine_user="$("$WINSVC_WINE" cmd /c 'echo %USERNAME%' </dev/null 2>/dev/null | tr -d '\r')"
wine_account="$("$WINSVC_WINE" cmd /c 'echo %USERDOMAIN%\%USERNAME%' </dev/null 2>/dev/null | tr -d '\r')"
python3 -c 'import json, sys; a = sys.argv[1:]; print(json.dumps(dict(wine=a[0], id=a[1], test_dir=a[2], info_dir=a[3],
	user=a[4], current_user=a[5], secret=a[6], under_wine=True)))' \
	"$WINSVC_WINE" "W$$" "$(winpath "$ws_dir")" "$(winpath "$info_dir")" ".\\$wine_user" "$wine_account" "$secret" >"$work/ported.json"
(cd "$work" && ansible-playbook -i localhost, "$root/ansible/test/e2e/win_service.yml" "$root/ansible/test/e2e/win_service_info.yml" \
	-e "@$work/ported.json") >"$work/out" 2>&1 || { fail "the ported cases failed"; shown; }
check_secret "the ported cases"
passed="$(grep -c '"msg": "PASSED' "$work/out")"
skipped="$(grep -c '"msg": "SKIPPED under Wine' "$work/out")"
grep -o '"msg": "\(PASSED\|SKIPPED under Wine\)[^"]*"' "$work/out" | sed 's/^"msg": "/  /; s/"$//'
failed_tasks="$(recap failed | sort -n | tail -1)"
[ "$passed" -gt 0 ] && [ "${failed_tasks:-1}" = 0 ] || fail "ported cases: $passed passed, ${failed_tasks:-?} failed tasks"
rm -rf "$WINSVC_BUILD/ansible testing" "$info_dir"
echo "e2e: ported cases: $passed passed, ${failed_tasks:-?} failed, $skipped skipped"
if [ "$FAILS" -gt 0 ]; then
	echo "e2e: $FAILS check(s) failed"
	exit 1
fi
echo "e2e: ok"
