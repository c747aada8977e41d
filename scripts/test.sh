#!/usr/bin/env bash
# Set up and run the whole test suite: on SQLite, then on PostgreSQL.
# Installs what the tests need: Python packages in .venv, Debian's chromium for the
# end-to-end tests, and starts PostgreSQL when it is not running.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh --dev

if ! command -v chromium >/dev/null 2>&1 || ! command -v msgfmt >/dev/null 2>&1 \
    || ! command -v pdftoppm >/dev/null 2>&1 || [ ! -e /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ]; then
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
            chromium fonts-noto-cjk fonts-wqy-zenhei poppler-utils gettext >/dev/null
    else
        echo "chromium or gettext missing: install them with apt-get (as root)" >&2
    fi
fi
.venv/bin/dossier compilemessages --ignore=.venv >/dev/null

pg_url=${DOSSIER_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/postgres}
if ! .venv/bin/python - "$pg_url" <<'PY' 2>/dev/null
import sys, psycopg
psycopg.connect(sys.argv[1], connect_timeout=3).close()
PY
then
    if command -v pg_ctlcluster >/dev/null 2>&1; then
        pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
        sleep 2
    fi
fi

# The Celery test needs Redis on loopback (the broker of larger sites).
if ! (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null && command -v redis-server >/dev/null 2>&1; then
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
        >/dev/null || true
    sleep 1
fi

status=0
echo "== lint and types"
.venv/bin/ruff check src tests bench || status=$?
.venv/bin/ruff format --check src tests bench || status=$?
.venv/bin/mypy src bench || status=$?
echo "== tests on SQLite"
.venv/bin/pytest -p no:cacheprovider -n 2 "$@" || status=$?
echo "== tests on PostgreSQL"
DATABASE_URL=$pg_url .venv/bin/pytest -p no:cacheprovider -n 2 -m "not e2e" "$@" || status=$?
echo "== benchmarks (small scale)"
.venv/bin/python -m bench --scale small || status=$?
exit $status
