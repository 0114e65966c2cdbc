package io.tarn.trino;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tarn.governance.policy.AccessEvaluator;
import io.tarn.governance.policy.Policy;
import io.tarn.governance.policy.TableAccess;
import io.tarn.governance.policy.TableAccess.ColumnAccess;
import io.tarn.governance.policy.TableAccess.Visibility;
import io.tarn.governance.policy.TrinoRules;
import io.tarn.jobs.JobEnvironment;
import io.tarn.jobs.audit.AuditJob;
import io.tarn.jobs.audit.AuditRecord;
import io.tarn.jobs.audit.AuditTableReader;
import io.tarn.jobs.audit.AuditVerifier;
import io.tarn.jobs.config.JobConfig;
import io.tarn.jobs.lake.Lake;
import io.tarn.kafka.broker.KafkaBroker;
import io.tarn.schemas.audit.AuditEvent;
import io.tarn.testing.db.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped policy ({@code deploy/policy/tarn-policy.yaml}) rendered by {@link TrinoRules} and
 * enforced by a real Trino over Iceberg tables shaped like the pipeline's (silver.customers with
 * the contract's columns and tags, bronze.customers, a gold table): masks, clear values for {@code
 * pii_reader}, Access Denied without a grant, row filters, bronze for its owners only, and {@code
 * ./tarn access explain} agreeing with what Trino returns for every user, table and column.
 */
class TrinoAccessIT {
  private static final String CATALOG = "tarn";
  private static final Path POLICY = Path.of("../deploy/policy/tarn-policy.yaml");
  private static final List<String> TABLES =
      List.of(
          "silver.customers",
          "silver.payments",
          "bronze.customers",
          "gold.revenue_per_category_minute");

  /** Every user of the policy, one per kind of access, and one it does not name. */
  private static final List<String> USERS =
      List.of("ada", "bob", "carol", "dave", "erin", "pat", "mallory");

  @RegisterExtension static final Servers servers = new Servers();
  @TempDir static Path dir;
  static Policy policy;
  static PostgresServer postgres;
  static TrinoServer trino;
  static TrinoQueries queries;
  static KafkaBroker broker;
  static JobConfig auditConfig;

  @BeforeAll
  static void startServers() throws Exception {
    policy = Policy.load(POLICY);
    assertThat(policy.catalog()).isEqualTo(CATALOG);
    Path rules = Files.writeString(dir.resolve("rules.json"), new TrinoRules(policy).json());
    postgres = servers.add(PostgresServer.start());
    // Trino's JDBC catalog does not create its tables (Iceberg's JdbcCatalog V1 schema)
    try (Connection c = postgres.connect();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE iceberg_tables (catalog_name VARCHAR(255) NOT NULL, table_namespace"
              + " VARCHAR(255) NOT NULL, table_name VARCHAR(255) NOT NULL, metadata_location"
              + " VARCHAR(1000), previous_metadata_location VARCHAR(1000), iceberg_type"
              + " VARCHAR(5), PRIMARY KEY (catalog_name, table_namespace, table_name))");
      s.execute(
          "CREATE TABLE iceberg_namespace_properties (catalog_name VARCHAR(255) NOT NULL,"
              + " namespace VARCHAR(255) NOT NULL, property_key VARCHAR(255) NOT NULL,"
              + " property_value VARCHAR(1000), PRIMARY KEY (catalog_name, namespace,"
              + " property_key))");
    }
    TrinoCatalog catalog =
        TrinoCatalog.iceberg(
            CATALOG,
            "lake",
            Map.of(
                "uri",
                postgres.jdbcUrl(),
                "warehouse",
                dir.resolve("warehouse").toUri().toString(),
                "jdbc.user",
                PostgresServer.USER,
                "jdbc.password",
                PostgresServer.PASSWORD));
    // every query of these tests is also audited: Trino's Kafka event listener to the audit job
    broker = servers.add(KafkaBroker.start(dir.resolve("kafka")));
    auditConfig = auditConfig();
    AuditJob.createTopics(auditConfig, List.of(AuditEvent.TOPIC, AuditJob.TRINO_TOPIC));
    trino =
        servers.add(
            TrinoServer.start(
                dir.resolve("trino"),
                List.of(catalog),
                AccessControl.file(rules),
                QueryAudit.to(broker.bootstrapServers())));
    queries = TrinoQueries.to(trino, CATALOG);
    createLake();
  }

