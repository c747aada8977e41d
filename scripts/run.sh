#!/usr/bin/env bash
# Set up Dossier on its embedded SQLite database, load the real demo data when the
# database is empty, print the admin login once, and serve at http://127.0.0.1:8000.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
export DOSSIER_DATA_DIR=${DOSSIER_DATA_DIR:-$PWD/var}
# The demo is the product as staff see it: the house's own error pages, not Django's
# debug pages (DOSSIER_DEBUG=true brings those back).
export DOSSIER_DEBUG=${DOSSIER_DEBUG:-false}
.venv/bin/dossier migrate --no-input -v 0
.venv/bin/dossier demo --if-empty
addr=${DOSSIER_ADDR:-127.0.0.1:8000}
echo "Dossier: http://$addr"
exec .venv/bin/dossier serve "$addr"
