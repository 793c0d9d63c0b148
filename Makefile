# The okta receiver: `make run` starts a collector that reads Okta's System Log (the bundled simulator
# unless OKTA_ENDPOINT and OKTA_API_TOKEN are set), `make test` runs every test a change needs.
# Modules come through the environment's GOPROXY (a company's own mirror, say); CI sets it in .ci/run.

SHELL := /bin/bash
export GOFLAGS := -buildvcs=false

BUILDER_VERSION := v0.161.0
GOLANGCI_LINT_VERSION := v2.15.0
TOOLS_BIN := $(CURDIR)/_build/tools
BUILDER := $(TOOLS_BIN)/builder
GOLANGCI_LINT := $(TOOLS_BIN)/golangci-lint-$(GOLANGCI_LINT_VERSION)/golangci-lint
DIST := _build/otelcol-okta
# The distribution's version (builder-config.yaml), which tags the image.
VERSION := $(shell sed -n 's/^  version: *//p' builder-config.yaml)
IMAGE ?= otelcol-okta:$(VERSION)
IMAGE_CONTEXT := _build/image
IMAGE_LAYOUT := _build/image-oci
# The Debian package the image's CA bundle comes from; ca-certificates=<version> pins one.
CA_CERTIFICATES ?= ca-certificates
# The image's file and creation times: the last commit's, so that a commit always builds the same image.
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
SIM := _build/oktasim
VIEW := _build/oktaview
GO_SOURCES := $(shell find . -name '*.go' -not -name '*_test.go' -not -path './_build/*' -not -path './deploy/*') go.mod go.sum

.PHONY: all build sim view run test unit e2e fuzz bench generate vet lint clean catalog k8s-test image image-test

all: test

$(BUILDER):
	GOBIN=$(TOOLS_BIN) go install go.opentelemetry.io/collector/cmd/builder@$(BUILDER_VERSION)

$(GOLANGCI_LINT):
	GOBIN=$(dir $(GOLANGCI_LINT)) go install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_LINT_VERSION)

## build: the otelcol-okta distribution at _build/otelcol-okta
build: $(DIST)
$(DIST): $(BUILDER) builder-config.yaml $(GO_SOURCES)
	$(BUILDER) --config builder-config.yaml
	@echo "built $(DIST)"

## sim: the Okta simulator at _build/oktasim
sim: $(SIM)
$(SIM): $(GO_SOURCES)
	go build -o $(SIM) ./internal/oktasim/cmd/oktasim

## view: oktaview, which prints the events make run's collector exports, one line each
view: $(VIEW)
$(VIEW): $(GO_SOURCES)
	go build -o $(VIEW) ./internal/eventview/cmd/oktaview

## run: the collector against OKTA_ENDPOINT with OKTA_API_TOKEN, or against the bundled simulator
run: build sim view
	./internal/tools/run.sh

## test: lint, unit, simulator and end-to-end tests, the event catalog check, a short run of each fuzz target,
## and the deployment checks
test: vet lint unit catalog fuzz e2e k8s-test image-test

unit:
	go test -race -count=1 ./...

e2e: build sim view
	OTELCOL_OKTA=$(CURDIR)/$(DIST) OKTASIM=$(CURDIR)/$(SIM) go test -count=1 -tags e2e -timeout 20m -v ./internal/e2e/

## fuzz: each fuzz target for FUZZTIME (the seed corpus alone runs with the unit tests). A count of
## executions, not a duration: with a duration, Go 1.26's fuzzing coordinator can fail at the deadline
## with "context deadline exceeded" and no failing input (go.dev/issue/75804).
FUZZTIME ?= 200000x
fuzz:
	go test -run '^$$' -fuzz '^FuzzMapPage$$' -fuzztime $(FUZZTIME) ./internal/mapping
	go test -run '^$$' -fuzz '^FuzzOCSF$$' -fuzztime $(FUZZTIME) ./internal/mapping
	go test -run '^$$' -fuzz '^FuzzNextLink$$' -fuzztime $(FUZZTIME) ./internal/okta

## lint: golangci-lint with .golangci.yml on the whole module, the e2e tests included
lint: $(GOLANGCI_LINT)
	$(GOLANGCI_LINT) run ./...

## catalog: check the event categories and the OCSF class table against Okta's event-type catalog
## (CATALOG=path/to/newer.json for a newer release): lists the types that would fall to `other` or have no
## OCSF row, or says "all categorised"
CATALOG ?= internal/mapping/testdata/okta-event-types-2026.08.1.json
catalog:
	go run ./internal/mapping/cmd/oktacatalog $(CATALOG)

vet:
	go vet ./...
	cd deploy && go vet ./... && go vet -tags image ./container/
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1; }

## generate: regenerate the mdatagen code and README.md's status header from metadata.yaml (mdatagen names
## the package after the folder, and links only OpenTelemetry's own distributions: ours links to its build file)
generate:
	tmp=$$(mktemp -d) && ln -s $(CURDIR) $$tmp/oktareceiver && \
	  (cd internal/tools && go tool mdatagen $$tmp/oktareceiver/metadata.yaml); rc=$$?; rm -rf $$tmp; exit $$rc
	sed -i 's|^\[otelcol-okta\]: *$$|[otelcol-okta]: builder-config.yaml|' README.md

## k8s-test: the Kubernetes manifests (deploy/kubernetes) decoded strictly, their invariants checked, and
## every pod's collector configuration validated by the built distribution
k8s-test: build
	cd deploy && OTELCOL_OKTA=$(CURDIR)/$(DIST) go test -count=1 ./kubernetes/

## image: the container image $(IMAGE) from Containerfile, built with buildah (from scratch: nothing is
## pulled). BUILDAH_FLAGS adds global options, e.g. "--storage-driver vfs" where overlay is not available.
image: build
	@command -v buildah >/dev/null || { echo "make image needs buildah: apt-get install buildah"; exit 1; }
	deploy/container/stage.sh $(IMAGE_CONTEXT) $(DIST) $(CA_CERTIFICATES)
	buildah $(BUILDAH_FLAGS) build --timestamp $(SOURCE_DATE_EPOCH) --build-arg VERSION=$(VERSION) \
	  -f Containerfile -t $(IMAGE) $(IMAGE_CONTEXT)

## image-test: the image unpacked as a registry serves it (an OCI layout), its configuration checked, and
## its binary run in its root filesystem (chroot, as its user) to validate the baked-in configuration and
## every Kubernetes pod's. Runs as root.
image-test: image
	rm -rf $(IMAGE_LAYOUT)
	buildah $(BUILDAH_FLAGS) push -q $(IMAGE) oci:$(IMAGE_LAYOUT):$(VERSION)
	cd deploy && OTELCOL_OKTA_IMAGE_LAYOUT=$(CURDIR)/$(IMAGE_LAYOUT) OTELCOL_OKTA_VERSION=$(VERSION) \
	  go test -count=1 -tags image ./container/

clean:
	rm -rf _build

## bench: end-to-end figures of the built distribution (BENCH_FLAGS="-events 1000000" or "-rate-limit 60 -window 10s")
bench: build
	go run ./internal/bench/cmd/oktabench -collector $(DIST) $(BENCH_FLAGS)
