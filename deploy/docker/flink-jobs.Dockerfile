# The image every FlinkDeployment runs: the official Flink image, the S3 file system plugin enabled
# (checkpoints, savepoints, HA on s3://), and Tarn's shaded job jar in usrlib.
#   docker build -f deploy/docker/flink-jobs.Dockerfile -t <registry>/tarn-flink-jobs:0.1.0 .
# (from the repository root, after `./mvnw -pl flink-jobs -am package -DskipTests`)
FROM flink:2.1.1-java17
RUN mkdir -p /opt/flink/plugins/s3-fs-presto \
 && cp /opt/flink/opt/flink-s3-fs-presto-2.1.1.jar /opt/flink/plugins/s3-fs-presto/
COPY --chown=flink:flink flink-jobs/target/tarn-flink-jobs-0.1.0-SNAPSHOT-job.jar /opt/flink/usrlib/tarn-flink-jobs.jar
