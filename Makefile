# Zizhi: `make run` sets up and serves the app with demo data; `make test` sets up and tests.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export ZIZHI_DEV ?= 1
export DEBUG ?= true
# The suite runs on two processes (pytest-xdist); PYTEST_ARGS="-n 0" runs it in one.
PYTEST_ARGS ?= -n 2

.PHONY: run test fuzz setup lint bench clean

$(BIN)/zizhi: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[test]"
	touch $(BIN)/zizhi

# Compile translations with Babel (no GNU gettext needed). A catalogue whose header is
# marked "#, fuzzy" is skipped by pybabel, so keep that mark off the header.
setup: $(BIN)/zizhi
	$(BIN)/pybabel compile -D django -d zizhi/locale

run: setup
	mkdir -p var
	$(BIN)/zizhi migrate --no-input -v0
	$(BIN)/zizhi demo --if-empty
	$(BIN)/zizhi collectstatic --no-input -v0
	$(BIN)/zizhi demo --logins
	$(BIN)/zizhi runserver 127.0.0.1:$(PORT)

test: setup
	$(BIN)/ruff check .
	$(BIN)/pytest $(PYTEST_ARGS)

# schemathesis over every API operation (fuzz/, outside the suite's testpaths), each example
# sent as anonymous, a resident and a community worker; DATABASE_URL picks the database.
FUZZ_ARGS ?= -n 2
fuzz: setup
	$(BIN)/pytest $(FUZZ_ARGS) fuzz

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check . || true

bench: setup
	$(BIN)/python bench/import_roster.py

clean:
	rm -rf $(VENV) var test-output
