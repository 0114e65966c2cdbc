package io.tarn.jobs.lake;

import io.tarn.jobs.config.ConfigException;
import io.tarn.jobs.config.JobConfig;
import java.time.Duration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A warehouse in a bucket: {@code s3://bucket/prefix}. Checked at startup so that a wrong bucket,
 * endpoint or key fails the job with one clear line instead of at its first commit.
 */
public record S3Warehouse(String location, String bucket, String prefix) {
  /** How long a check or setup call may take, retries included: a wrong endpoint fails fast. */
  static final Duration CHECK_TIMEOUT = Duration.ofSeconds(30);

  /** Parses {@code s3://bucket[/prefix]} (or s3a://); the prefix has no leading or trailing /. */
  public static S3Warehouse parse(String location) {
    String rest = location.replaceFirst("^s3a?://", "");
    if (rest.equals(location)) {
      throw new ConfigException(
          "Cannot configure Tarn: key '%s' is %s, not an s3:// location",
          JobConfig.WAREHOUSE.name(), location);
    }
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String prefix = slash < 0 ? "" : rest.substring(slash + 1).replaceAll("^/+|/+$", "");
    if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
      throw new ConfigException(
          "Cannot configure Tarn: key '%s' is %s but '%s' is not a valid bucket name (3-63"
              + " characters: lower-case letters, digits, '.' and '-')",
          JobConfig.WAREHOUSE.name(), location, bucket);
    }
    return new S3Warehouse(location, bucket, prefix);
  }

  /** The key of {@code path} under the warehouse prefix, e.g. {@code prefix/bronze/}. */
  public String key(String path) {
    return prefix.isEmpty() ? path : prefix + "/" + path;
  }

  /**
   * Lists one object under the prefix, which needs the endpoint, the credentials and the bucket to
   * be right; fails with what is wrong otherwise.
   */
  public void check(S3Access access) {
    try (S3Client s3 = access.client(CHECK_TIMEOUT)) {
      s3.listObjectsV2(r -> r.bucket(bucket).prefix(key("")).maxKeys(1));
    } catch (RuntimeException e) {
      throw failure(access, e);
    }
  }

  /** The exception telling the user why the warehouse cannot be used. */
  ConfigException failure(S3Access access, RuntimeException e) {
    return new ConfigException("Cannot access warehouse %s: %s", location, reason(access, e));
  }

  /** What went wrong, in words that name the key to fix. */
  String reason(S3Access access, RuntimeException e) {
    String where = access.endpoint().isEmpty() ? "AWS S3" : access.endpoint();
    if (e instanceof NoSuchBucketException) {
      return String.format(
          "bucket '%s' does not exist at %s (create it with ./tarn s3 setup)", bucket, where);
    }
    if (e instanceof S3Exception s3) {
      String code = s3.awsErrorDetails() == null ? "" : s3.awsErrorDetails().errorCode();
      if (s3.statusCode() == 403
          || "InvalidAccessKeyId".equals(code)
          || "SignatureDoesNotMatch".equals(code)) {
        return String.format(
            "access denied by %s (%s): check keys '%s' and '%s' (or the AWS credentials in the"
                + " environment) and the bucket policy",
            where,
            code == null || code.isEmpty() ? "HTTP " + s3.statusCode() : code,
            JobConfig.S3_ACCESS_KEY.name(),
            JobConfig.S3_SECRET_KEY.name());
      }
      if (s3.statusCode() == 404) {
        return String.format("bucket '%s' does not exist at %s", bucket, where);
      }
      if (s3.statusCode() == 301 || "PermanentRedirect".equals(code)) {
        return String.format(
            "bucket '%s' is in another region than '%s': set key '%s'",
            bucket, access.region(), JobConfig.S3_REGION.name());
      }
      return String.format("%s answered HTTP %d %s", where, s3.statusCode(), code);
    }
    if (e instanceof SdkClientException) {
      return String.format(
          "cannot reach %s (key '%s'): %s", where, JobConfig.S3_ENDPOINT.name(), e.getMessage());
    }
    return e.toString();
  }
}
