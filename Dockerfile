# syntax=docker/dockerfile:1
# vpcwarden's container image: build with cargo, run from distroless (glibc, no shell, no package
# manager) as a non-root user. The binary writes only to the paths given with --output (and
# --save-snapshot), so the container runs with a read-only root filesystem; mount a writable volume
# at /out for reports. See deploy/README.md.
#
#   docker build -t vpcwarden .
#   mkdir -p out && docker run --rm --read-only --user "$(id -u):$(id -g)" -v "$PWD/out:/out" \
#       vpcwarden audit --demo --format json --output /out/report.json

FROM rust:1.95-bookworm AS builder
WORKDIR /src
# Only what the build reads (the allow-list is in .dockerignore): the manifest, the sources, the
# check catalog and the demo snapshot that src/ embeds with include_str!, and the bench target the
# manifest declares.
COPY Cargo.toml Cargo.lock ./
COPY src ./src
COPY checks ./checks
COPY benches ./benches
COPY mocks/snapshots/demo.json ./mocks/snapshots/demo.json
RUN cargo build --release --locked \
    && install -d -m 0755 /stage/out

# Debian 12 (bookworm), the same glibc the builder linked against; ships CA certificates and
# /etc/passwd with nonroot = 65532.
FROM gcr.io/distroless/cc-debian12:nonroot
ARG VERSION=0.1.0
ARG REVISION=unknown
LABEL org.opencontainers.image.title="vpcwarden" \
      org.opencontainers.image.description="AWS account auditor for how Lambda functions meet VPCs, ENIs and IAM" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.base.name="gcr.io/distroless/cc-debian12:nonroot"
COPY --from=builder /src/target/release/vpcwarden /usr/local/bin/vpcwarden
COPY --from=builder --chown=65532:65532 /stage/out /out
USER 65532:65532
# ./vpcwarden.toml is read from the working directory when present: mount one at
# /work/vpcwarden.toml (read-only is fine) or pass --config.
WORKDIR /work
# /out exists in the image, owned by 65532, so a volume mounted there (an ECS bind mount, a Docker
# named volume) starts writable by the non-root user.
VOLUME ["/out"]
ENTRYPOINT ["/usr/local/bin/vpcwarden"]
CMD ["--help"]
