#!/usr/bin/env bash
# Install Wine if needed and set up the test bed prefix (see wine-env.sh).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/wine-env.sh"
wine_install
wine_setup
