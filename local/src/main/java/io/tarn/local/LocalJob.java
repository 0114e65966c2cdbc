package io.tarn.local;

import io.tarn.jobs.JobEnvironment;
import io.tarn.jobs.audit.AuditJob;
import io.tarn.jobs.bronze.BronzeJob;
import io.tarn.jobs.config.JobConfig;
import io.tarn.jobs.gold.GoldJob;
import io.tarn.jobs.lineage.JobLineage;
import io.tarn.jobs.maintenance.MaintenanceJob;
import io.tarn.jobs.silver.SilverJob;
import java.util.function.Function;

/**
 * The jobs local mode runs, in the order they are built: each creates the tables it writes, and
 * maintenance picks up every table that exists by then.
 */
enum LocalJob {
  BRONZE(BronzeJob.NAME, BronzeJob::addTo, BronzeJob::lineage),
  SILVER(SilverJob.NAME, SilverJob::addTo, SilverJob::lineage),
  GOLD(GoldJob.NAME, GoldJob::addTo, GoldJob::lineage),
  AUDIT(AuditJob.NAME, AuditJob::addTo),
  MAINTENANCE(MaintenanceJob.NAME, MaintenanceJob::addTo);

  final String jobName;
  final JobEnvironment.JobGraph graph;
  final Function<JobConfig, JobLineage> lineage;

  LocalJob(String jobName, JobEnvironment.JobGraph graph) {
    this(jobName, graph, config -> JobLineage.none(jobName));
  }

  LocalJob(String jobName, JobEnvironment.JobGraph graph, Function<JobConfig, JobLineage> lineage) {
    this.jobName = jobName;
    this.graph = graph;
    this.lineage = lineage;
  }
}
