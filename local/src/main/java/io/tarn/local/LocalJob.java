package io.tarn.local;

import io.tarn.jobs.JobEnvironment;
import io.tarn.jobs.audit.AuditJob;
import io.tarn.jobs.bronze.BronzeJob;
import io.tarn.jobs.gold.GoldJob;
import io.tarn.jobs.maintenance.MaintenanceJob;
import io.tarn.jobs.silver.SilverJob;

/**
 * The jobs local mode runs, in the order they are built: each creates the tables it writes, and
 * maintenance picks up every table that exists by then.
 */
enum LocalJob {
  BRONZE(BronzeJob.NAME, BronzeJob::addTo),
  SILVER(SilverJob.NAME, SilverJob::addTo),
  GOLD(GoldJob.NAME, GoldJob::addTo),
  AUDIT(AuditJob.NAME, AuditJob::addTo),
  MAINTENANCE(MaintenanceJob.NAME, MaintenanceJob::addTo);

  final String jobName;
  final JobEnvironment.JobGraph graph;

  LocalJob(String jobName, JobEnvironment.JobGraph graph) {
    this.jobName = jobName;
    this.graph = graph;
  }
}
