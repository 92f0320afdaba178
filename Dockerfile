# DataProcessor image: a build stage with Debian's -dev packages, a runtime stage with only the
# shared libraries the binary links. Build: docker build -t dataprocessor .
# The service runs as the non-root user "app" (APP_UID/APP_GID, default 1000:1000). Bind-mounted
# imports/ exports/ logs/ must be writable by that id: build with
#   docker compose build --build-arg APP_UID=$(id -u) --build-arg APP_GID=$(id -g)
# (docker-compose.yaml passes APP_UID/APP_GID from the environment) when your account is not 1000.

FROM debian:bookworm-slim AS build
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      g++ cmake ninja-build pkg-config \
      libboost-dev libpqxx-dev libpq-dev libtomlplusplus-dev libspdlog-dev libfmt-dev \
      libssl-dev zlib1g-dev nlohmann-json3-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY CMakeLists.txt ./
COPY core ./core
COPY models ./models
COPY pipelines ./pipelines
COPY cmd ./cmd
COPY sql ./sql
# Only what the runtime needs: no test suites, only the dataprocessor target. Release at -O2, the
# level Debian builds with and the benchmarks measured (CMake's Release default is -O3).
ARG BUILD_JOBS=2
RUN cmake -S . -B /build -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" \
      -DDP_BUILD_TESTS=OFF \
 && cmake --build /build -j"${BUILD_JOBS}" --target dataprocessor \
 && strip /build/dataprocessor

FROM debian:bookworm-slim AS runtime
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpqxx-6.4 libpq5 libspdlog1.10 libfmt9 libtomlplusplus3 libssl3 zlib1g ca-certificates \
 && rm -rf /var/lib/apt/lists/*
ARG APP_UID=1000
ARG APP_GID=1000
RUN groupadd --gid "${APP_GID}" app \
 && useradd --uid "${APP_UID}" --gid "${APP_GID}" --home-dir /app --no-create-home \
      --shell /usr/sbin/nologin app \
 && mkdir -p /app/imports /app/exports /app/logs /app/kinds \
 && chown app:app /app/imports /app/exports /app/logs
COPY --from=build /build/dataprocessor /usr/local/bin/dataprocessor
# The installed layout: the binary finds its SQL in <bin>/../share/dataprocessor/sql.
COPY sql /usr/local/share/dataprocessor/sql
WORKDIR /app
USER app
# The service binds 127.0.0.1 by default. A container's loopback is its own: a published port
# (EXPOSE 8080), Prometheus and the other containers of the stack reach /metrics and /readyz
# only on the container's interface, so the image binds all of them. (The HEALTHCHECK would
# work on loopback.) Publish the port only on a trusted network.
ENV HTTP_BIND=0.0.0.0
# Exports, rejects, reports and logs hold raw rows: owner `app` and group `app` (APP_GID) only.
ENV OUTPUT_MODE=0640
# /app/kinds holds user kind files (kinds_dir); the service only reads it.
VOLUME ["/app/imports", "/app/exports", "/app/logs", "/app/kinds"]
EXPOSE 8080
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --retries=3 \
  CMD ["dataprocessor", "--health"]
ENTRYPOINT ["dataprocessor"]
CMD ["--watch"]
