# cdc-capture: Debezium Embedded with its own classpath (Kafka 4.1 connect jars).
#   docker build -f deploy/docker/cdc-capture.Dockerfile -t <registry>/tarn-cdc-capture:0.1.0 .
# (from the repository root, after `./mvnw -pl cdc-capture -am package -DskipTests`)
FROM eclipse-temurin:17.0.15_6-jre
RUN useradd --system --uid 10001 tarn && mkdir -p /var/lib/tarn-cdc && chown tarn /var/lib/tarn-cdc
COPY cdc-capture/target/lib/ /opt/tarn/cdc/lib/
COPY cdc-capture/target/tarn-cdc-capture-0.1.0-SNAPSHOT.jar /opt/tarn/cdc/tarn-cdc-capture.jar
USER 10001
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-cp", "/opt/tarn/cdc/tarn-cdc-capture.jar:/opt/tarn/cdc/lib/*", "io.tarn.cdc.CaptureMain"]
CMD ["--config", "/etc/tarn/capture.properties"]
