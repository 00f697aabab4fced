# Everything a newcomer needs: `make run` and `make test`. Both install what they need first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.install-stamp

.PHONY: run test lint bench install migrate format clean messages demo

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

migrate: $(STAMP)
	$(BIN)/athlos migrate

run: migrate
	$(BIN)/athlos serve

# A believable world in the embedded database (idempotent); then `make run` and sign in as the demo person.
demo: migrate
	$(BIN)/athlos seed-demo

# Two test processes per core, eight at most (pytest-xdist): much of a test's time is spent waiting on
# the servers and browsers it starts. TEST_WORKERS=0 runs them all in this one. Tests that share an
# expensive module fixture keep to one process (``xdist_group`` with ``--dist loadgroup``).
TEST_WORKERS ?= $(shell n=$$(( $$(nproc) * 2 )); [ $$n -gt 8 ] && n=8; echo $$n)
test: $(STAMP)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

bench: $(STAMP)
	@for script in bench/bench_*.py; do echo "== $$script" >&2; $(BIN)/python $$script || exit 1; done

# Extract the texts to translate (templates and Python) and merge them into the ru and de catalogs.
messages: $(STAMP)
	$(BIN)/python -m athlos.web.messages

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
