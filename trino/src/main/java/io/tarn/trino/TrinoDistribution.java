package io.tarn.trino;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Unpacks what a local Trino needs from Maven Central's trino-server tarball: {@code lib/}, {@code
 * plugin/iceberg/} and {@code plugin/kafka-event-listener/}, about 190 MB of its 821 MB. Run by the
 * build ({@code process-classes}).
 *
 * <p>The tarball stores a jar once and every other copy as a hard link to the first, often in
 * another plugin's folder; Maven's own unpacking turns those links into empty files. So this reads
 * the tarball twice: once to learn which files outside the two folders are link targets, once to
 * extract the folders plus those targets, which are then linked into place and dropped.
 */
final class TrinoDistribution {
  private static final List<String> PARTS =
      List.of("lib/", "plugin/iceberg/", "plugin/kafka-event-listener/");

  private TrinoDistribution() {}

  /** {@code TrinoDistribution <tarball> <home>}: unpacks into home unless it is there already. */
  public static void main(String[] args) {
    if (args.length != 2) {
      throw new IllegalArgumentException("Usage: TrinoDistribution <trino-server.tar.gz> <home>");
    }
    unpack(Path.of(args[0]), Path.of(args[1]));
  }

  static void unpack(Path tarball, Path home) {
    Path complete = home.resolve(".unpacked");
    String marker = tarball.getFileName() + " " + PARTS + "\n";
    try {
      // a home unpacked with other parts (an older build) is unpacked again
      if (Files.exists(complete) && Files.readString(complete).equals(marker)) {
        return;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + complete, e);
    }
    Path staging = home.resolveSibling(home.getFileName() + ".unpacking");
    try {
      deleteTree(staging);
      deleteTree(home);
      Predicate<String> wanted = name -> PARTS.stream().anyMatch(name::startsWith);
      Set<String> targets = linkTargets(tarball, wanted);
      extract(tarball, staging, wanted, targets);
      Files.writeString(staging.resolve(".unpacked"), marker);
      Files.move(staging, home, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot unpack Trino from " + tarball + " into " + home, e);
    }
  }

  /** Files outside the wanted parts that a wanted hard link points to. */
  private static Set<String> linkTargets(Path tarball, Predicate<String> wanted)
      throws IOException {
    Set<String> targets = new HashSet<>();
    try (TarArchiveInputStream tar = open(tarball)) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        String name = relative(e.getName());
        if (e.isLink() && wanted.test(name) && !wanted.test(relative(e.getLinkName()))) {
          targets.add(relative(e.getLinkName()));
        }
      }
    }
    return targets;
  }

  private static void extract(Path tarball, Path dir, Predicate<String> wanted, Set<String> targets)
      throws IOException {
    Path linked = dir.resolve(".link-targets");
    Map<String, Path> written = new HashMap<>();
    try (TarArchiveInputStream tar = open(tarball)) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        String name = relative(e.getName());
        boolean want = wanted.test(name);
        if (e.isDirectory() || name.isEmpty() || !(want || targets.contains(name))) {
          continue;
        }
        Path file = inside(want ? dir : linked, name);
        Files.createDirectories(file.getParent());
        if (e.isLink()) {
          Path target = written.get(relative(e.getLinkName()));
          if (target == null) {
            throw new IOException(name + " links to " + e.getLinkName() + ", not extracted");
          }
          link(file, target);
        } else if (e.isFile()) {
          Files.copy(tar, file);
        } else {
          throw new IOException("Unexpected entry " + e.getName() + " (type " + e.getMode() + ")");
        }
        written.put(name, file);
      }
    }
    deleteTree(linked);
  }

  private static void link(Path file, Path target) throws IOException {
    try {
      Files.createLink(file, target);
    } catch (FileSystemException | UnsupportedOperationException e) {
      Files.copy(target, file); // a file system without hard links
    }
  }

  private static TarArchiveInputStream open(Path tarball) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(tarball), 1 << 16);
    return new TarArchiveInputStream(new GZIPInputStream(in, 1 << 16));
  }

  /** The name without the tarball's top folder ({@code trino-server-476/}). */
  private static String relative(String name) {
    int slash = name.indexOf('/');
    return slash < 0 ? "" : name.substring(slash + 1);
  }

  private static Path inside(Path dir, String name) throws IOException {
    Path file = dir.resolve(name).normalize();
    if (!file.startsWith(dir)) {
      throw new IOException("Entry " + name + " points outside " + dir);
    }
    return file;
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
