# civicpost: `make demo` starts it with demo data, `make test` runs every check.
PYTHON ?= python3
UV := $(PYTHON) -m uv
TEST_DATA := .cache/test-data

.PHONY: install demo test lint test-sqlite test-postgres evaluate

install:
	@$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet --disable-pip-version-check "uv>=0.9"
	$(UV) sync --frozen

demo: install
	$(UV) run civicpost demo

lint: install
	$(UV) run ruff check .
	$(UV) run mypy

test-sqlite: install
	CIVICPOST_DATA_DIR=$(TEST_DATA) DATABASE_URL= $(UV) run pytest

test-postgres: install
	@url=$$(scripts/postgres-url) || { \
	  if [ -n "$$CIVICPOST_REQUIRE_POSTGRES" ]; then echo "PostgreSQL cannot be had here" >&2; exit 1; fi; \
	  echo "SKIPPED: no PostgreSQL could be found or started (see scripts/postgres-url)"; exit 0; }; \
	url="$${url}_$$$$"; echo "Running the suite on $$url (pytest creates test_$${url##*/})"; \
	CIVICPOST_DATA_DIR=$(TEST_DATA) DATABASE_URL=$$url $(UV) run pytest

evaluate: install
	@for corpus in drafts holdout fresh unseen blind; do \
	  echo "== tests/corpus/$$corpus.jsonl"; \
	  $(UV) run civicpost policy evaluate tests/corpus/$$corpus.jsonl --policy tests/corpus/policy || exit 1; \
	done

test: lint test-sqlite test-postgres evaluate
