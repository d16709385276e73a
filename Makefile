# The two commands of the README: `make run` and `make test`. Everything else is a step of theirs.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := portal.settings

.PHONY: run test setup deps messages lint check bench bench-gpa bench-vote bench-appeals bench-appeals-sweep clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

deps: $(STAMP)

messages: deps
	$(BIN)/python manage.py compilemessages --ignore "$(VENV)/*" -v 0

setup: deps
	./scripts/system-deps.sh
	$(MAKE) messages
	DEBUG=1 $(BIN)/python manage.py migrate --no-input -v 0
	DEBUG=1 $(BIN)/python manage.py createcachetable

## make run: set up everything, seed demo data, start the web server and a Celery worker with beat.
run: setup
	DEBUG=1 $(BIN)/python manage.py seed_demo --if-empty
	DEBUG=1 $(BIN)/python manage.py seed_academics --if-empty
	DEBUG=1 $(BIN)/python manage.py seed_elections --if-empty
	DEBUG=1 $(BIN)/python manage.py seed_appeals --if-empty
	DEBUG=1 $(BIN)/python manage.py demo_logins --port $(PORT)
	@trap 'kill 0' EXIT INT TERM; \
	DEBUG=1 $(BIN)/celery -A portal worker -B --loglevel=WARNING --concurrency=1 \
	  --schedule=var/celerybeat-schedule & \
	DEBUG=1 $(BIN)/python manage.py runserver 0.0.0.0:$(PORT)

## make test: the whole test suite (SQLite by default; Postgres/Redis when DATABASE_URL/REDIS_URL are set).
test: deps
	./scripts/system-deps.sh chromium poppler-utils
	$(MAKE) messages
	$(BIN)/pytest $(PYTEST_ARGS)

lint: deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .

check: deps
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run
	DEBUG=0 SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(60))') \
	  ALLOWED_HOSTS=portal.example.edu.kz $(BIN)/python manage.py check --deploy --fail-level WARNING
	./scripts/system-deps.sh docker-compose
	docker-compose -f docker-compose.yml config --quiet  # no Docker engine here: the file is parsed, not run

## make bench: the benchmark harness (Postgres required; not part of the tests).
bench: deps
	./scripts/system-deps.sh wrk
	$(BIN)/python bench/run.py $(BENCH_ARGS)

## make bench-gpa: GPA and transfer decisions for 30,000 students x 40 grades (Postgres required; not part of the tests).
bench-gpa: deps
	$(BIN)/python bench/gpa.py $(BENCH_ARGS)

## make bench-vote: 30,000 voters cast over HTTP, the integrity check, the tally of 100,000 ballots (Postgres required).
bench-vote: deps
	./scripts/system-deps.sh wrk
	$(BIN)/python bench/vote.py $(BENCH_ARGS)

## make bench-appeals: the dean's triage page over 100,000 applications and filing over HTTP, next to the floor (Postgres required).
bench-appeals: deps
	./scripts/system-deps.sh wrk
	$(BIN)/python bench/appeals_bench.py $(BENCH_ARGS)

## make bench-appeals-sweep: the AP-19 reminder sweep over 100,000 open cases, twice (Postgres required).
bench-appeals-sweep: deps
	$(BIN)/python bench/appeals_sweep.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var
