# eventapp — the two commands a fresh machine needs are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app eventapp
STAMP := $(VENV)/.installed
LOCK := requirements.lock
# What `make lock` resolves: the package with its dev extras, and the build backend that
# `pip install -e .` needs (pip runs it without build isolation, so it must be locked too).
LOCK_FLAGS := pyproject.toml - --extra dev --universal --python-version 3.11 --generate-hashes
SHELL := bash
TRANSLATIONS := $(wildcard eventapp/translations/*/LC_MESSAGES/messages.po)

.PHONY: install lock run test test-sqlite test-postgres lint bench bench-ics-corpus translations clean

# Installs exactly the locked versions (hash-checked), then the package itself without
# resolving anything: a fresh machine gets what CI tested, whatever PyPI holds that day.
# A new venv each time the lock moves, so a package dropped from the lock is gone too.
$(STAMP): $(LOCK) pyproject.toml
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	$(PY) -m pip check
	touch $(STAMP)

# Re-resolve the lock to the newest releases the ranges in pyproject.toml allow, and say
# what moved. `make lock PACKAGE=flask` moves that one package only.
# uv runs from a venv of its own: the project's venv cannot be installed while pyproject.toml
# asks for a package the lock does not hold yet (pip check refuses it).
LOCK_VENV := .venv-lock
$(LOCK_VENV)/bin/uv:
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/pip install --quiet "uv==$$(sed -n 's/^uv==\([^ ]*\).*/\1/p' $(LOCK))"

lock: $(LOCK_VENV)/bin/uv
	cp $(LOCK) $(LOCK_VENV)/lock.before
	printf 'setuptools>=68\n' | $(LOCK_VENV)/bin/uv pip compile $(LOCK_FLAGS) --quiet \
		$(if $(PACKAGE),--upgrade-package $(PACKAGE),--upgrade) -o $(LOCK)
	@diff <(grep -oE '^[a-z0-9._-]+==[^ ;]+( ; .*[^ \\])?' $(LOCK_VENV)/lock.before) \
	      <(grep -oE '^[a-z0-9._-]+==[^ ;]+( ; .*[^ \\])?' $(LOCK)) \
	      | sed -n 's/^< /  was: /p; s/^> /  now: /p' || true
	@cmp -s $(LOCK_VENV)/lock.before $(LOCK) && echo "nothing moved" || echo "run make test, then commit $(LOCK)"

install: $(STAMP) translations

translations: $(STAMP)
	$(VENV)/bin/pybabel compile --use-fuzzy --statistics -d eventapp/translations

instance/secret_key:
	mkdir -p instance
	$(PY) -c 'import secrets; print(secrets.token_hex(32))' > $@
	chmod 600 $@

run: install instance/secret_key
	$(FLASK) db upgrade
	$(FLASK) seed
	$(FLASK) seed seeds/demo-partnering.toml
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
	$(VENV)/bin/mypy

bench: install
	$(PY) -m bench

# Issue 23: import other projects' .ics test suites (folders or bare git repositories,
# kept outside this repository) and compare with vobject; see bench/README.md.
bench-ics-corpus: install
	@test -n "$(ICS_CORPUS)" || { echo "set ICS_CORPUS to the corpus folders"; exit 2; }
	$(PY) -m bench.ics_corpus $(ICS_CORPUS)

# Re-extract the interface strings after adding `_()` calls, then translate the .po file.
extract: install
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext --ignore-dirs '.*' -o eventapp/translations/messages.pot .
	$(VENV)/bin/pybabel update -i eventapp/translations/messages.pot -d eventapp/translations

clean:
	rm -rf $(VENV) $(LOCK_VENV) instance/eventapp.db
