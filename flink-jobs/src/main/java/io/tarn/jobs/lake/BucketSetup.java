package io.tarn.jobs.lake;

import io.tarn.jobs.config.ConfigException;
import io.tarn.jobs.config.JobConfig;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.BucketLifecycleConfiguration;
import software.amazon.awssdk.services.s3.model.CreateBucketConfiguration;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.LifecycleRuleFilter;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionByDefault;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionRule;
import software.amazon.awssdk.services.s3.model.Transition;
import software.amazon.awssdk.services.s3.model.TransitionStorageClass;

/**
 * {@code ./tarn s3 setup}: makes the warehouse bucket ready for the zones, idempotently. Creates
 * the bucket, one folder marker per zone ({@code bronze/ silver/ gold/ archive/} under the
 * warehouse prefix), lifecycle rules (archive/ to a cold storage class after N days; incomplete
 * multipart uploads aborted) and default encryption. Lifecycle rules of others on the same bucket
 * are kept. Running it again changes nothing; an endpoint without the lifecycle or encryption API
 * (S3Proxy, some MinIO/Ceph setups) is reported as such, not as a failure.
 */
public final class BucketSetup {
  /** The folders the setup creates under the warehouse prefix. */
  public static final List<String> FOLDERS = List.of("bronze/", "silver/", "gold/", "archive/");

  static final String ARCHIVE_RULE = "tarn-archive-tier";
  static final String MULTIPART_RULE = "tarn-abort-incomplete-multipart-uploads";
  static final int MULTIPART_DAYS = 7;
  static final String NOT_SUPPORTED = "not supported by this endpoint";

  private final JobConfig config;
  private final S3Access access;
  private final S3Warehouse warehouse;

  public BucketSetup(JobConfig config) {
    String location = config.get(JobConfig.WAREHOUSE);
    if (!S3Access.isS3(location)) {
      throw new ConfigException(
          "Cannot set up S3: key '%s' is %s; the setup needs an s3://bucket/prefix warehouse",
          JobConfig.WAREHOUSE.name(), location);
    }
    this.config = config;
    this.warehouse = S3Warehouse.parse(location);
    this.access = S3Access.of(config);
  }

  /** Applies every step and returns one line per step saying what it did. */
  public List<String> apply() {
    List<String> report = new ArrayList<>();
    try (S3Client s3 = access.client(S3Warehouse.CHECK_TIMEOUT)) {
      report.add(step("bucket", () -> bucket(s3)));
      for (String folder : FOLDERS) {
        report.add(step("folder " + folder, () -> folder(s3, warehouse.key(folder))));
      }
      report.add(step("lifecycle", () -> lifecycle(s3)));
      report.add(step("default encryption", () -> encryption(s3)));
    }
    return report;
  }

  private String step(String name, java.util.function.Supplier<String> action) {
    try {
      return action.get();
    } catch (SdkException e) {
      throw new ConfigException(
          "Cannot set up warehouse %s: %s failed: %s",
          warehouse.location(), name, warehouse.reason(access, e));
    }
  }

  private String bucket(S3Client s3) {
    String name = "bucket " + warehouse.bucket();
    try {
      s3.headBucket(r -> r.bucket(warehouse.bucket()));
      return name + ": exists";
    } catch (NoSuchBucketException e) {
      // created below
    }
    try {
      s3.createBucket(
          r -> {
            r.bucket(warehouse.bucket());
            // AWS refuses a location constraint for us-east-1, its default
            if (!access.region().equals(S3Access.COMPATIBLE_DEFAULT_REGION)) {
              r.createBucketConfiguration(
                  CreateBucketConfiguration.builder().locationConstraint(access.region()).build());
            }
          });
      return name + ": created";
    } catch (BucketAlreadyOwnedByYouException raced) {
      return name + ": exists";
    }
  }

  private String folder(S3Client s3, String key) {
    String name = "folder s3://" + warehouse.bucket() + "/" + key;
    try {
      s3.headObject(r -> r.bucket(warehouse.bucket()).key(key));
      return name + ": exists";
    } catch (NoSuchKeyException e) {
      // created below
    } catch (S3Exception e) {
      if (e.statusCode() != 404) {
        throw e;
      }
    }
    s3.putObject(r -> r.bucket(warehouse.bucket()).key(key), RequestBody.empty());
    return name + ": created";
  }

