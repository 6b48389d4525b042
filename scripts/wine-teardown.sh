#!/usr/bin/env bash
# Stop the test bed's Wine processes and remove its prefix (see wine-env.sh).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/wine-env.sh"
wine_teardown
