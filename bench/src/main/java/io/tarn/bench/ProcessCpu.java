package io.tarn.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of a process from {@code /proc/<pid>/stat}: its own (utime + stime, all threads) and
 * that of its children it has waited for (cutime + cstime). The latter is how the CPU of a child
 * JVM that already exited (a Kafka perf tool) is still counted: its time is added to ours when
 * {@link Process#waitFor()} reaps it.
 */
public final class ProcessCpu {
  /** USER_HZ: /proc reports in these ticks; 100 on every Linux architecture we run on. */
  public static final long TICKS_PER_SECOND = 100;

  private ProcessCpu() {}

  /** One reading, in ticks. */
  public record Sample(long ownTicks, long childTicks) {
    public double ownSecondsSince(Sample before) {
      return (ownTicks - before.ownTicks) / (double) TICKS_PER_SECOND;
    }

    public double childSecondsSince(Sample before) {
      return (childTicks - before.childTicks) / (double) TICKS_PER_SECOND;
    }
  }

  public static Sample sample(long pid) {
    Path stat = Path.of("/proc", Long.toString(pid), "stat");
    try {
      return parse(Files.readString(stat));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read CPU time of process " + pid + " from " + stat, e);
    }
  }

  public static Sample self() {
    return sample(ProcessHandle.current().pid());
  }

  /**
   * Parses a stat line. The command name (field 2) is in parentheses and may hold spaces and
   * parentheses itself, so fields are counted from the last ')'.
   */
  static Sample parse(String stat) {
    int end = stat.lastIndexOf(')');
    if (end < 0) {
      throw new IllegalArgumentException("Cannot parse /proc stat line: no ')' in '" + stat + "'");
    }
    // after ") " come fields 3 (state), 4, ...; utime is field 14, stime 15, cutime 16, cstime 17
    String[] fields = stat.substring(end + 2).trim().split(" +");
    if (fields.length < 15) {
      throw new IllegalArgumentException(
          "Cannot parse /proc stat line: only "
              + (fields.length + 2)
              + " fields in '"
              + stat
              + "'");
    }
    long utime = Long.parseLong(fields[11]);
    long stime = Long.parseLong(fields[12]);
    long cutime = Long.parseLong(fields[13]);
    long cstime = Long.parseLong(fields[14]);
    return new Sample(utime + stime, cutime + cstime);
  }
}