  /** The audit job's lake: the same catalog database as Trino's, catalog name {@code lake}. */
  private static JobConfig auditConfig() {
    return JobConfig.of(
        Map.of(
            "kafka.bootstrap.servers",
            broker.bootstrapServers(),
            "registry.url",
            "http://127.0.0.1:9",
            "catalog.name",
            "lake",
            "catalog.uri",
            postgres.jdbcUrl(),
            "catalog.jdbc.user",
            PostgresServer.USER,
            "catalog.jdbc.password",
            PostgresServer.PASSWORD,
            "catalog.warehouse",
            dir.resolve("warehouse").toString(),
            "checkpoint.interval",
            "1s"));
  }

  @Test
  void queriesLandInTheAuditChainWithUserColumnsRowsAndOutcome() throws Exception {
    // statements no other test runs, so their audit records are these queries'
    String sql =
        "SELECT customer_id, country FROM "
            + CATALOG
            + ".silver.customers WHERE customer_id <> 'audit'";
    int rows = queries.rows("ada", sql).size();
    String denied = "SELECT email FROM " + CATALOG + ".silver.customers WHERE email <> 'audit'";
    assertThatThrownBy(() -> queries.rows("mallory", denied)).hasMessageContaining("Access Denied");

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.configure(Configuration.fromMap(JobEnvironment.settings(auditConfig)));
    AuditJob.addTo(env, auditConfig);
    JobClient job = env.executeAsync("trino-audit-it");
    Lake lake = new Lake(auditConfig);
    List<AuditRecord> records;
    try {
      long deadline = System.nanoTime() + java.time.Duration.ofSeconds(90).toNanos();
      do {
        Thread.sleep(1000);
        records = AuditTableReader.read(lake);
      } while ((auditOf(records, sql) == null || auditOf(records, denied) == null)
          && System.nanoTime() < deadline);
    } finally {
      job.cancel().get();
    }
    AuditEvent read = auditOf(records, sql);
    assertThat(read).as("audit record of %s", sql).isNotNull();
    assertThat(read.actor()).isEqualTo("ada");
    assertThat(read.action()).isEqualTo("query");
    assertThat(read.outcome()).isEqualTo(AuditEvent.SUCCESS);
    assertThat(read.target()).isEqualTo(CATALOG + ".silver.customers");
    assertThat(read.details().get("columns"))
        .contains(CATALOG + ".silver.customers.customer_id")
        .contains(CATALOG + ".silver.customers.country");
    assertThat(read.details()).containsEntry("output_rows", String.valueOf(rows));
    AuditEvent refused = auditOf(records, denied);
    assertThat(refused).as("audit record of %s", denied).isNotNull();
    assertThat(refused.actor()).isEqualTo("mallory");
    assertThat(refused.outcome()).isEqualTo(AuditEvent.FAILURE);
    assertThat(refused.details().get("error")).contains("Access Denied");
    AuditVerifier.Result chain = AuditVerifier.verify(records);
    assertThat(chain.ok()).as(chain.toString()).isTrue();
  }

  private static AuditEvent auditOf(List<AuditRecord> records, String sql) {
    return records.stream()
        .map(AuditRecord::event)
        .filter(e -> sql.equals(e.details().get("sql")))
        .findFirst()
        .orElse(null);
  }

