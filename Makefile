# Two commands set everything up: `make run` (portal on 127.0.0.1:5000) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export FLASK_APP := wsgi.py
PG_TEST_URL ?= postgresql://postgres@127.0.0.1:5432/test
REDIS_TEST_URL ?= redis://127.0.0.1:6379/9
# The unit and integration suite runs in two processes (pytest-xdist; tests/conftest.py gives each
# its own PostgreSQL and Redis database): CI's whole run must fit in its 90 minutes.
UNIT_JOBS ?= 2
# Our machines set PYTHONDONTWRITEBYTECODE=1: then every Python process (each test worker, each
# gunicorn and job worker a test or bench starts) compiles the portal and its libraries again,
# about 2 s of CPU each. Under make, bytecode is cached as usual (__pycache__ is ignored by git);
# the libraries' is compiled at install, so processes started outside make find it too.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: run install test test-unit test-pg test-pg-features test-browser drill bench bench-archive lighthouse lint audit i18n clean

# setuptools too: the copy venv puts in is years old, and the dependency audit reads every
# installed package.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip uv setuptools
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -e '.[test]'
	touch $(STAMP)

# The portal's bytecode too (only what changed): a service account that cannot write the
# checkout would otherwise compile it at every process start (docs/operations.md).
install: $(STAMP)
	$(BIN)/pybabel -q compile -d portal/translations
	$(BIN)/python -m compileall -q -j 0 portal wsgi.py

# The job worker (queue consumer, periodic jobs, delivery) runs beside the web server and
# stops with it.
run: install
	PORTAL_ENV=development $(BIN)/flask db upgrade
	PORTAL_ENV=development $(BIN)/flask demo load
	PORTAL_ENV=development $(BIN)/flask jobs worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
	PORTAL_ENV=development $(BIN)/flask run --host 127.0.0.1 --port 5000

# The whole suite: unit and integration tests on SQLite, then the browser tests.
test: test-unit test-browser

test-unit: install
	$(BIN)/python -m pytest -m "not browser" -q -n $(UNIT_JOBS)

# The same suite against PostgreSQL (starts the local server when it is down), then in a
# browser on PostgreSQL too (sibling databases <db>_flow, <db>_live, <db>_admin): the
# petitions' whole flow and their other browser tests (authors, signing, support and
# verification, the session's back links, the admin pages), and issue 13's (a letter from
# submission to answer; subscribe, confirm, receive, one-click leave, STOP by SMS; a broadcast).
PETITION_BROWSER_TESTS = tests/e2e/test_petition_flow_browser.py tests/e2e/test_petitions_browser.py \
	tests/e2e/test_petition_authors_browser.py tests/e2e/test_petition_sessions_browser.py \
	tests/e2e/admin/test_petitions_admin_browser.py
PG_BROWSER_TESTS = tests/e2e/test_letters_browser.py tests/e2e/test_subscriptions_browser.py \
	tests/e2e/test_subscription_flow_browser.py tests/e2e/admin/test_letters_admin_browser.py \
	tests/e2e/admin/test_subscriptions_admin_browser.py

test-pg: install
	scripts/ensure-services.sh
	TEST_DATABASE_URL=$(PG_TEST_URL) REDIS_URL=$(REDIS_TEST_URL) $(BIN)/python -m pytest -m "not browser" -q -n $(UNIT_JOBS)
	scripts/ensure-chromium.sh
	TEST_DATABASE_URL=$(PG_TEST_URL) REDIS_URL=$(REDIS_TEST_URL) $(BIN)/python -m pytest -q $(PETITION_BROWSER_TESTS) $(PG_BROWSER_TESTS)

# The newer features' flows (surveys, services, satisfaction, grants, projects, saved archive
# searches, news, the tour's sights, members' activity reports, public consultations, …) in a
# browser on PostgreSQL: run before resolving their issues; not part of test-pg, to keep CI's
# run short.
PG_FEATURE_BROWSER_TESTS = tests/e2e/test_surveys_browser.py tests/e2e/test_services_browser.py \
	tests/e2e/test_satisfaction_browser.py tests/e2e/test_grants_browser.py \
	tests/e2e/test_news_browser.py tests/e2e/admin/test_news_admin_browser.py \
	tests/e2e/test_projects_browser.py tests/e2e/test_search_alerts_browser.py \
	tests/e2e/test_tour_browser.py tests/e2e/test_member_reports_browser.py \
	tests/e2e/test_consultations_browser.py tests/e2e/test_service_applications_browser.py \
	tests/e2e/test_documents_browser.py tests/e2e/test_survey_confirmed_browser.py \
	tests/e2e/admin/test_surveys_admin_browser.py

test-pg-features: install
	scripts/ensure-services.sh
	scripts/ensure-chromium.sh
	TEST_DATABASE_URL=$(PG_TEST_URL) REDIS_URL=$(REDIS_TEST_URL) $(BIN)/python -m pytest -q $(PG_FEATURE_BROWSER_TESTS)

test-browser: install
	scripts/ensure-chromium.sh
	$(BIN)/python -m pytest -m browser -q

bench: install
	$(BIN)/python bench/pages.py

# Front-end budgets in Lighthouse (npm, bench/lighthouse/) on Debian's Chromium, mobile:
# every public page template (about 25 min for --runs 3 on 2 busy cores; --quick: 1 min).
lighthouse: install
	scripts/ensure-lighthouse.sh
	$(BIN)/python bench/lighthouse.py $(LIGHTHOUSE_ARGS)

# The backup drill (portal/backup.py): back up the demo portal, restore it into a fresh
# database, serve the public pages from it, compare every table and file; SQLite, then
# PostgreSQL (a scratch database beside the tests', and its _restore sibling).
PG_DRILL_URL ?= $(patsubst %/test,%/drill,$(PG_TEST_URL))
drill: install
	$(BIN)/python bench/backup_drill.py
	scripts/ensure-services.sh
	$(BIN)/python bench/backup_drill.py --database-url $(PG_DRILL_URL)

# Council archive search and sync quota (issue 5); add --database-url for PostgreSQL.
bench-archive: install
	$(BIN)/python bench/archive_search.py --quick

# Static analysis (in .ci/run): ruff, and bandit's high-severity findings (none today).
lint: install
	$(BIN)/ruff check portal tests bench scripts
	$(BIN)/bandit -q -r portal -lll
	$(BIN)/python scripts/dependency_audit.py

# Dependency audit (issue 17): every installed package against PyPI's or OSV's advisories,
# with --strict so a package that could not be audited fails instead of passing silently.
# On our build machines neither service answers (pypi.org's per-release pages are 404, api.osv.dev
# does not resolve), but PyPI's project pages do: then every package that is its latest release
# is audited from them (any finding fails) and the others are listed as not audited;
# PORTAL_REQUIRE_AUDIT=1 makes an incomplete audit fail (docs/performance.md, "Dependency audit").
audit: install
	PORTAL_REQUIRE_AUDIT=1 $(BIN)/python scripts/dependency_audit.py

i18n: install
	PORTAL_ENV=development $(BIN)/flask i18n extract

clean:
	rm -rf $(VENV) instance .pytest_cache
