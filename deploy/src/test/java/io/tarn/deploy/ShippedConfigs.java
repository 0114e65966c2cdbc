package io.tarn.deploy;

import io.tarn.cdc.CaptureConfig;
import io.tarn.jobs.config.ConfigKey;
import io.tarn.jobs.config.JobConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs the shipped properties through the parsers the jobs and the capture use at startup, so a
 * typo in a deployment file fails here, naming the key, rather than at `flink run`.
 */
final class ShippedConfigs {
  /** The S3 keys the deployment files use for the lake (MinIO or AWS); see {@link #s3KeysKnown}. */
  static final String S3_PREFIX = "s3.";

  private ShippedConfigs() {}

  /**
   * Whether JobConfig has S3 settings yet. They arrive with the S3 work of the same issue; until
   * then the {@code s3.*} lines are set aside here and {@code JobConfigS3Test} is skipped, so the
   * rest of every file is still validated.
   */
  static boolean s3KeysKnown() {
    return JobConfig.KEYS.stream().map(ConfigKey::name).anyMatch(k -> k.startsWith(S3_PREFIX));
  }

  /** Validates job settings with {@link JobConfig}; throws its "Cannot configure Tarn" error. */
  static JobConfig jobConfig(Map<String, String> settings) {
    Map<String, String> checked = new LinkedHashMap<>(settings);
    if (!s3KeysKnown()) {
      checked.keySet().removeIf(k -> k.startsWith(S3_PREFIX));
    }
    return JobConfig.of(checked);
  }

  /**
   * Validates capture settings with {@link CaptureConfig}. The password variable is checked by the
   * caller against the container's environment: CaptureConfig requires it to be set in this JVM.
   */
  static CaptureConfig captureConfig(Map<String, String> settings) {
    Map<String, String> checked = new LinkedHashMap<>(settings);
    checked.remove(CaptureConfig.SOURCE_PASSWORD_ENV);
    return CaptureConfig.of(checked);
  }
}
