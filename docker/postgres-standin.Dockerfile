# Stand-in for the official postgres:15 image, used only by scripts/container-e2e.sh on machines
# that cannot pull images: PostgreSQL 15 from Debian's packages on the local debian:bookworm-slim.
# Build context: this folder (podman build -f docker/postgres-standin.Dockerfile docker).
FROM debian:bookworm-slim
ARG DEBIAN_FRONTEND=noninteractive
RUN mkdir -p /etc/postgresql-common \
 && echo "create_main_cluster = false" >/etc/postgresql-common/createcluster.conf \
 && apt-get update \
 && apt-get install -y --no-install-recommends postgresql-15 postgresql-client-15 \
 && rm -rf /var/lib/apt/lists/*
ENV PATH=/usr/lib/postgresql/15/bin:$PATH PGDATA=/var/lib/postgresql/data
COPY postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
EXPOSE 5432
STOPSIGNAL SIGINT
ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]