  /** The admin of the policy creates the tables through Trino: its rules must let it. */
  private static void createLake() throws SQLException {
    String t = "TIMESTAMP '2026-11-28 10:00:00 UTC'";
    String rows =
        String.join(
            ", ",
            row(
                t,
                "C1",
                "'Jan de Vries'",
                "'jan@ex.nl'",
                "'+31612345678'",
                "'Dam 1'",
                "DATE '1980-05-17'",
                "NL"),
            row(t, "C2", "'Ann Lee'", "'ann.lee@example.com'", "NULL", "NULL", "NULL", "US"),
            row(
                t,
                "C3",
                "'Max Muster'",
                "'max@web.de'",
                "'+4915112345678'",
                "'Hauptstr. 5'",
                "DATE '1975-01-02'",
                "DE"),
            row(
                t,
                "C4",
                "'Tom Brown'",
                "'tom@mail.co.uk'",
                "'+447700900123'",
                "NULL",
                "DATE '1990-12-31'",
                "GB"));
    try (Connection c = queries.connect("ada");
        Statement s = c.createStatement()) {
      for (String zone : List.of("bronze", "silver", "gold")) {
        s.execute("CREATE SCHEMA " + CATALOG + "." + zone);
      }
      s.execute("CREATE TABLE tarn.silver.customers (" + columns("silver.customers") + ")");
      s.execute("INSERT INTO tarn.silver.customers VALUES " + rows);
      s.execute("CREATE TABLE tarn.silver.payments (" + columns("silver.payments") + ")");
      // silver stores card numbers masked (pii.columns), IBANs masked (pii.protect)
      s.execute(
          "INSERT INTO tarn.silver.payments VALUES ('e-P1', "
              + t
              + ", 'payments', 1, 'P1', 'O1', 'card', '**** **** **** 1111', NULL, 25.00, 'EUR'),"
              + " ('e-P2', "
              + t
              + ", 'payments', 1, 'P2', 'O2', 'sepa', NULL, '****************1234', 9.99, 'EUR')");
      // bronze keeps raw values: here the same rows
      s.execute("CREATE TABLE tarn.bronze.customers AS SELECT * FROM tarn.silver.customers");
      s.execute(
          "CREATE TABLE tarn.gold.revenue_per_category_minute AS SELECT * FROM (VALUES"
              + " ('books', DECIMAL '12.50'), ('games', DECIMAL '40.00')) AS t(category,"
              + " revenue)");
    }
  }

  /** The columns of a contract table, as the policy knows them, for CREATE TABLE. */
  private static String columns(String table) {
    return policy.tables().find(table).orElseThrow().columns().stream()
        .map(c -> "\"" + c.name() + "\" " + c.trinoType())
        .collect(Collectors.joining(", "));
  }

  private static String row(
      String time,
      String id,
      String name,
      String email,
      String phone,
      String address,
      String birth,
      String country) {
    // the contract's column order: event_id, event_time, source, schema_version, customer_id, ...
    return String.format(
        "('e-%s', %s, 'accounts', 1, '%s', %s, %s, %s, %s, %s, '%s', %s)",
        id, time, id, name, email, phone, address, birth, country, time);
  }

  @Test
  void anAnalystSeesMaskedPersonalData() throws Exception {
    assertThat(
            queries.rows(
                "carol",
                "SELECT customer_id, name, email, phone, address, CAST(birth_date AS varchar),"
                    + " country FROM tarn.silver.customers WHERE customer_id = 'C1'"))
        .containsExactly(
            "C1|null|***@ex.nl|+*********78|null|1980-01-01|NL"); // name, address: redact
  }

  @Test
  void aPiiReaderSeesClearValues() throws Exception {
    assertThat(
            queries.rows(
                "erin",
                "SELECT customer_id, name, email, phone, address, CAST(birth_date AS varchar),"
                    + " country FROM tarn.silver.customers WHERE customer_id = 'C1'"))
        .containsExactly("C1|Jan de Vries|jan@ex.nl|+31612345678|Dam 1|1980-05-17|NL");
  }

