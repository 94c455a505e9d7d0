# One image for every role of Orrery: `docker run orrery registry|allocator|offers|gateway|agent|standalone ...`.
# Build the jar first (mvn -DskipTests package, or bin/orrery once), then:
#   docker build -t orrery .                                   (a public JRE image)
#   docker build --build-arg BASE_IMAGE=my-local-jre -t orrery . (any image with Java 17 and useradd)
ARG BASE_IMAGE=eclipse-temurin:17-jre
FROM ${BASE_IMAGE}
ARG JAR=cli/target/orrery.jar
# Every role runs as this unprivileged user, except the agent, which needs root for cgroups and the Docker socket
# (docker-compose.yml and k8s/ run it as root).
RUN useradd --system --uid 10001 --create-home --home-dir /var/lib/orrery orrery
COPY ${JAR} /opt/orrery/orrery.jar
COPY docker/orrery /usr/local/bin/orrery
USER orrery
WORKDIR /var/lib/orrery
# 5050 gateway HTTP, 5060 event-bus bridge, 5051 agent HTTP, 5701 Hazelcast
EXPOSE 5050 5051 5060 5701
ENTRYPOINT ["/usr/local/bin/orrery"]
CMD ["--help"]
