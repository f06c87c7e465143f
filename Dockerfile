# The kubevirt-networks function image. kpt and kustomize run it as
#   <runtime> run --rm -i --network none --user nobody --security-opt=no-new-privileges IMAGE
# so the final stage needs /etc/passwd with `nobody` (FROM scratch fails there with
# exit 126): distroless static nonroot has root, nobody and nonroot.
#
# Build: podman build -t localhost/kubevirt-networks:dev .   (or docker build)
# Both bases can be replaced with --build-arg GO_IMAGE=… / BASE_IMAGE=… (pin digests in CI).
ARG GO_IMAGE=docker.io/library/golang:1.26
ARG BASE_IMAGE=gcr.io/distroless/static-debian12:nonroot
# The Argo CD sidecar's base: Argo CD's own image (the argocd user, 999). Pin yours.
ARG ARGOCD_IMAGE=quay.io/argoproj/argocd:v3.2.0

FROM --platform=$BUILDPLATFORM ${GO_IMAGE} AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY main.go usage.go ./
COPY fn/ fn/
COPY internal/ internal/
ARG TARGETOS TARGETARCH VERSION=dev
RUN CGO_ENABLED=0 GOOS=${TARGETOS:-linux} GOARCH=${TARGETARCH:-amd64} \
    go build -trimpath -buildvcs=false -ldflags "-s -w -X main.version=${VERSION}" -o /out/kubevirt-networks .

# The Argo CD CMP sidecar: podman build --target argocd-sidecar -t …-argocd .
# kustomize is linked into kubevirt-networks (the version go.mod pins): the
# sidecar needs no kustomize binary of its own.
FROM ${ARGOCD_IMAGE} AS argocd-sidecar
COPY --from=build /out/kubevirt-networks /usr/local/bin/kubevirt-networks
COPY examples/argocd/plugin.yaml /home/argocd/cmp-server/config/plugin.yaml
USER 999

# The function image (the default target).
FROM ${BASE_IMAGE}
LABEL org.opencontainers.image.title="kubevirt-networks" \
      org.opencontainers.image.description="KRM function: VMNetwork config -> Multus NetworkAttachmentDefinitions and correct KubeVirt VM networks" \
      org.opencontainers.image.source="https://github.com/kubevirt-networks/kubevirt-networks" \
      org.opencontainers.image.licenses="Apache-2.0"
COPY --from=build /out/kubevirt-networks /usr/local/bin/kubevirt-networks
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/kubevirt-networks"]
