# Everyday commands. `make test` is the one CI runs after `make lint`.
GO ?= go

.PHONY: build test deps lint bench load

build: ## build bin/edgepass
	CGO_ENABLED=0 $(GO) build -trimpath -o bin/edgepass ./cmd/edgepass

deps: ## install what the tests need (Debian and npm packages)
	bash .ci/deps

test: deps ## install test dependencies, then run every test
	$(GO) vet ./...
	EDGEPASS_REQUIRE_TOOLS=1 $(GO) test -count=1 -timeout 30m ./...

lint: ## golangci-lint (pinned version) and terraform fmt
	bash .ci/lint

bench: ## signing, verification and issuing benchmarks
	$(GO) test -run '^$$' -bench . -benchmem ./pkg/...

load: ## wrk load test of edgepass serve on loopback (see .ci/load)
	bash .ci/load
