package io.tarn.trino;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Trino's file-based system access control ({@code access-control.name=file}) over a rules file,
 * such as the one {@code ./tarn access render} writes from the policy. Without it, Trino allows
 * every user everything.
 *
 * <p>The rules name users, not groups (the policy expands its groups), so no group provider is
 * configured.
 *
 * @param rulesFile the JSON rules file; Trino re-reads it every {@code refreshSeconds}
 * @param refreshSeconds how often Trino reloads the file, so policy changes apply without restart
 */
public record AccessControl(Path rulesFile, int refreshSeconds) {
  public AccessControl {
    rulesFile = rulesFile.toAbsolutePath().normalize();
    if (refreshSeconds < 1) {
      throw new IllegalArgumentException(
          "Cannot configure Trino access control: refresh period must be ≥ 1 s, got "
              + refreshSeconds);
    }
  }

  /** The rules file, reloaded every minute. */
  public static AccessControl file(Path rulesFile) {
    return new AccessControl(rulesFile, 60);
  }

  /** The properties of {@code etc/access-control.properties}. */
  Map<String, String> properties() {
    if (!Files.isRegularFile(rulesFile)) {
      // Trino would only say so in its log, after a minute of starting
      throw new IllegalArgumentException(
          "Cannot configure Trino access control: rules file " + rulesFile + " does not exist");
    }
    Map<String, String> props = new LinkedHashMap<>();
    props.put("access-control.name", "file");
    props.put("security.config-file", rulesFile.toString());
    props.put("security.refresh-period", refreshSeconds + "s");
    return props;
  }
}
