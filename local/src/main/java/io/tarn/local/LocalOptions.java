package io.tarn.local;

import io.tarn.jobs.config.ConfigException;
import io.tarn.jobs.config.JobConfig;
import io.tarn.jobs.config.Parsers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Options of {@code ./tarn local}: how long to run, how fast and how much to produce, where the
 * lake lives, and any job setting ({@code --set key=value} or {@code --config file}), validated
 * before anything starts.
 *
 * @param events how many events to produce before stopping once bronze holds them all; -1 for no
 *     end
 * @param withTrino whether to start Trino over the lake too ({@code ./tarn trino}, Java 24+)
 */
record LocalOptions(
    Path dataDir,
    Duration duration,
    double rate,
    int registryPort,
    List<String> jobArgs,
    CdcSource cdc,
    long events,
    boolean withTrino) {

  LocalOptions(
      Path dataDir, Duration duration, double rate, int registryPort, List<String> jobArgs) {
    this(dataDir, duration, rate, registryPort, jobArgs, null, -1, false);
  }

  static LocalOptions parse(String[] args) {
    Path dataDir = Path.of(".tarn");
    Duration duration = null;
    double rate = 200;
    int registryPort = 0;
    List<String> jobArgs = new ArrayList<>();
    CdcSource cdc = null;
    long events = -1;
    boolean withTrino = false;
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (flag.equals("--with-trino")) {
        withTrino = true;
        continue;
      }
      String value = i + 1 < args.length ? args[i + 1] : null;
      if (value == null) {
        throw new ConfigException("Cannot start Tarn: option %s needs a value", flag);
      }
      i++;
      switch (flag) {
        case "--duration" -> duration = parse(flag, value, Parsers.DURATION_VALUE);
        case "--rate" -> rate = parseRate(value);
        case "--events" -> events = parse(flag, value, Parsers.POSITIVE_INT);
        case "--data-dir" -> dataDir = Path.of(value);
        case "--registry-port" -> registryPort = parse(flag, value, Parsers.POSITIVE_INT);
        case "--config" -> jobArgs.addAll(List.of("--config", value));
        case "--cdc" -> cdc = CdcSource.read(Path.of(value));
        case "--set" -> {
          int eq = value.indexOf('=');
          if (eq <= 0) {
            throw new ConfigException(
                "Cannot start Tarn: --set expects key=value, got '%s'", value);
          }
          jobArgs.addAll(List.of("--" + value.substring(0, eq), value.substring(eq + 1)));
        }
        default ->
            throw new ConfigException(
                "Cannot start Tarn: unknown option %s (expected --duration, --rate, --events,"
                    + " --data-dir, --registry-port, --config, --set, --cdc or --with-trino)",
                flag);
      }
    }
    if (events >= 0 && rate == 0) {
      throw new ConfigException(
          "Cannot start Tarn: option --events %d needs a producer, but --rate is 0", events);
    }
    // Validates keys and values now, with placeholders for what local mode fills in itself.
    withLocalSettings(
        Map.of(
            "kafka.bootstrap.servers",
            "127.0.0.1:9",
            "registry.url",
            "http://127.0.0.1:9",
            "catalog.uri",
            "jdbc:sqlite:" + Path.of("tarn-probe.db").toAbsolutePath(),
            "catalog.warehouse",
            Path.of("").toAbsolutePath().toString()),
        jobArgs);
    return new LocalOptions(
        dataDir, duration, rate, registryPort, List.copyOf(jobArgs), cdc, events, withTrino);
  }

  /** The job configuration: local mode's settings, then the user's files and --set values. */
  JobConfig jobConfig(Map<String, String> localSettings) {
    return withLocalSettings(localSettings, jobArgs);
  }

  private static JobConfig withLocalSettings(Map<String, String> local, List<String> jobArgs) {
    List<String> args = new ArrayList<>();
    local.forEach((k, v) -> args.addAll(List.of("--" + k, v)));
    args.addAll(jobArgs);
    return JobConfig.fromArgs(args.toArray(String[]::new));
  }

  private static <T> T parse(String flag, String value, java.util.function.Function<String, T> p) {
    try {
      return p.apply(value);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          "Cannot start Tarn: option %s '%s': %s", flag, value, e.getMessage());
    }
  }

  private static double parseRate(String value) {
    try {
      double rate = Double.parseDouble(value);
      if (rate < 0) {
        throw new NumberFormatException();
      }
      return rate;
    } catch (NumberFormatException e) {
      throw new ConfigException(
          "Cannot start Tarn: option --rate '%s': expected events per second (0 = no producer)",
          value);
    }
  }
}
