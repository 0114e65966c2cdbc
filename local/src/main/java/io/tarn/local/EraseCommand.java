package io.tarn.local;

import io.tarn.jobs.config.ConfigException;
import io.tarn.jobs.config.Parsers;
import io.tarn.local.erasure.AuditPublisher;
import io.tarn.local.erasure.Certificate;
import io.tarn.local.erasure.Erasure;
import io.tarn.local.erasure.SubjectHash;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** {@code ./tarn erase --subject <id>}: the right to erasure on a local lake. */
final class EraseCommand {
  /** The options; {@code bootstrap} is null when no audit event is to be published. */
  record Options(Path dataDir, String subject, String bootstrap, Duration orphanMinAge) {
    static Options parse(String[] args) {
      Path dataDir = Path.of(".tarn");
      String subject = null;
      String bootstrap = null;
      Duration orphanMinAge = Duration.ofMinutes(10);
      for (int i = 0; i < args.length; i++) {
        String flag = args[i];
        if (i + 1 >= args.length) {
          throw new ConfigException("Cannot erase: option %s needs a value", flag);
        }
        String value = args[++i];
        switch (flag) {
          case "--subject" -> subject = value;
          case "--data-dir" -> dataDir = Path.of(value);
          case "--bootstrap" -> bootstrap = value;
          case "--orphan-min-age" -> {
            try {
              orphanMinAge = Parsers.DURATION_VALUE.apply(value);
            } catch (RuntimeException e) {
              throw new ConfigException(
                  "Cannot erase: --orphan-min-age expects a duration such as 10m or 0s, got '%s'",
                  value);
            }
          }
          default ->
              throw new ConfigException(
                  "Cannot erase: unknown option %s (expected --subject, --data-dir, --bootstrap,"
                      + " --orphan-min-age)",
                  flag);
        }
      }
      if (subject == null || subject.isBlank()) {
        throw new ConfigException(
            "Cannot erase: --subject <customer id> is required, e.g. ./tarn erase --subject"
                + " C0000042");
      }
      return new Options(dataDir, subject, bootstrap, orphanMinAge);
    }
  }

  private EraseCommand() {}

  static Certificate run(Options options, PrintStream out) {
    DataDir dataDir = new DataDir(options.dataDir());
    if (!dataDir.exists()) {
      throw new ConfigException(
          "Cannot erase: no lake at %s (pass --data-dir)", dataDir.catalogDb());
    }
    SubjectHash hash = SubjectHash.keyIn(dataDir.erasureKey());
    Certificate certificate =
        new Erasure(dataDir.lake(), hash, options.orphanMinAge()).erase(options.subject());
    Path file =
        dataDir
            .erasures()
            .resolve(
                certificate.finished().toString().replace(':', '-')
                    + "-"
                    + certificate.erasureId()
                    + ".json");
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, certificate.toJson());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the erasure certificate " + file, e);
    }
    out.print(certificate.toText());
    out.println("  certificate: " + file);
    if (options.bootstrap() != null) {
      new AuditPublisher(options.bootstrap()).publish(AuditPublisher.eventOf(certificate));
      out.println("  audit event published to Kafka at " + options.bootstrap());
    } else {
      out.println("  audit event not published (no --bootstrap given)");
    }
    return certificate;
  }
}
