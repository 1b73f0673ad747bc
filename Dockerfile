# River's server (river serve) as a container image. The image holds the distribution that
# 'mvn package' leaves unpacked in dist/target/river/ (the same tree as river-<version>.tar.gz), on a
# JRE 17 base; building the artifacts needs no Docker daemon, only this last step does:
#
#   mvn -B -ntp package -DskipTests
#   docker compose build river          # or: docker build -t river .
#
# The data directory /var/lib/river is a volume owned by the unprivileged user 'river'; the REST API
# listens on 8080 on every interface. Arguments after the image name are added to 'river serve'
# (e.g. --river.wal.sync=always or --config FILE), as are RIVER_* environment variables; JAVA_OPTS
# adds JVM flags. docker stop sends SIGTERM: River drains, syncs the WAL and releases the LOCK.
# The JVM is the container's main process: to restart River, replace the container (river restart
# and SIGUSR1 hand over to a new process next to the old one, which a container does not outlive).
FROM eclipse-temurin:17-jre

RUN groupadd --system --gid 10001 river \
 && useradd --system --uid 10001 --gid river --home-dir /var/lib/river --no-create-home \
        --shell /usr/sbin/nologin river \
 && mkdir -p /var/lib/river \
 && chown river:river /var/lib/river

# Owned by root, read-only for 'river'.
COPY dist/target/river/ /opt/river/

USER river
WORKDIR /var/lib/river
VOLUME ["/var/lib/river"]
EXPOSE 8080
ENTRYPOINT ["/opt/river/bin/river", "serve", "--data-dir", "/var/lib/river", "--port", "8080", "--host", "0.0.0.0"]
