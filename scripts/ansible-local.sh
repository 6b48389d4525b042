#!/usr/bin/env bash
# scripts/ansible-local.sh - run a playbook of the winsvc.windows collection
# on this Linux machine, its modules under Wine.
#
#   bash scripts/ansible-local.sh PLAYBOOK [ansible-playbook ARGS...]
#
# The playbook's Windows hosts are this machine: the inventory puts
# localhost (connection local) in the group "windows", and the modules
# (Windows programs) run under Wine against the Service Control Manager of
# scripts/winsvc's prefix, which is set up when needed; `scripts/winsvc
# query NAME` shows what the playbook did. The collection is built
# (ansible/build.sh) and installed into the prefix when a source changed,
# with a wrapper next to each module that runs it under Wine
# (scripts/ansible-env.sh). ansible-core is installed when missing (as
# root, or through sudo). The exit status is ansible-playbook's.
#
# Environment: WINSVC_PREFIX, as for scripts/winsvc.
set -uo pipefail

export WINSVC_PREFIX="${WINSVC_PREFIX:-/tmp/winsvc-wine-cli}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/go-env.sh"
. "$here/wine-env.sh"
. "$here/ansible-env.sh"

say() { echo "scripts/ansible-local.sh: $*" >&2; }

[ $# -ge 1 ] || { echo "usage: scripts/ansible-local.sh PLAYBOOK [ansible-playbook ARGS...]" >&2; exit 2; }

"$here/winsvc" --setup || exit 1
ansible_install || exit 1

dir="$WINSVC_PREFIX/ansible"
stamp="$dir/installed"
if [ ! -f "$stamp" ] || [ -n "$(find "$WINSVC_ROOT" -path "$WINSVC_ROOT/.git" -prune -o -path "$WINSVC_ROOT/ansible/dist" -prune -o \
	\( -name '*.go' -o -path "$WINSVC_ROOT/ansible/collection/*" \) -newer "$stamp" -print -quit)" ]; then
	say "building and installing the winsvc.windows collection into $dir"
	ansible_collection "$dir" || { say "could not build or install the collection"; exit 1; }
	touch "$stamp"
fi
export ANSIBLE_COLLECTIONS_PATH="$dir/collections" ANSIBLE_LOCALHOST_WARNING=0 ANSIBLE_RETRY_FILES_ENABLED=0
printf '[windows]\nlocalhost ansible_connection=local ansible_python_interpreter=auto_silent\n' >"$dir/inventory.ini" || exit 1
exec ansible-playbook -i "$dir/inventory.ini" "$@"
