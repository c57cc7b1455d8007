# gkaudit as a static binary on a distroless base, run as a non-root user.
#
#   docker build -t registry.example.gov.cn/gkaudit/gkaudit:0.1 .
#
# The build needs no network beyond the Go module proxy (go mod download).
# The image runs audit, merge, serve and the other commands; notices as PDF
# need chromium, which this image does not carry (use --pdf=false).

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 GOOS=linux go build -trimpath -ldflags="-s -w" -o /out/gkaudit ./cmd/gkaudit

# distroless/static: CA certificates and tzdata, no shell, no package manager.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/gkaudit /gkaudit
# 65532 is distroless's "nonroot"; the manifests' runAsUser says the same.
USER 65532:65532
WORKDIR /data
ENTRYPOINT ["/gkaudit"]
