# edgepass issuer service: a static binary on an empty base, run as a
# non-root user. Build with
#
#   docker build --build-arg VERSION=v1.2.3 -t edgepass .
#
# and run with the configuration and keys mounted read-only:
#
#   docker run -p 8080:8080 -v "$PWD/deploy:/etc/edgepass:ro" edgepass \
#     --config /etc/edgepass/edgepass.yaml
#
# cmd/edgepass/dockerfile_test.go runs this file's build commands.

FROM golang:1.26 AS build
WORKDIR /src
# Modules first, so that a source change reuses the download layer.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=devel
# .dockerignore keeps .git out of the context, hence -buildvcs=false.
RUN CGO_ENABLED=0 go build -trimpath -buildvcs=false \
      -ldflags="-s -w -X main.version=${VERSION}" \
      -o bin/edgepass ./cmd/edgepass

FROM scratch
# CA certificates, for fetching a JWKS over https.
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /src/bin/edgepass /edgepass
# Numeric IDs: the image has no /etc/passwd. 65532 is the usual "nonroot".
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["/edgepass", "serve"]
