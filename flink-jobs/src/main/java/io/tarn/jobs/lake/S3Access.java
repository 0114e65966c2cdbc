package io.tarn.jobs.lake;

import io.tarn.jobs.config.ConfigException;
import io.tarn.jobs.config.JobConfig;
import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * How the jobs reach an {@code s3://} warehouse: endpoint, path style, region and credentials from
 * the {@code s3.*} keys, handed alike to Iceberg's S3FileIO (as catalog properties, under the names
 * Iceberg gives them) and to the AWS SDK client that checks and sets up the bucket.
 *
 * <p>With an endpoint (MinIO, Ceph, S3Proxy), S3FileIO gets its client from {@link
 * S3ClientFactory}, built here like the setup's. With {@code s3.legacy-checksums}, checksums are
 * sent as S3 took them before 2023 (see {@link LegacyChecksums}): the SDK's defaults since 2.30,
 * CRC trailers on uploads and CRC headers on deletes, are refused by servers that predate them
 * (S3Proxy answers XAmzContentSHA256Mismatch and 501 NotImplemented).
 */
public final class S3Access implements Serializable {
  /** Region for S3-compatible servers (MinIO, Ceph), which accept any but need one to sign. */
  static final String COMPATIBLE_DEFAULT_REGION = "us-east-1";

  private static final String ENDPOINT = "s3.endpoint";
  private static final String PATH_STYLE = "s3.path-style-access";
  private static final String REGION = "client.region";
  private static final String ACCESS_KEY = "s3.access-key-id";
  private static final String SECRET_KEY = "s3.secret-access-key";
  private static final String LEGACY_CHECKSUMS = "tarn.s3.legacy-checksums";

  private final String endpoint;
  private final boolean pathStyle;
  private final String region;
  private final String accessKey;
  private final String secretKey;
  private final boolean legacyChecksums;

  private S3Access(
      String endpoint,
      boolean pathStyle,
      String region,
      String accessKey,
      String secretKey,
      boolean legacyChecksums) {
    this.endpoint = endpoint;
    this.pathStyle = pathStyle;
    this.region = region;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
    this.legacyChecksums = legacyChecksums;
  }

  /** Whether a warehouse location lives in S3 (S3FileIO reads s3:// and s3a:// alike). */
  public static boolean isS3(String warehouse) {
    return warehouse.startsWith("s3://") || warehouse.startsWith("s3a://");
  }

  /** The access settings of {@code config}; fails naming {@code s3.region} if none is found. */
  public static S3Access of(JobConfig config) {
    String secret = config.get(JobConfig.S3_SECRET_KEY);
    return new S3Access(
        config.get(JobConfig.S3_ENDPOINT),
        config.get(JobConfig.S3_PATH_STYLE),
        region(config),
        config.get(JobConfig.S3_ACCESS_KEY),
        secret == null ? "" : secret,
        config.get(JobConfig.S3_LEGACY_CHECKSUMS));
  }

  /** The settings back from {@link #fileIoProperties()}, as S3FileIO hands them to a factory. */
  static S3Access fromProperties(Map<String, String> props) {
    return new S3Access(
        props.getOrDefault(ENDPOINT, ""),
        Boolean.parseBoolean(props.getOrDefault(PATH_STYLE, "false")),
        props.getOrDefault(REGION, COMPATIBLE_DEFAULT_REGION),
        props.getOrDefault(ACCESS_KEY, ""),
        props.getOrDefault(SECRET_KEY, ""),
        Boolean.parseBoolean(props.getOrDefault(LEGACY_CHECKSUMS, "false")));
  }

  public String region() {
    return region;
  }

  /** The endpoint, or empty for AWS S3. */
  public String endpoint() {
    return endpoint;
  }

  /** Catalog properties that make Iceberg write through S3FileIO with these settings. */
  public Map<String, String> fileIoProperties() {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("io-impl", "org.apache.iceberg.aws.s3.S3FileIO");
    props.put(REGION, region);
    props.put(PATH_STYLE, Boolean.toString(pathStyle));
    if (!endpoint.isEmpty()) {
      props.put(ENDPOINT, endpoint);
      props.put("s3.client-factory-impl", S3ClientFactory.class.getName());
      props.put(LEGACY_CHECKSUMS, Boolean.toString(legacyChecksums));
    }
    if (!accessKey.isEmpty()) {
      // JobConfig guarantees the secret comes with it; without both the default chain applies
      props.put(ACCESS_KEY, accessKey);
      props.put(SECRET_KEY, secretKey);
    }
    return props;
  }

  /**
   * An S3 client with these settings whose calls give up after {@code callTimeout} (retries
   * included); the caller closes it.
   */
  public S3Client client(Duration callTimeout) {
    S3ClientBuilder builder =
        S3Client.builder()
            .httpClientBuilder(ApacheHttpClient.builder())
            .region(Region.of(region))
            .forcePathStyle(pathStyle)
            .credentialsProvider(credentials())
            .overrideConfiguration(c -> c.apiCallTimeout(callTimeout));
    if (!endpoint.isEmpty()) {
      builder.endpointOverride(URI.create(endpoint));
      if (legacyChecksums) {
        builder
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .overrideConfiguration(
                c -> c.apiCallTimeout(callTimeout).addExecutionInterceptor(new LegacyChecksums()));
      }
    }
    return builder.build();
  }

  private AwsCredentialsProvider credentials() {
    if (accessKey.isEmpty()) {
      return DefaultCredentialsProvider.builder().build();
    }
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
  }

  private static String region(JobConfig config) {
    String configured = config.get(JobConfig.S3_REGION);
    if (!configured.isEmpty()) {
      return configured;
    }
    if (!config.get(JobConfig.S3_ENDPOINT).isEmpty()) {
      return COMPATIBLE_DEFAULT_REGION;
    }
    try {
      return DefaultAwsRegionProviderChain.builder().build().getRegion().id();
    } catch (SdkClientException e) {
      throw new ConfigException(
          "Cannot configure Tarn: warehouse %s is on AWS S3 (no '%s') but no region is known: set"
              + " key '%s' or AWS_REGION",
          config.get(JobConfig.WAREHOUSE),
          JobConfig.S3_ENDPOINT.name(),
          JobConfig.S3_REGION.name());
    }
  }

  /** Never prints the keys. */
  @Override
  public String toString() {
    return "S3Access{endpoint="
        + (endpoint.isEmpty() ? "AWS" : endpoint)
        + ", region="
        + region
        + ", pathStyle="
        + pathStyle
        + "}";
  }
}
