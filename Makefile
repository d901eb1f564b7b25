# The two entry points of the README: `make demo` and `make test`. Both install missing Debian
# packages first (apt-get, as root or through sudo), then configure and build with CMake.

BUILD_DIR ?= build
BUILD_TYPE ?= Release
JOBS ?= $(shell nproc)
RUN_DIR ?= runs/demo
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Debian 12 packages needed to build and test; the README says why each is there.
DEBIAN_PACKAGES := cmake g++ make pkg-config libopenblas-dev libcli11-dev libtomlplusplus-dev \
  nlohmann-json3-dev libspdlog-dev libfmt-dev libgtest-dev libgmock-dev libboost-math-dev libssl-dev \
  libbenchmark-dev python3 python3-numpy python3-scipy python3-sklearn python3-torch time \
  chromium chromium-driver libtorch-dev libdcmtk-dev libpng-dev libjpeg-dev zlib1g-dev \
  dataset-fashion-mnist

.PHONY: all deps configure build demo test bench clean

all: build

deps:
	@missing=""; for p in $(DEBIAN_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

configure: deps
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

demo: build
	$(BUILD_DIR)/src/cli/privaudit audit $(RUN_DIR) --config configs/nmes1988.toml

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

# Release build, inputs, privaudit and the Python baselines side by side; table in bench/out/results.md.
bench: deps
	bench/run_bench.sh

clean:
	rm -rf $(BUILD_DIR)
