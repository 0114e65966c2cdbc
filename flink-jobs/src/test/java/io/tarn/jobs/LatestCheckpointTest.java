package io.tarn.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LatestCheckpointTest {
  @TempDir Path dir;

  private Path checkpoint(Path parent, String name, long modifiedMillis, boolean complete)
      throws Exception {
    Path folder = Files.createDirectories(parent.resolve(name));
    if (complete) {
      Path metadata = Files.writeString(folder.resolve("_metadata"), "x");
      Files.setLastModifiedTime(metadata, FileTime.fromMillis(modifiedMillis));
    }
    return folder;
  }

  @Test
  void picksTheNewestCompleteCheckpointOrSavepoint() throws Exception {
    Path checkpoints = dir.resolve("checkpoints");
    Path savepoints = dir.resolve("savepoints");
    checkpoint(checkpoints.resolve("job1"), "chk-3", 1_000, true);
    Path newest = checkpoint(savepoints, "savepoint-1", 3_000, true);
    checkpoint(checkpoints.resolve("job2"), "chk-9", 2_000, true);
    checkpoint(checkpoints.resolve("job2"), "chk-10", 4_000, false);
    assertThat(LatestCheckpoint.in(checkpoints, savepoints)).contains(newest);
  }

  @Test
  void nothingToResumeFromInAFreshFolder() {
    assertThat(LatestCheckpoint.in(dir.resolve("absent"))).isEmpty();
  }
}
