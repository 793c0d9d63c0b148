# The okta receiver: `make run` starts a collector that reads Okta's System Log (the bundled simulator
# unless OKTA_ENDPOINT and OKTA_API_TOKEN are set), `make test` runs every test a change needs.

SHELL := /bin/bash
# The module proxy only: a `direct` fallback cannot reach anything on these machines and may hang.
export GOPROXY := https://proxy.golang.org
export GOFLAGS := -buildvcs=false

BUILDER_VERSION := v0.161.0
TOOLS_BIN := $(CURDIR)/_build/tools
BUILDER := $(TOOLS_BIN)/builder
DIST := _build/otelcol-okta
SIM := _build/oktasim
GO_SOURCES := $(shell find . -name '*.go' -not -name '*_test.go' -not -path './_build/*') go.mod go.sum

.PHONY: all build sim run test unit e2e fuzz bench generate vet clean catalog

all: test

$(BUILDER):
	GOBIN=$(TOOLS_BIN) go install go.opentelemetry.io/collector/cmd/builder@$(BUILDER_VERSION)

## build: the otelcol-okta distribution at _build/otelcol-okta
build: $(DIST)
$(DIST): $(BUILDER) builder-config.yaml $(GO_SOURCES)
	$(BUILDER) --config builder-config.yaml
	@echo "built $(DIST)"

## sim: the Okta simulator at _build/oktasim
sim: $(SIM)
$(SIM): $(GO_SOURCES)
	go build -o $(SIM) ./internal/oktasim/cmd/oktasim

## run: the collector against OKTA_ENDPOINT with OKTA_API_TOKEN, or against the bundled simulator
run: build sim
	./internal/tools/run.sh

## test: unit, simulator and end-to-end tests, the event catalog check, and a short run of each fuzz target
test: vet unit catalog fuzz e2e

unit:
	go test -race -count=1 ./...

e2e: build sim
	OTELCOL_OKTA=$(CURDIR)/$(DIST) OKTASIM=$(CURDIR)/$(SIM) go test -count=1 -tags e2e -timeout 20m -v ./internal/e2e/

## fuzz: each fuzz target for FUZZTIME (the seed corpus alone runs with the unit tests). A count of
## executions, not a duration: with a duration, Go 1.26's fuzzing coordinator can fail at the deadline
## with "context deadline exceeded" and no failing input (go.dev/issue/75804).
FUZZTIME ?= 200000x
fuzz:
	go test -run '^$$' -fuzz '^FuzzMapPage$$' -fuzztime $(FUZZTIME) ./internal/mapping
	go test -run '^$$' -fuzz '^FuzzNextLink$$' -fuzztime $(FUZZTIME) ./internal/okta

## catalog: check the event categories against Okta's event-type catalog (CATALOG=path/to/newer.json for a
## newer release): lists the types that would fall to `other`, or says "all categorised"
CATALOG ?= internal/mapping/testdata/okta-event-types-2026.08.1.json
catalog:
	go run ./internal/mapping/cmd/oktacatalog $(CATALOG)

vet:
	go vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1; }

## generate: regenerate the mdatagen code from metadata.yaml (mdatagen names the package after the folder)
generate:
	tmp=$$(mktemp -d) && ln -s $(CURDIR) $$tmp/oktareceiver && \
	  (cd internal/tools && go tool mdatagen $$tmp/oktareceiver/metadata.yaml); rc=$$?; rm -rf $$tmp; exit $$rc

clean:
	rm -rf _build

## bench: end-to-end figures of the built distribution (BENCH_FLAGS="-events 1000000" or "-rate-limit 60 -window 10s")
bench: build
	go run ./internal/bench/cmd/oktabench -collector $(DIST) $(BENCH_FLAGS)
