# fangkong — thin wrappers over CMake, CTest and the test runners.
#   make run    install what is missing, build, create a demo district, serve it on :8080
#   make test   install what is missing, build, run every test (unit, API on SQLite and PostgreSQL)
#   make bench  run the benchmarks and print their figures
#   make soak   kill -9 the server 100 times under concurrent scans, on SQLite and PostgreSQL

BUILD      ?= build/release
ASAN_BUILD ?= build/asan
JOBS       ?= $(shell nproc)
DEMO_DB    ?= demo.db
PORT       ?= 8080

.PHONY: all deps build build-asan web run test unit fuzz api api-sqlite api-postgres browser bench format clean

WEB_SRCS := $(shell find web/src web/public -type f 2>/dev/null) web/index.html web/vite.config.js web/pwa.config.js web/package-lock.json

all: build

deps:
	@scripts/deps.sh

$(BUILD)/build.ninja:
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null

# The release build is gcc's, the sanitizer build clang's: every file compiles warning-free
# under both, and the unit and API tests run on the sanitizer build.
$(ASAN_BUILD)/build.ninja:
	@CC=clang cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DFK_SANITIZE=ON >/dev/null

build: $(BUILD)/build.ninja
	@cmake --build $(BUILD) -j $(JOBS)

build-asan: $(ASAN_BUILD)/build.ninja
	@cmake --build $(ASAN_BUILD) -j $(JOBS)

web/dist/index.html: $(WEB_SRCS)
	@cd web && npx vite build --logLevel warn
	@touch $@

web: web/dist/index.html

run: deps build web
	@scripts/demo-run.sh $(BUILD)/fangkong $(DEMO_DB) $(PORT)

test: deps build build-asan web unit fuzz api browser

unit: build-asan
	@cd $(ASAN_BUILD) && $(CURDIR)/scripts/with-postgres.sh ctest --output-on-failure -j $(JOBS)

fuzz:
	@scripts/fuzz.sh

# Both stores at once (scripts/both-stores.sh); api-sqlite and api-postgres run one.
api: build-asan
	@FK_BIN=$(CURDIR)/$(ASAN_BUILD)/fangkong scripts/both-stores.sh api node --test --test-concurrency=2 tests/api/

api-sqlite: build-asan
	@FK_BIN=$(CURDIR)/$(ASAN_BUILD)/fangkong FK_STORE=sqlite node --test --test-concurrency=2 tests/api/

api-postgres: build-asan
	@FK_BIN=$(CURDIR)/$(ASAN_BUILD)/fangkong FK_STORE=postgres scripts/with-postgres.sh node --test --test-concurrency=2 tests/api/

browser: build web
	@cd web && npx vitest run --reporter=dot
	@node scripts/web-size.mjs web/dist
	@FK_BIN=$(CURDIR)/$(BUILD)/fangkong FK_WEB=$(CURDIR)/web/dist scripts/both-stores.sh browser node --test --test-concurrency=1 tests/browser/

bench: deps build
	@scripts/bench.sh $(BUILD) $(BENCH)

format:
	@clang-format -i $$(git ls-files 'src/*.c' 'src/*.h' 'tests/*.c' 'bench/*.c')

clean:
	@rm -rf build

# Crash safety at length (not part of test): tests/api/crash.test.mjs with 100 kill -9 trials
# on each store; make test runs the same file with its 5.
.PHONY: soak
soak: deps build-asan
	@FK_CRASH_TRIALS=100 FK_BIN=$(CURDIR)/$(ASAN_BUILD)/fangkong scripts/both-stores.sh soak node --test tests/api/crash.test.mjs
