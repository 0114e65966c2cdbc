package io.tarn.jobs.lake;

import java.time.Duration;
import java.util.Map;
import org.apache.iceberg.aws.s3.S3FileIOAwsClientFactory;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 clients of S3FileIO for an S3-compatible endpoint, built by {@link S3Access} so that the
 * jobs write with the same settings the startup check and the bucket setup use. Iceberg
 * instantiates it by name ({@code s3.client-factory-impl}) on every task manager.
 */
public final class S3ClientFactory implements S3FileIOAwsClientFactory {
  /** Generous: one call may upload a whole data file part. */
  private static final Duration CALL_TIMEOUT = Duration.ofMinutes(10);

  private S3Access access;

  @Override
  public void initialize(Map<String, String> properties) {
    this.access = S3Access.fromProperties(properties);
  }

  @Override
  public S3Client s3() {
    return access.client(CALL_TIMEOUT);
  }

  /** Only S3FileIO's analytics accelerator uses an async client; Tarn does not enable it. */
  @Override
  public S3AsyncClient s3Async() {
    throw new UnsupportedOperationException(
        "Cannot create an async S3 client for "
            + access
            + ": s3.analytics-accelerator.enabled is not supported with s3.endpoint");
  }
}
