package io.tarn.local;

import io.tarn.jobs.audit.AuditLog;
import io.tarn.jobs.lake.Lake;
import io.tarn.schemas.audit.AuditEvent;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.runtime.executiongraph.ErrorInfo;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;

/**
 * Watches the local jobs and records in the audit log when one fails ({@code job.fail}, with the
 * first line of the cause) and when it runs again ({@code job.recover}). Polls every two seconds:
 * the MiniCluster has no status callback, and a restart takes longer than that. Every 30 s it also
 * records the maintenance job's compactions and expiries found in the tables' history ({@link
 * MaintenanceHistory}).
 */
final class JobWatch implements AutoCloseable {
  private static final int MAX_CAUSE = 500;

  private final MiniCluster cluster;
  private final Map<LocalJob, JobID> jobs;
  private final AuditLog audit;
  private final Lake lake;
  private final MaintenanceHistory history = new MaintenanceHistory();
  private final Map<LocalJob, JobStatus> last = new EnumMap<>(LocalJob.class);
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "tarn-job-watch");
            t.setDaemon(true);
            return t;
          });

  JobWatch(MiniCluster cluster, Map<LocalJob, JobID> jobs, AuditLog audit, Lake lake) {
    this.cluster = cluster;
    this.jobs = jobs;
    this.audit = audit;
    this.lake = lake;
  }

  void start() {
    timer.scheduleWithFixedDelay(this::poll, 2, 2, TimeUnit.SECONDS);
    timer.scheduleWithFixedDelay(this::pollMaintenance, 0, 30, TimeUnit.SECONDS);
  }

  void pollMaintenance() {
    Catalog catalog = lake.catalogLoader().loadCatalog();
    try {
      List<String> namespaces = new ArrayList<>(Lake.ZONES);
      namespaces.add("audit");
      for (String namespace : namespaces) {
        List<TableIdentifier> ids;
        try {
          ids = catalog.listTables(Namespace.of(namespace));
        } catch (NoSuchNamespaceException notYet) {
          continue;
        }
        for (TableIdentifier id : ids) {
          history.changes(id.toString(), catalog.loadTable(id)).forEach(audit::record);
        }
      }
    } catch (RuntimeException e) {
      // a table being committed to or a busy catalog: look again next time
    } finally {
      Lake.closeQuietly(catalog);
    }
  }

  void poll() {
    jobs.forEach(
        (job, id) -> {
          JobStatus status;
          try {
            status = cluster.getJobStatus(id).get(5, TimeUnit.SECONDS);
          } catch (Exception e) {
            return; // cluster busy or closing: look again next time
          }
          JobStatus before = last.put(job, status);
          if (failing(status) && (before == null || !failing(before))) {
            audit.record(
                AuditEvent.of(
                    "job:" + job.jobName,
                    "job.fail",
                    job.jobName,
                    AuditEvent.FAILURE,
                    Map.of("status", status.name(), "cause", cause(id))));
          } else if (status == JobStatus.RUNNING && before != null && failing(before)) {
            audit.record(
                AuditEvent.of(
                    "job:" + job.jobName,
                    "job.recover",
                    job.jobName,
                    AuditEvent.SUCCESS,
                    Map.of("status", status.name())));
          }
        });
  }

  private static boolean failing(JobStatus status) {
    return status == JobStatus.FAILING
        || status == JobStatus.RESTARTING
        || status == JobStatus.FAILED;
  }

  private String cause(JobID id) {
    try {
      ErrorInfo failure =
          cluster.getArchivedExecutionGraph(id).get(5, TimeUnit.SECONDS).getFailureInfo();
      return failure == null ? "unknown" : firstLine(failure.getExceptionAsString());
    } catch (Exception e) {
      return "unknown (" + e.getClass().getSimpleName() + ")";
    }
  }

  static String firstLine(String text) {
    String line = text.lines().findFirst().orElse("");
    return line.length() <= MAX_CAUSE ? line : line.substring(0, MAX_CAUSE) + "…";
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
