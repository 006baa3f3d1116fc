# eventapp — the two commands a fresh machine needs are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app eventapp
STAMP := $(VENV)/.installed
TRANSLATIONS := $(wildcard eventapp/translations/*/LC_MESSAGES/messages.po)

.PHONY: install run test test-sqlite test-postgres lint bench translations clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) translations

translations: $(STAMP)
	$(VENV)/bin/pybabel compile --use-fuzzy -q -d eventapp/translations 2>/dev/null || \
		$(VENV)/bin/pybabel compile -d eventapp/translations

instance/secret_key:
	mkdir -p instance
	$(PY) -c 'import secrets; print(secrets.token_hex(32))' > $@
	chmod 600 $@

run: install instance/secret_key
	$(FLASK) db upgrade
	$(FLASK) seed
	$(FLASK) run --host 127.0.0.1 --port 5000

test: install
	env -u TEST_DATABASE_URL $(PY) -m pytest -q
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== again on PostgreSQL ($$TEST_DATABASE_URL)"; \
		$(PY) -m pytest -q; \
	fi

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

bench: install
	$(PY) -m bench

# Re-extract the interface strings after adding `_()` calls, then translate the .po file.
extract: install
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext --ignore-dirs '.*' -o eventapp/translations/messages.pot .
	$(VENV)/bin/pybabel update -i eventapp/translations/messages.pot -d eventapp/translations

clean:
	rm -rf $(VENV) instance/eventapp.db