  @Test
  void aUserWithoutAGrantIsDenied() {
    assertDenied("mallory", "SELECT customer_id FROM tarn.silver.customers");
    assertDenied("mallory", "SELECT * FROM tarn.gold.revenue_per_category_minute");
    // pat is a data engineer on silver and gold, but owns only bronze.payments
    assertDenied("pat", "SELECT customer_id FROM tarn.bronze.customers");
  }

  @Test
  void restrictedColumnsAreDeniedUnlessTheRoleMayReadThem() throws Exception {
    // the analyst grant on silver.payments lists columns; card_number is not among them
    assertDenied("carol", "SELECT card_number FROM tarn.silver.payments");
    assertDenied("carol", "SELECT * FROM tarn.silver.payments");
    assertThat(
            queries.rows("carol", "SELECT payment_id, amount FROM tarn.silver.payments ORDER BY 1"))
        .containsExactly("P1|25.00", "P2|9.99");
    // bob's data_engineer grant covers every column, but classification:restricted is deny
    assertDenied("bob", "SELECT iban FROM tarn.silver.payments");
    assertThat(
            queries.rows(
                "pat", "SELECT card_number FROM tarn.silver.payments WHERE payment_id = 'P1'"))
        .containsExactly("**** **** **** 1111");
  }

  @Test
  void aRowFilterKeepsOnlyEuCustomers() throws Exception {
    assertThat(queries.rows("dave", "SELECT customer_id, country FROM tarn.silver.customers"))
        .containsExactlyInAnyOrder("C1|NL", "C3|DE");
    assertThat(queries.rows("carol", "SELECT count(*) FROM tarn.silver.customers"))
        .containsExactly("4");
  }

  @Test
  void bronzeIsReadableOnlyByItsOwners() throws Exception {
    // bob is in accounts_owner (team-accounts owns customers); ada is the admin
    assertThat(
            queries.rows("bob", "SELECT email FROM tarn.bronze.customers WHERE customer_id = 'C1'"))
        .containsExactly("jan@ex.nl");
    assertThat(queries.rows("ada", "SELECT count(*) FROM tarn.bronze.customers"))
        .containsExactly("4");
    for (String user : List.of("carol", "dave", "erin", "pat")) {
      assertDenied(user, "SELECT customer_id FROM tarn.bronze.customers");
    }
  }

  @Test
  void explainAgreesWithTrinoForEveryUserTableAndColumn() throws Exception {
    AccessEvaluator evaluator = new AccessEvaluator(policy);
    int checked = 0;
    for (String user : USERS) {
      for (String table : TABLES) {
        TableAccess access = evaluator.explain(user, table);
        String from = " FROM " + CATALOG + "." + table;
        if (!access.readable()) {
          assertDenied(user, "SELECT count(*)" + from);
          checked++;
          continue;
        }
        String where = access.rowFilter() == null ? "" : " WHERE " + access.rowFilter();
        // one query per user and table: what Trino returns equals the admin's query of the
        // explained expressions (clear column or mask) over the explained rows
        List<String> shown = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (ColumnAccess column : access.columns()) {
          String name = "\"" + column.column().name() + "\"";
          if (column.visibility() == Visibility.DENIED) {
            assertDenied(user, "SELECT " + name + from);
          } else {
            shown.add("CAST(" + name + " AS varchar)");
            expected.add(
                "CAST("
                    + (column.visibility() == Visibility.MASKED ? column.maskSql() : name)
                    + " AS varchar)");
          }
          checked++;
        }
        String all = access.columns().isEmpty() ? "*" : String.join(", ", shown);
        String allExpected = access.columns().isEmpty() ? "*" : String.join(", ", expected);
        assertThat(queries.rows(user, "SELECT " + all + from))
            .as("%s reads %s", user, table)
            .isNotEmpty()
            .containsExactlyInAnyOrderElementsOf(
                queries.rows("ada", "SELECT " + allExpected + from + where));
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(USERS.size() * TABLES.size());
  }

  private static void assertDenied(String user, String sql) {
    assertThatThrownBy(() -> queries.rows(user, sql))
        .as("%s: %s", user, sql)
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("Access Denied");
  }
}
