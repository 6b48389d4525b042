# shellcheck shell=bash
# scripts/ansible-env.sh - the winsvc.windows collection on this Linux host,
# its modules running under Wine.
#
# Source this file after scripts/wine-env.sh; do not execute it. It defines:
#
#   ansible_install      apt-get install ansible-core when ansible-playbook is missing
#   ansible_collection DIR
#                        build the collection (ansible/build.sh) into DIR/dist, install it
#                        into DIR/collections with ansible-galaxy, and put next to each
#                        module .exe the wrapper Ansible runs in its place on this host:
#
#                          #!/bin/sh
#                          # WANT_JSON
#                          exec env WINEPREFIX=... wine64 .../service.exe "$1"
#
#                        so that the real module runs under Wine against the SCM of
#                        $WINSVC_PREFIX (which must be set up: wine_setup). It exports
#                        ANSIBLE_COLLECTIONS_PATH=DIR/collections.
#
# Both return non-zero on failure and never call exit.

ansible_install() {
	command -v ansible-playbook >/dev/null 2>&1 && return 0
	local sudo=""
	if [ "$(id -u)" != 0 ]; then
		command -v sudo >/dev/null 2>&1 || { echo "ansible-env: ansible-core is missing; run as root or install it (apt-get install ansible-core)" >&2; return 1; }
		sudo="sudo -n"
	fi
	echo "ansible-env: installing ansible-core" >&2
	# shellcheck disable=SC2086
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends ansible-core </dev/null >/dev/null ||
		{ $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q </dev/null >/dev/null &&
			$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends ansible-core </dev/null >/dev/null; }
}

# _ansible_quote prints $1 quoted for sh.
_ansible_quote() { printf "'%s'" "${1//\'/\'\\\'\'}"; }

ansible_collection() {
	local dir=$1 modules m
	export ANSIBLE_COLLECTIONS_PATH="$dir/collections"
	bash "$WINSVC_ROOT/ansible/build.sh" "$dir/dist" >&2 || return 1
	ansible-galaxy collection install --force -p "$dir/collections" "$dir"/dist/winsvc-windows-*.tar.gz >&2 || return 1
	modules="$dir/collections/ansible_collections/winsvc/windows/plugins/modules"
	for m in service service_info; do
		[ -f "$modules/$m.exe" ] || { echo "ansible-env: the installed collection has no $m.exe" >&2; return 1; }
		{
			echo '#!/bin/sh'
			echo '# WANT_JSON'
			echo "exec env WINEPREFIX=$(_ansible_quote "$WINSVC_PREFIX") WINEDEBUG=-all WINEDLLOVERRIDES='$WINEDLLOVERRIDES' $(_ansible_quote "$WINSVC_WINE") $(_ansible_quote "$modules/$m.exe") \"\$1\""
		} >"$modules/$m" || return 1
		chmod +x "$modules/$m" || return 1
	done
}
