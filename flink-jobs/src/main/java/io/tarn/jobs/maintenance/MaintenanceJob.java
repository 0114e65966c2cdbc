package io.tarn.jobs.maintenance;

import io.tarn.jobs.JobEnvironment;
import io.tarn.jobs.config.JobConfig;
import io.tarn.jobs.lake.Lake;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.flink.maintenance.api.DeleteOrphanFiles;
import org.apache.iceberg.flink.maintenance.api.ExpireSnapshots;
import org.apache.iceberg.flink.maintenance.api.JdbcLockFactory;
import org.apache.iceberg.flink.maintenance.api.RewriteDataFiles;
import org.apache.iceberg.flink.maintenance.api.TableMaintenance;

/**
 * Maintenance: Iceberg's Flink maintenance tasks on every table of the lake while the pipeline
 * streams — compaction (including merging equality deletes of the gold upsert tables), snapshot
 * expiry, and orphan file cleanup — so file counts stay bounded. A table is maintained after {@code
 * maintenance.commit-count} commits or {@code maintenance.interval}, whichever comes first; a JDBC
 * lock in the catalog database keeps two runs on one table apart.
 */
public final class MaintenanceJob {
  public static final String NAME = "tarn-maintenance";

  private MaintenanceJob() {}

  public static void main(String[] args) throws Exception {
    JobEnvironment.run(NAME, args, MaintenanceJob::addTo);
  }

  /** Maintains every table the lake has when the job is built. */
  public static void addTo(StreamExecutionEnvironment env, JobConfig config)
      throws java.io.IOException {
    addTo(env, config, tablesOf(new Lake(config)));
  }

  /** Every table in the lake's zones at the time the job starts. */
  public static List<TableIdentifier> tablesOf(Lake lake) {
    Catalog catalog = lake.catalogLoader().loadCatalog();
    try {
      List<TableIdentifier> tables = new ArrayList<>();
      List<String> namespaces = new ArrayList<>(Lake.ZONES);
      namespaces.add("audit"); // compaction keeps the rows, so the chain stays intact
      for (String zone : namespaces) {
        try {
          tables.addAll(catalog.listTables(Namespace.of(zone)));
        } catch (org.apache.iceberg.exceptions.NoSuchNamespaceException absent) {
          // nothing written to this zone yet
        }
      }
      return tables;
    } finally {
      Lake.closeQuietly(catalog);
    }
  }

  public static void addTo(
      StreamExecutionEnvironment env, JobConfig config, List<TableIdentifier> tables)
      throws java.io.IOException {
    Lake lake = new Lake(config);
    for (TableIdentifier id : tables) {
      String uid = id.toString().replace('.', '-');
      TableMaintenance.forTable(env, lake.tableLoader(id), lockFactory(config, id))
          .uidSuffix("maintenance-" + uid)
          .rateLimit(config.get(JobConfig.MAINTENANCE_INTERVAL).dividedBy(2))
          .add(
              RewriteDataFiles.builder()
                  .scheduleOnCommitCount(config.get(JobConfig.MAINTENANCE_COMMITS))
                  .scheduleOnInterval(config.get(JobConfig.MAINTENANCE_INTERVAL))
                  .targetFileSizeBytes(config.get(JobConfig.TARGET_FILE_SIZE))
                  .partialProgressEnabled(true)
                  .partialProgressMaxCommits(10)
                  .deleteFileThreshold(1)
                  .minInputFiles(2))
          .add(
              ExpireSnapshots.builder()
                  .scheduleOnCommitCount(config.get(JobConfig.MAINTENANCE_COMMITS))
                  .scheduleOnInterval(config.get(JobConfig.MAINTENANCE_INTERVAL))
                  .maxSnapshotAge(config.get(JobConfig.SNAPSHOT_RETENTION))
                  .retainLast(5))
          .add(
              DeleteOrphanFiles.builder()
                  .scheduleOnInterval(config.get(JobConfig.MAINTENANCE_INTERVAL).multipliedBy(4))
                  .minAge(config.get(JobConfig.ORPHAN_MIN_AGE)))
          .append();
    }
  }

  private static JdbcLockFactory lockFactory(JobConfig config, TableIdentifier id) {
    Map<String, String> props = Lake.catalogProperties(config);
    props.put(JdbcLockFactory.INIT_LOCK_TABLES_PROPERTY, "true");
    return new JdbcLockFactory(config.get(JobConfig.CATALOG_URI), id.toString(), props);
  }
}
