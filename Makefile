# Everyday commands. `make test` is the one CI runs after `make lint`.
GO ?= go
# A local mirror of the hashicorp/aws provider, where the machine has one:
# then `make test` also runs terraform validate and terraform test.
TF_PLUGIN_DIR ?= $(wildcard /opt/tf-plugins)

.PHONY: build test deps lint bench load

build: ## build bin/edgepass
	CGO_ENABLED=0 $(GO) build -trimpath -o bin/edgepass ./cmd/edgepass

deps: ## install what the tests need (Debian and npm packages)
	bash .ci/deps

test: deps ## install test dependencies, then run every test
	$(GO) vet ./...
	EDGEPASS_REQUIRE_TOOLS=1 EDGEPASS_TF_PLUGIN_DIR=$(TF_PLUGIN_DIR) \
		$(GO) test -count=1 -timeout 30m ./...

lint: ## golangci-lint (pinned version) and terraform fmt
	bash .ci/lint

bench: ## signing, verification and issuing benchmarks
	$(GO) test -run '^$$' -bench . -benchmem ./pkg/...

load: ## wrk load test of edgepass serve on loopback (see .ci/load)
	bash .ci/load
