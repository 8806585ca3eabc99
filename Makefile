# EXAFSKit: `make demo` runs the main job on the bundled samples, `make test` runs the tests.
# Both install the system libraries they need (FFTW3, GSL, cairo, pkg-config) with apt-get when missing;
# `make test` also installs Debian's chromium, which renders the HTML report in a headless browser test.

SWIFT ?= swift
DEMO_OUT ?= demo-output
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps deps-test docs build demo test bench reference clean

deps:
	@if ! pkg-config --exists fftw3 gsl zlib cairo hdf5 2>/dev/null || ! command -v feff6l >/dev/null 2>&1; then \
	  echo "Installing libfftw3-dev libgsl-dev libcairo2-dev libhdf5-dev pkg-config zlib1g-dev feff85exafs with apt-get"; \
	  $(SUDO) apt-get update && $(SUDO) apt-get install -y libfftw3-dev libgsl-dev libcairo2-dev libhdf5-dev pkg-config zlib1g-dev fonts-dejavu-core feff85exafs; \
	fi

# Only for the tests: headless Chromium for Tests/exafsTests/ReportBrowserTests.swift, chromium-driver and
# python3-selenium for Tests/exafsTests/ViewerTests.swift (Tests/Browser/viewer_browser.py), Debian's ifeffit
# for Tests/EXAFSKitTests/Validation/AthenaIfeffitTests.swift, Debian's slurm-wlm and munge for
# Tests/exafsTests/SlurmTests.swift (a one-node cluster on loopback; each skipped without it), and xraylarch
# (pip) for the live Larch tests (read_athena of what we write, numpy reading our columns).
deps-test:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  echo "Installing chromium with apt-get (headless browser test of index.html)"; \
	  $(SUDO) apt-get update && $(SUDO) apt-get install -y chromium \
	    || echo "warning: chromium could not be installed; the browser test of index.html will be skipped"; \
	fi
	@if ! command -v chromedriver >/dev/null 2>&1 || ! /usr/bin/python3 -c 'import selenium' 2>/dev/null; then \
	  echo "Installing chromium-driver python3-selenium with apt-get (browser test of exafs view)"; \
	  $(SUDO) apt-get update && $(SUDO) apt-get install -y chromium-driver python3-selenium \
	    || echo "warning: chromium-driver/python3-selenium could not be installed; the exafs view browser test will be skipped"; \
	fi
	@if ! command -v ifeffit >/dev/null 2>&1; then \
	  echo "Installing ifeffit with apt-get (Athena's pre-Larch backend, compared in AthenaIfeffitTests)"; \
	  $(SUDO) apt-get update && $(SUDO) apt-get install -y ifeffit \
	    || echo "warning: ifeffit could not be installed; the comparison with IFEFFIT will be skipped"; \
	fi
	@if ! command -v slurmctld >/dev/null 2>&1 || ! command -v munged >/dev/null 2>&1; then \
	  echo "Installing slurm-wlm munge with apt-get (the SLURM array job of Docs/batch.md, run in SlurmTests)"; \
	  $(SUDO) apt-get update && $(SUDO) apt-get install -y slurm-wlm munge \
	    || echo "warning: slurm-wlm/munge could not be installed; the SLURM array-job test will be skipped"; \
	fi
	@python3 -c 'import larch' 2>/dev/null || { echo "Installing xraylarch==2026.3.1 with pip (live Larch tests)"; \
	  pip install xraylarch==2026.3.1; }

# The DocC catalog of EXAFSKit (Sources/EXAFSKit/EXAFSKit.docc), built so that it cannot rot.
docs:
	$(SWIFT) package --allow-writing-to-directory .build/docs generate-documentation --target EXAFSKit \
	  --output-path .build/docs

# The Swift runtime and Foundation are linked statically (--static-swift-stdlib): an exafs process then
# starts in about 15 ms instead of 45 ms (no 20 Swift shared libraries to load and relocate), which
# matters for job arrays and scripts that start exafs many times (Docs/batch.md, Speed).
build: deps
	$(SWIFT) build -c release --static-swift-stdlib

demo: build
	rm -rf $(DEMO_OUT)
	./.build/release/exafs process SampleSpectra/simulated/tacl6_bend00_sim_transmission.dat \
	  SampleSpectra/simulated/tacl6_bend20_sim_transmission.dat --wavelet morlet --hinge tacl6 --plot -o $(DEMO_OUT)/ta-l3
	./.build/release/exafs compare SampleSpectra/simulated/tacl6_bend00_sim_transmission.dat \
	  SampleSpectra/simulated/tacl6_bend20_sim_transmission.dat --hinge tacl6 -o $(DEMO_OUT)/ta-l3-compare
	./.build/release/exafs process SampleSpectra/cu_metal_rt.xdi --mu 'ln(i0/itrans)' -o $(DEMO_OUT)/cu-foil
	@echo
	@echo "Outputs: $(CURDIR)/$(DEMO_OUT) (NAME.nor, NAME.chik, NAME.chir, NAME.json per spectrum)"
	@echo "Reports: $(CURDIR)/$(DEMO_OUT)/ta-l3/index.html and $(CURDIR)/$(DEMO_OUT)/ta-l3-compare/index.html"

test: deps deps-test docs
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# Side-by-side speed benchmark against Larch (installs xraylarch with pip if missing).
bench: build
	@python3 -c 'import larch' 2>/dev/null || pip install xraylarch==2026.3.1
	python3 Benchmarks/bench.py

# Regenerate the Larch reference fixtures (needs `pip install xraylarch`; the fitting fixtures also need feff85exafs).
reference:
	python3 Tests/Reference/make_reference.py
	python3 Tests/Reference/make_fit_reference.py
	python3 Tests/Reference/make_mixture_reference.py
	python3 Tests/Reference/make_e0_reference.py
	python3 Tests/Reference/make_backtransform_reference.py

clean:
	rm -rf .build $(DEMO_OUT)
