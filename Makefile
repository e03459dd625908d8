# The two commands of the README. Both set up what they need on a fresh
# Debian machine with Python 3.11 (run as root for the apt-get step).
PYTHON ?= python3
PIP ?= $(PYTHON) -m pip

.PHONY: build test install test-deps system-deps

# The main job: install rivalgraph, build the graph from data/, write exports/.
build: install
	rivalgraph build

# Every test: installs the test tools (Chromium, raptor, Oxigraph server), then runs pytest.
test: test-deps
	$(PYTHON) -m pytest

install:
	$(PIP) install --quiet --disable-pip-version-check -e .

test-deps: system-deps
	$(PIP) install --quiet --disable-pip-version-check -e '.[test]'

system-deps:
	bash scripts/install-system-deps.sh