  private String lifecycle(S3Client s3) {
    int days = config.get(JobConfig.S3_ARCHIVE_DAYS);
    String storageClass = config.get(JobConfig.S3_ARCHIVE_CLASS);
    String name =
        String.format(
            "lifecycle: %s to %s after %d days, incomplete uploads aborted after %d days",
            warehouse.key("archive/"), storageClass, days, MULTIPART_DAYS);
    List<LifecycleRule> rules = new ArrayList<>();
    try {
      for (LifecycleRule rule :
          s3.getBucketLifecycleConfiguration(r -> r.bucket(warehouse.bucket())).rules()) {
        // rules of others on the same bucket stay; ours are replaced, which makes reruns no-ops
        if (!rule.id().equals(ARCHIVE_RULE) && !rule.id().equals(MULTIPART_RULE)) {
          rules.add(rule);
        }
      }
    } catch (S3Exception e) {
      if (unsupported(e)) {
        return name + ": " + NOT_SUPPORTED + " (" + errorCode(e) + ")";
      }
      if (!"NoSuchLifecycleConfiguration".equals(errorCode(e)) && e.statusCode() != 404) {
        throw e;
      }
    }
    rules.add(
        LifecycleRule.builder()
            .id(ARCHIVE_RULE)
            .status("Enabled")
            .filter(LifecycleRuleFilter.builder().prefix(warehouse.key("archive/")).build())
            .transitions(
                Transition.builder()
                    .days(days)
                    .storageClass(TransitionStorageClass.fromValue(storageClass))
                    .build())
            .build());
    rules.add(
        LifecycleRule.builder()
            .id(MULTIPART_RULE)
            .status("Enabled")
            .filter(LifecycleRuleFilter.builder().prefix(warehouse.key("")).build())
            .abortIncompleteMultipartUpload(a -> a.daysAfterInitiation(MULTIPART_DAYS))
            .build());
    try {
      s3.putBucketLifecycleConfiguration(
          r ->
              r.bucket(warehouse.bucket())
                  .lifecycleConfiguration(
                      BucketLifecycleConfiguration.builder().rules(rules).build()));
      return name + ": applied";
    } catch (S3Exception e) {
      if (unsupported(e)) {
        return name + ": " + NOT_SUPPORTED + " (" + errorCode(e) + ")";
      }
      throw e;
    }
  }

  private String encryption(S3Client s3) {
    String mode = config.get(JobConfig.S3_ENCRYPTION);
    if (mode.equals("none")) {
      return "default encryption: left as it is (s3.encryption=none)";
    }
    String kmsKey = config.get(JobConfig.S3_KMS_KEY);
    boolean kms = mode.equals("sse-kms");
    ServerSideEncryptionByDefault.Builder byDefault =
        ServerSideEncryptionByDefault.builder()
            .sseAlgorithm(kms ? ServerSideEncryption.AWS_KMS : ServerSideEncryption.AES256);
    if (kms && !kmsKey.isEmpty()) {
      byDefault.kmsMasterKeyID(kmsKey);
    }
    String name =
        "default encryption: "
            + (kms
                ? "SSE-KMS" + (kmsKey.isEmpty() ? " (aws/s3 key)" : " key " + kmsKey)
                : "SSE-S3");
    try {
      s3.putBucketEncryption(
          r ->
              r.bucket(warehouse.bucket())
                  .serverSideEncryptionConfiguration(
                      c ->
                          c.rules(
                              ServerSideEncryptionRule.builder()
                                  .applyServerSideEncryptionByDefault(byDefault.build())
                                  // a bucket key saves a KMS call per object
                                  .bucketKeyEnabled(kms)
                                  .build())));
      return name + ": applied";
    } catch (S3Exception e) {
      if (unsupported(e)) {
        return name + ": " + NOT_SUPPORTED + " (" + errorCode(e) + ")";
      }
      throw e;
    }
  }

  /**
   * Whether the endpoint lacks the API: 501 NotImplemented (S3Proxy's lifecycle), 405, or a bare
   * 500 without an S3 error code (S3Proxy's encryption); AWS, MinIO and Ceph answer errors with a
   * code.
   */
  static boolean unsupported(S3Exception e) {
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    return e.statusCode() == 501
        || e.statusCode() == 405
        || "NotImplemented".equals(code)
        || (e.statusCode() == 500 && (code == null || code.isEmpty()));
  }

  private static String errorCode(S3Exception e) {
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    return code == null || code.isEmpty() ? "HTTP " + e.statusCode() : code;
  }

  /** {@code ./tarn s3 setup --config <file> [--key value]...}: prints one line per step. */
  public static void main(String[] args) {
    for (String line : new BucketSetup(JobConfig.fromArgs(args)).apply()) {
      System.out.println(line);
    }
  }
}
