# Two commands matter: `make run` (the whole local stack) and `make test` (the whole suite).
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint check-boundaries migrations-check schema-check bench proof clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

run: $(STAMP)
	./scripts/run.sh

test: $(STAMP)
	./scripts/test.sh $(TEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .

bench: $(STAMP)
	for b in benchmarks/*.py; do $(PY) $$b || exit 1; done

# Fuzz, load and faults against a live local stack (not part of `make test`); writes reports/proof-<time>.md.
# PROOF_MODE=full for the issue's numbers (4,000 sessions, 60 s broker stop, 90 s Stripe 502s); PROOF_ARGS for overrides.
PROOF_MODE ?= quick
proof: $(STAMP)
	$(PY) -m proof --mode $(PROOF_MODE) $(PROOF_ARGS)

clean:
	rm -rf $(VENV) var/staticfiles .pytest_cache
