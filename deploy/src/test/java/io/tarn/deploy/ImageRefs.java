package io.tarn.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;

/** Container image references: every one pinned to an exact version, never a moving tag. */
final class ImageRefs {
  private static final Pattern TAG = Pattern.compile("^[^:@\\s]+(:(?<tag>[A-Za-z0-9_.-]+))?$");

  private ImageRefs() {}

  static String tag(String image) {
    var m = TAG.matcher(image);
    return m.matches() ? m.group("tag") : null;
  }

  /**
   * A tag that names a release: it has a digit, is not latest/stable, and is not a bare major line
   * like {@code postgres:15} (Trino's single-number releases, {@code trinodb/trino:476}, are
   * exact).
   */
  static void assertPinned(String where, String image) {
    String tag = tag(image);
    assertThat(tag).as("%s: image %s has no tag", where, image).isNotNull();
    assertThat(tag)
        .as("%s: image %s must be pinned to an exact version", where, image)
        .doesNotContainIgnoringCase("latest")
        .doesNotContainIgnoringCase("stable")
        .containsPattern("\\d")
        .doesNotMatch("\\d{1,2}");
  }
}
