# shellcheck shell=bash
# scripts/wine-env.sh - Wine environment for the winsvc test bed.
#
# Source this file (". scripts/wine-env.sh"); do not execute it. It exports the
# Wine environment and defines:
#
#   wine_install   apt-get install wine64, wine and mingw-w64 when missing (root or sudo)
#   tools_install  apt-get install the other tools the tests use when missing:
#                  graphviz (dot, which reads winsvc graph's output)
#   wine_setup     build the bcryptprimitives shim and the sleeper, create a fresh
#                  prefix (wineboot -i), install the shim, start the sleeper
#   wine_teardown  stop the sleeper, wineserver -k, remove the prefix
#
# All four are idempotent; they return non-zero on failure and never call exit.
#
# Environment (all optional):
#   WINSVC_PREFIX  the throw-away Wine prefix (default /tmp/winsvc-wine); never ~/.wine
#   WINSVC_BUILD   build directory for the shim, sleeper and testsvc.exe
#                  (default: $WINSVC_PREFIX/drive_c/winsvc, i.e. C:\winsvc in Wine)
#   WINEDEBUG      default -all
#
# Exported for other scripts: WINEPREFIX, WINEDEBUG, WINEARCH, WINELOADER,
# WINEDLLOVERRIDES, WINSVC_PREFIX, WINSVC_BUILD, WINSVC_WINE (the 64-bit loader to
# run .exe files with), WINSVC_WINESERVER, WINSVC_ROOT (the repository root).
#
# Why the sleeper: Wine stops every service about a second after the last
# ordinary process in a prefix exits, so one ordinary process must stay alive
# for the whole test run (see docs/wine-scm.md).

WINSVC_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export WINSVC_ROOT

export WINSVC_PREFIX="${WINSVC_PREFIX:-/tmp/winsvc-wine}"
export WINEPREFIX="$WINSVC_PREFIX"
export WINSVC_BUILD="${WINSVC_BUILD:-$WINSVC_PREFIX/drive_c/winsvc}"
export WINEDEBUG="${WINEDEBUG:--all}"
export WINEARCH=win64
# Skip the wine-mono / wine-gecko installers (they would prompt or download).
export WINEDLLOVERRIDES="${WINEDLLOVERRIDES:-mscoree,mshtml=}"
# No X server is needed or wanted.
unset DISPLAY WAYLAND_DISPLAY

# Debian's /usr/bin/wine is a script that prefers the 32-bit loader when wine32
# is installed; our binaries are 64-bit, so call the 64-bit loader directly.
_winsvc_find_tools() {
	if [ -x /usr/lib/wine/wine64 ]; then
		WINSVC_WINE=/usr/lib/wine/wine64
	elif command -v wine64 >/dev/null 2>&1; then
		WINSVC_WINE="$(command -v wine64)"
	elif command -v wine >/dev/null 2>&1; then
		WINSVC_WINE="$(command -v wine)"
	else
		WINSVC_WINE=""
	fi
	if [ -x /usr/lib/wine/wineserver64 ]; then
		WINSVC_WINESERVER=/usr/lib/wine/wineserver64
	elif command -v wineserver >/dev/null 2>&1; then
		WINSVC_WINESERVER="$(command -v wineserver)"
	else
		WINSVC_WINESERVER=""
	fi
	export WINSVC_WINE WINSVC_WINESERVER
	if [ -n "$WINSVC_WINE" ]; then
		export WINELOADER="$WINSVC_WINE"
	fi
}
_winsvc_find_tools

_winsvc_log() { echo "wine-env: $*" >&2; }

_winsvc_pidfile() { echo "$WINSVC_PREFIX/winsvc-sleeper.pid"; }

# _winsvc_sleeper_pid prints the pid of this prefix's running sleeper, or fails.
_winsvc_sleeper_pid() {
	local f pid
	f="$(_winsvc_pidfile)"
	[ -r "$f" ] || return 1
	pid="$(cat "$f" 2>/dev/null)"
	[ -n "$pid" ] || return 1
	# Guard against a recycled pid: the process must be our sleeper.
	tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -q 'sleeper\.exe' || return 1
	echo "$pid"
}

