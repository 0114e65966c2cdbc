package io.tarn.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the newest complete checkpoint or savepoint a job can resume from: a folder holding a
 * {@code _metadata} file (Flink writes it last, so its presence means the checkpoint completed).
 */
public final class LatestCheckpoint {
  private LatestCheckpoint() {}

  public static Optional<Path> in(Path... roots) {
    Path best = null;
    FileTime bestTime = null;
    for (Path root : roots) {
      if (!Files.isDirectory(root)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(root, 3)) {
        Optional<Path> newest =
            files
                .filter(p -> p.getFileName().toString().equals("_metadata"))
                .max(Comparator.comparing(LatestCheckpoint::modified));
        if (newest.isPresent()) {
          FileTime time = modified(newest.get());
          if (bestTime == null || time.compareTo(bestTime) > 0) {
            best = newest.get().getParent();
            bestTime = time;
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot look for checkpoints in " + root, e);
      }
    }
    return Optional.ofNullable(best);
  }

  private static FileTime modified(Path p) {
    try {
      return Files.getLastModifiedTime(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
