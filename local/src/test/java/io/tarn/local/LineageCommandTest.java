package io.tarn.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tarn.jobs.bronze.BronzeJob;
import io.tarn.jobs.config.ConfigException;
import io.tarn.jobs.config.JobConfig;
import io.tarn.jobs.gold.GoldJob;
import io.tarn.jobs.gold.GoldTables;
import io.tarn.jobs.lineage.LineageTable;
import io.tarn.jobs.lineage.RunEvent;
import io.tarn.jobs.silver.SilverJob;
import io.tarn.jobs.silver.SilverTable;
import io.tarn.schemas.DomainSchemas;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./tarn lineage} and {@code ./tarn tables} over a lake folder with real Iceberg tables. */
class LineageCommandTest {
  @TempDir Path root;

  private DataDir lakeWithLineage() {
    DataDir dataDir = new DataDir(root);
    dataDir.create();
    JobConfig config =
        JobConfig.of(
            Map.of(
                "kafka.bootstrap.servers",
                "127.0.0.1:19092",
                "registry.url",
                "http://127.0.0.1:18081",
                "catalog.uri",
                "jdbc:sqlite:" + dataDir.catalogDb(),
                "catalog.warehouse",
                dataDir.warehouse().toString()));
    Instant t = Instant.parse("2026-03-04T05:06:07Z");
    UUID silverRun = UUID.randomUUID();
    LineageTable.append(
        dataDir.lake(),
        new RunEvent("START", t, UUID.randomUUID(), "tarn", BronzeJob.lineage(config)));
    LineageTable.append(
        dataDir.lake(), new RunEvent("START", t, silverRun, "tarn", SilverJob.lineage(config)));
    LineageTable.append(
        dataDir.lake(),
        new RunEvent("START", t, UUID.randomUUID(), "tarn", GoldJob.lineage(config)));
    LineageTable.append(
        dataDir.lake(),
        new RunEvent("FAIL", t.plusSeconds(30), silverRun, "tarn", SilverJob.lineage(config)));
    return dataDir;
  }

  @Test
  void lineagePrintsUpstreamDownstreamAndColumnsOfATable() {
    String report = TarnCli.lineage(lakeWithLineage(), "silver.order_items");

    assertThat(report)
        .startsWith("silver.order_items  (file:")
        .contains("Upstream:\n  shop.order_items  --tarn-silver-->  silver.order_items\n")
        .contains("silver.order_items  --tarn-gold-->  gold.revenue_per_category_minute")
        .contains("silver.order_items  --tarn-gold-->  gold.revenue_per_category_hour")
        .containsPattern("unit_price +<- shop\\.order_items\\.unit_price \\(IDENTITY\\)")
        .contains("tarn-silver: FAIL at 2026-03-04T05:06:37Z");
  }

  @Test
  void lineageOfAGoldTableReachesBackToItsTopic() {
    String report = TarnCli.lineage(lakeWithLineage(), "gold.customer_lifetime_value");

    assertThat(report)
        .contains("silver.orders  --tarn-gold-->  gold.customer_lifetime_value")
        .contains("shop.orders  --tarn-silver-->  silver.orders")
        .containsPattern(
            "revenue +<- silver\\.orders\\.total_amount \\(AGGREGATION\\), silver\\.orders\\.order_id"
                + " \\(AGGREGATION\\), silver\\.orders\\.status \\(FILTER\\)")
        .contains("Downstream:\n  (none)");
  }

  @Test
  void lineageOfAnUnknownTableNamesTheKnownOnes() {
    DataDir dataDir = lakeWithLineage();
    assertThatThrownBy(() -> TarnCli.lineage(dataDir, "silver.nope"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("silver.nope")
        .hasMessageContaining("gold.customer_lifetime_value");
  }

  @Test
  void tablesShowsOwnerZoneAndClassification() {
    DataDir dataDir = new DataDir(root);
    dataDir.create();
    SilverTable customers = new SilverTable(DomainSchemas.forTable("customers"));
    dataDir
        .lake()
        .createIfAbsent(
            customers.id(), customers.schema(), customers.spec(), customers.properties());
    GoldTables.GoldTable value = GoldTables.CUSTOMER_LIFETIME_VALUE;
    dataDir
        .lake()
        .createIfAbsent(
            value.id(), value.documentedSchema(), value.spec(), value.metadata().properties());

    String listing = LakeTables.format(LakeTables.read(dataDir.lake(), true));

    assertThat(listing)
        .containsPattern("silver\\.customers +silver +team-accounts +confidential")
        .containsPattern("gold\\.customer_lifetime_value +gold +team-checkout +internal");
  }
}
