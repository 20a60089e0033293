# A Redis-protocol store for the shared sign-in provenance (cluster.store), built from Debian's
# redis-server package, for places where no image registry is reachable (CI plays the Kubernetes
# manifests with it). Anywhere else, use your platform's Valkey or Redis image (6.2 or later).
#   podman build --build-arg BASE_IMAGE=localhost/debian-jre:bookworm -f docker/valkey.Dockerfile -t localhost/sekisho-valkey:dev .
ARG BASE_IMAGE=debian:bookworm-slim
FROM ${BASE_IMAGE}

RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server \
 && rm -rf /var/lib/apt/lists/*

# Debian's package made the redis user; it owns nothing outside /data.
RUN mkdir -p /data && chown redis:redis /data
USER redis
WORKDIR /data
EXPOSE 6379
# Provenance lives 15 minutes at most: no persistence. The password comes from the environment
# (REDIS_PASSWORD, from the Secret), never from the command line of the manifest.
ENTRYPOINT ["sh", "-c", "exec redis-server --bind 0.0.0.0 --port 6379 --save '' --appendonly no --protected-mode no --requirepass \"$REDIS_PASSWORD\""]
