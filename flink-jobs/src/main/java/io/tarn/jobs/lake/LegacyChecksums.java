package io.tarn.jobs.lake;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import software.amazon.awssdk.core.checksums.ChecksumSpecs;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkInternalExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * Checksums as S3 took them before 2023: Content-MD5 on the operations that need a checksum
 * (DeleteObjects, PutBucketLifecycleConfiguration, ...), no {@code x-amz-checksum-*} headers.
 *
 * <p>Even with {@code requestChecksumCalculation=WHEN_REQUIRED}, AWS SDK 2.30+ adds a CRC32 header
 * to those operations, and servers that predate flexible checksums answer 501 NotImplemented
 * (S3Proxy 2.6). The SDK offers no switch for that, so this drops the resolved checksum requirement
 * (an SDK-internal execution attribute) before the checksum stage and sets Content-MD5 itself; both
 * happen before signing, so the signature covers the MD5.
 */
final class LegacyChecksums implements ExecutionInterceptor {
  @Override
  public SdkHttpRequest modifyHttpRequest(
      Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
    ChecksumSpecs specs =
        attributes.getAttribute(SdkInternalExecutionAttribute.RESOLVED_CHECKSUM_SPECS);
    if (specs == null || !specs.isRequestChecksumRequired() || specs.algorithm() != null) {
      return context.httpRequest();
    }
    attributes.putAttribute(
        SdkInternalExecutionAttribute.RESOLVED_CHECKSUM_SPECS,
        ChecksumSpecs.builder()
            .isRequestChecksumRequired(false)
            .isRequestStreaming(specs.isRequestStreaming())
            .build());
    if (context.httpRequest().firstMatchingHeader("Content-MD5").isPresent()
        || context.requestBody().isEmpty()) {
      return context.httpRequest();
    }
    try (InputStream body = context.requestBody().get().contentStreamProvider().newStream()) {
      byte[] md5 = MessageDigest.getInstance("MD5").digest(body.readAllBytes());
      return context.httpRequest().toBuilder()
          .putHeader("Content-MD5", Base64.getEncoder().encodeToString(md5))
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot compute Content-MD5 of an S3 request", e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Cannot compute Content-MD5: no MD5 in this JVM", e);
    }
  }
}
