# Two commands for a newcomer:
#   make run   set up and serve Dossier with real demo data at http://127.0.0.1:8000
#   make test  set up and run the whole test suite (SQLite and PostgreSQL)

.PHONY: run test setup lint typecheck bench

run:
	bash scripts/run.sh

test:
	bash scripts/test.sh

setup:
	bash scripts/setup.sh

lint:
	.venv/bin/ruff check src tests bench
	.venv/bin/ruff format --check src tests bench

typecheck:
	.venv/bin/mypy src

bench:
	.venv/bin/python -m bench
