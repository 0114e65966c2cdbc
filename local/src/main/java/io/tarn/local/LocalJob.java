package io.tarn.local;

import io.tarn.jobs.bronze.BronzeJob;
import io.tarn.jobs.config.JobConfig;
import io.tarn.jobs.gold.GoldJob;
import io.tarn.jobs.lake.Lake;
import io.tarn.jobs.maintenance.MaintenanceJob;
import io.tarn.jobs.silver.SilverJob;

/** The jobs local mode runs, in the order they are built (each creates the tables it writes). */
enum LocalJob {
  BRONZE(BronzeJob.NAME),
  SILVER(SilverJob.NAME),
  GOLD(GoldJob.NAME),
  MAINTENANCE(MaintenanceJob.NAME);

  final String jobName;

  LocalJob(String jobName) {
    this.jobName = jobName;
  }

  void addTo(
      org.apache.flink.streaming.api.environment.StreamExecutionEnvironment env, JobConfig config)
      throws java.io.IOException {
    switch (this) {
      case BRONZE -> BronzeJob.addTo(env, config);
      case SILVER -> SilverJob.addTo(env, config);
      case GOLD -> GoldJob.addTo(env, config);
      case MAINTENANCE ->
          MaintenanceJob.addTo(env, config, MaintenanceJob.tablesOf(new Lake(config)));
    }
  }
}
