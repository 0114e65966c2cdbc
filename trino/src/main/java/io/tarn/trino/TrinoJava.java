package io.tarn.trino;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The Java runtime Trino runs on. Trino 476 needs Java 24 or newer while Tarn itself runs on 17, so
 * it is looked up apart from ours: {@code TARN_TRINO_JAVA} (a Java home, or its {@code bin/java}),
 * then the JVM running Tarn, then the newest one under {@code /usr/lib/jvm}.
 */
record TrinoJava(Path home, int version) {
  static final int MIN_VERSION = 24;
  static final String ENV = "TARN_TRINO_JAVA";
  static final Path JVM_ROOT = Path.of("/usr/lib/jvm");

  /** Finds a Java 24+ as described above, or fails saying what to install. */
  static TrinoJava find() {
    return find(System.getenv(ENV), Path.of(System.getProperty("java.home")), JVM_ROOT);
  }

  static TrinoJava find(String configured, Path running, Path jvmRoot) {
    if (configured != null && !configured.isBlank()) {
      Path path = Path.of(configured.trim());
      Path home = Files.isRegularFile(path) ? path.getParent().getParent() : path;
      TrinoJava java =
          of(home)
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          String.format(
                              "Cannot start Trino: %s=%s is not a Java home (no release file with"
                                  + " JAVA_VERSION and no bin/java)",
                              ENV, configured)));
      if (java.version < MIN_VERSION) {
        throw new IllegalStateException(
            String.format(
                "Cannot start Trino: %s=%s is Java %d, Trino needs Java %d or newer",
                ENV, configured, java.version, MIN_VERSION));
      }
      return java;
    }

    Optional<TrinoJava> current = of(running).filter(j -> j.version >= MIN_VERSION);
    if (current.isPresent()) {
      return current.get();
    }
    List<TrinoJava> installed = installed(jvmRoot);
    return installed.stream()
        .filter(j -> j.version >= MIN_VERSION)
        .max(Comparator.comparingInt(TrinoJava::version))
        .orElseThrow(
            () ->
                new IllegalStateException(
                    String.format(
                        "Cannot start Trino: it needs Java %d or newer and none was found (%s is not"
                            + " set; found %s under %s). Install one, e.g. the Temurin 25 JDK from"
                            + " https://adoptium.net (Debian/Ubuntu: apt-get install temurin-25-jdk"
                            + " from the Adoptium repository), then set %s to its home",
                        MIN_VERSION,
                        ENV,
                        installed.isEmpty()
                            ? "no Java"
                            : installed.stream()
                                .map(j -> "Java " + j.version + " at " + j.home)
                                .toList(),
                        jvmRoot,
                        ENV)));
  }

  Path executable() {
    return home.resolve("bin").resolve("java");
  }

  private static List<TrinoJava> installed(Path jvmRoot) {
    List<TrinoJava> found = new ArrayList<>();
    if (!Files.isDirectory(jvmRoot)) {
      return found;
    }
    try (Stream<Path> homes = Files.list(jvmRoot)) {
      // Debian links several names to one JDK: count each real folder once
      homes.map(TrinoJava::realPath).distinct().sorted().forEach(h -> of(h).ifPresent(found::add));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list Java installations in " + jvmRoot, e);
    }
    return found;
  }

  private static Path realPath(Path path) {
    try {
      return path.toRealPath();
    } catch (IOException e) {
      return path;
    }
  }

  /** The Java at {@code home} with its feature version from the {@code release} file, if any. */
  static Optional<TrinoJava> of(Path home) {
    Path release = home.resolve("release");
    if (!Files.isRegularFile(release) || !Files.isExecutable(home.resolve("bin/java"))) {
      return Optional.empty();
    }
    Properties props = new Properties();
    try (Reader reader = Files.newBufferedReader(release)) {
      props.load(reader);
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
    return featureVersion(props.getProperty("JAVA_VERSION"))
        .map(version -> new TrinoJava(home, version));
  }

  /** {@code "25.0.1"} is 25, {@code "1.8.0_392"} is 8, quotes as in the release file. */
  static Optional<Integer> featureVersion(String value) {
    if (value == null) {
      return Optional.empty();
    }
    String v = value.replace("\"", "").trim();
    if (v.startsWith("1.")) {
      v = v.substring(2);
    }
    int end = 0;
    while (end < v.length() && Character.isDigit(v.charAt(end))) {
      end++;
    }
    return end == 0 ? Optional.empty() : Optional.of(Integer.parseInt(v.substring(0, end)));
  }
}
