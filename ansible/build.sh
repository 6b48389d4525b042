#!/usr/bin/env bash
# ansible/build.sh - build the winsvc.windows collection.
#
#   bash ansible/build.sh [OUTPUT_DIR]
#
# Builds the modules, Windows amd64 programs, into the collection
# (collection/plugins/modules/service.exe and service_info.exe) and the
# collection tarball winsvc-windows-VERSION.tar.gz in OUTPUT_DIR (default
# ansible/dist), which `ansible-galaxy collection install` takes. Needs Go
# and ansible-galaxy (Debian: apt-get install ansible-core).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$(mkdir -p "${1:-$here/dist}" && cd "${1:-$here/dist}" && pwd)"
. "$here/../scripts/go-env.sh"
go_require
cd "$here"

for module in service service_info; do
	CGO_ENABLED=0 GOOS=windows GOARCH=amd64 go build -trimpath -ldflags=-s \
		-o "collection/plugins/modules/$module.exe" "./cmd/$module"
done
command -v ansible-galaxy >/dev/null 2>&1 || {
	echo "build.sh: ansible-galaxy not found (apt-get install ansible-core)" >&2
	exit 1
}
ansible-galaxy collection build --force --output-path "$out" collection