# _winsvc_safe_prefix refuses to delete anything that is not obviously a
# throw-away prefix.
_winsvc_safe_prefix() {
	case "$WINSVC_PREFIX" in
	"" | / | /tmp | /tmp/ | "$HOME" | "$HOME/" | "$HOME/.wine" | "$HOME/.wine/")
		_winsvc_log "refusing to use WINSVC_PREFIX='$WINSVC_PREFIX'"
		return 1
		;;
	/*) ;;
	*)
		_winsvc_log "WINSVC_PREFIX must be an absolute path (got '$WINSVC_PREFIX')"
		return 1
		;;
	esac
	if [ -e "$WINSVC_PREFIX" ] && [ -n "$(ls -A "$WINSVC_PREFIX" 2>/dev/null)" ] &&
		[ ! -d "$WINSVC_PREFIX/drive_c" ] && [ ! -d "$WINSVC_PREFIX/dosdevices" ]; then
		_winsvc_log "refusing to touch $WINSVC_PREFIX: not empty and not a Wine prefix"
		return 1
	fi
}

# _winsvc_count_scm prints how many services.exe processes run in this prefix.
_winsvc_count_scm() {
	local d n=0
	for d in /proc/[0-9]*; do
		tr '\0' ' ' 2>/dev/null <"$d/cmdline" | grep -qi 'system32\\services\.exe' || continue
		tr '\0' '\n' 2>/dev/null <"$d/environ" | grep -qx "WINEPREFIX=$WINSVC_PREFIX" && n=$((n + 1))
	done
	echo "$n"
}

wine_install() {
	_winsvc_apt_install wine64 wine gcc-mingw-w64-x86-64-win32 || return 1
	_winsvc_find_tools
}

tools_install() {
	_winsvc_apt_install graphviz
}

# _winsvc_apt_install PKG... installs the Debian packages among PKG that are
# not installed (as root, or through sudo).
_winsvc_apt_install() {
	local missing="" p sudo=""
	for p in "$@"; do
		dpkg -s "$p" 2>/dev/null | grep -q '^Status: install ok installed' || missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	if [ "$(id -u)" != 0 ]; then
		if command -v sudo >/dev/null 2>&1; then
			sudo="sudo -n"
		else
			_winsvc_log "missing packages:$missing; run as root or install them"
			return 1
		fi
	fi
	_winsvc_log "installing:$missing"
	# shellcheck disable=SC2086
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q </dev/null >&2 || return 1
	# shellcheck disable=SC2086
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing </dev/null >&2
}

# wine_build_tools compiles the shim DLL and the sleeper into $WINSVC_BUILD.
wine_build_tools() {
	local cc=x86_64-w64-mingw32-gcc shim="$WINSVC_ROOT/internal/testbed/shim"
	command -v "$cc" >/dev/null 2>&1 || { _winsvc_log "$cc not found (run wine_install)"; return 1; }
	mkdir -p "$WINSVC_BUILD" || return 1
	"$cc" -shared -O2 -s -o "$WINSVC_BUILD/bcryptprimitives.dll" \
		"$shim/bcryptprimitives.c" "$shim/bcryptprimitives.def" -lbcrypt || return 1
	"$cc" -O2 -s -o "$WINSVC_BUILD/sleeper.exe" "$WINSVC_ROOT/internal/testbed/sleeper/sleeper.c" || return 1
}

wine_setup() {
	local pid i
	[ -n "$WINSVC_WINE" ] && [ -n "$WINSVC_WINESERVER" ] || { _winsvc_log "wine not found (run wine_install)"; return 1; }
	_winsvc_safe_prefix || return 1
	if pid="$(_winsvc_sleeper_pid)"; then
		_winsvc_log "prefix $WINSVC_PREFIX already set up (sleeper pid $pid)"
		return 0
	fi
	# A leftover prefix from an aborted run: start from scratch.
	wine_teardown || return 1

	mkdir -p "$WINSVC_PREFIX" || return 1
	# Redirect everything: wineserver and services.exe inherit these descriptors
	# and would otherwise keep the caller's pipes (CI logs, | tee) open.
	if ! "$WINSVC_WINE" wineboot -i </dev/null >"$WINSVC_PREFIX/wineboot.log" 2>&1; then
		_winsvc_log "wineboot -i failed:"
		cat "$WINSVC_PREFIX/wineboot.log" >&2
		return 1
	fi
	wine_build_tools || return 1
	cp "$WINSVC_BUILD/bcryptprimitives.dll" "$WINSVC_PREFIX/drive_c/windows/system32/bcryptprimitives.dll" || return 1
	# Restart the prefix's server. Right after `wineboot -i` Wine 8 runs two
	# services.exe instances (two SCMs: a service created through one is 1060
	# in the other, and StartService times out with 1053). A fresh boot by the
	# sleeper below brings up exactly one. The registry is saved on the way.
	"$WINSVC_WINESERVER" -k </dev/null >/dev/null 2>&1
	"$WINSVC_WINESERVER" -w </dev/null >/dev/null 2>&1

	"$WINSVC_WINE" "$WINSVC_BUILD/sleeper.exe" </dev/null >>"$WINSVC_PREFIX/sleeper.log" 2>&1 &
	echo $! >"$(_winsvc_pidfile)"

	# Ready when the sleeper runs and the SCM answers a query.
	for i in $(seq 1 100); do
		if _winsvc_sleeper_pid >/dev/null &&
			"$WINSVC_WINE" sc query PlugPlay </dev/null >/dev/null 2>&1; then
			i="$(_winsvc_count_scm)"
			if [ "$i" != 1 ]; then
				_winsvc_log "warning: $i services.exe processes run in $WINSVC_PREFIX (expected 1)"
			fi
			_winsvc_log "prefix $WINSVC_PREFIX ready (sleeper pid $(_winsvc_sleeper_pid))"
			return 0
		fi
		sleep 0.1
	done
	_winsvc_log "prefix did not become ready (sleeper alive: $(_winsvc_sleeper_pid >/dev/null && echo yes || echo no))"
	return 1
}

wine_teardown() {
	local pid
	_winsvc_safe_prefix || return 1
	if pid="$(_winsvc_sleeper_pid)"; then
		kill "$pid" 2>/dev/null
	fi
	if [ -d "$WINSVC_PREFIX" ] && [ -n "$WINSVC_WINESERVER" ]; then
		# -k kills every process of this prefix's server; -w waits until it is gone.
		"$WINSVC_WINESERVER" -k </dev/null >/dev/null 2>&1
		"$WINSVC_WINESERVER" -w </dev/null >/dev/null 2>&1
	fi
	# A WINSVC_BUILD outside the prefix is left alone.
	rm -rf "$WINSVC_PREFIX"
}
