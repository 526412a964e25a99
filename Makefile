# The two commands of the README: `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
export QTWEBENGINE_DISABLE_SANDBOX ?= 1

.PHONY: setup run test fuzz bench soak chaos chaos-hall hall-demo package clean lint

setup:
	@bash packaging/setup-env.sh

run: setup
	$(VENV)/bin/duty-console --demo

test: setup
	QT_QPA_PLATFORM=offscreen $(VENV)/bin/lint-imports --config pyproject.toml
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

# The fuzz suite long: random seeds, FUZZ_EXAMPLES examples per target (make test runs
# it seeded and short).
fuzz: setup
	QT_QPA_PLATFORM=offscreen FUZZ_PROFILE=fuzz FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-1000} $(PY) -m pytest -q tests/fuzz

bench: setup
	QT_QPA_PLATFORM=offscreen $(PY) -m bench

soak: setup
	$(PY) -m bench.soak --days 7 --speed 600

chaos: setup
	$(PY) -m console.sync.chaos --actions 5000 --workstations 4 --kills 12 --server-restarts 2 --server-kill

chaos-hall: setup
	$(PY) -m console.hall.chaos --actions 5000 --desks 4 --contenders 3 --sync-kills 5 --other-kills 10 --db-restarts 1

hall-demo: setup
	$(PY) -m console.hall.demo

package: setup
	bash packaging/build.sh

clean:
	rm -rf $(VENV) build dist
