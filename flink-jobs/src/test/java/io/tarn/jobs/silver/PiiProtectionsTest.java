package io.tarn.jobs.silver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tarn.governance.protect.Protection;
import io.tarn.governance.protect.RecordProtection;
import io.tarn.jobs.config.ConfigException;
import io.tarn.jobs.config.JobConfig;
import io.tarn.schemas.DomainSchemas;
import io.tarn.schemas.TableContract;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.table.data.RowData;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

/** Silver with the shipped policy: PII columns hold tokens and masks, never the raw values. */
class PiiProtectionsTest {
  private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);
  private static final Path POLICY = Path.of("../deploy/policy/tarn-policy.yaml");

  private static JobConfig config(String policy, String key) {
    Map<String, String> settings = new HashMap<>();
    settings.put("kafka.bootstrap.servers", "127.0.0.1:9");
    settings.put("registry.url", "http://127.0.0.1:9");
    settings.put("catalog.uri", "jdbc:sqlite:" + Path.of("probe.db").toAbsolutePath());
    settings.put("catalog.warehouse", Path.of("").toAbsolutePath().toString());
    settings.put("pii.policy", policy);
    if (key != null) {
      settings.put("pii.token-key", key);
    }
    return JobConfig.of(settings);
  }

  private static GenericRecord customer(Schema schema, String email, String phone) {
    java.time.Instant time = java.time.Instant.parse("2026-11-28T10:00:00Z");
    GenericRecord r = new GenericData.Record(schema);
    r.put("event_id", "e-1");
    r.put("event_time", time);
    r.put("source", "test");
    r.put("schema_version", 1);
    r.put("customer_id", "c-42");
    r.put("name", "Ada Lovelace");
    r.put("email", email);
    r.put("phone", phone);
    r.put("address", "12 St James's Square, London");
    r.put("birth_date", LocalDate.of(1990, 12, 10));
    r.put("country", "GB");
    r.put("created_at", time);
    return r;
  }

  @Test
  void theShippedPolicyTokenizesAndMasksCustomersInSilver() {
    JobConfig config = config(POLICY.toString(), KEY);
    PiiProtections protections = PiiProtections.of(config);
    TableContract customers = DomainSchemas.forTable("customers");
    SilverTable table = new SilverTable(customers, protections.of(customers));
    SilverRowConverter converter = new SilverRowConverter(table, protections.tokenKey(config));

    GenericRecord raw = customer(customers.schema(), "ada@example.com", "+44 20 7946 0958");
    GenericRecord stored = converter.protect(raw);

    assertThat(stored.get("email").toString()).startsWith(Protection.TOKEN_PREFIX);
    assertThat(stored.get("email"))
        .isEqualTo(
            converter.protect(customer(customers.schema(), "ada@example.com", null)).get("email"))
        .as("equal values, equal tokens: joins still work");
    assertThat(stored.get("phone").toString()).isEqualTo("+** ** **** **58");
    assertThat(stored.get("address")).isEqualTo(Protection.REDACTED);
    assertThat(stored.get("birth_date")).isEqualTo(1990);
    assertThat(stored.get("customer_id").toString()).isEqualTo("c-42");
    assertThat(table.properties()).containsEntry("tarn.column.email.protection", "token");
    RowData row = converter.convert(raw, new SilverRecord());
    assertThat(row.toString()).doesNotContain("ada@example.com").doesNotContain("7946");
  }

  @Test
  void protectionsTravelWithTheJobGraph() throws Exception {
    // the quality operator carries them to the TaskManagers by Java serialization
    PiiProtections protections = PiiProtections.of(config(POLICY.toString(), KEY));
    PiiProtections copy =
        org.apache.flink.util.InstantiationUtil.clone(protections, getClass().getClassLoader());
    TableContract customers = DomainSchemas.forTable("customers");
    assertThat(copy.of(customers).byField()).isEqualTo(protections.of(customers).byField());
    assertThat(copy.of(customers).byField()).isNotEmpty();
  }

  @Test
  void dropLeavesTheColumnOutAndGeneraliseKeepsTheYear() {
    Schema schema =
        new Schema.Parser()
            .parse(
                """
                {"type": "record", "name": "P", "fields": [
                  {"name": "id", "type": "string"},
                  {"name": "born", "type": ["null", {"type": "int", "logicalType": "date"}], "default": null},
                  {"name": "secret", "type": ["null", "string"], "default": null}]}
                """);
    RecordProtection protection =
        new RecordProtection(
            "p",
            Map.of(
                "born",
                Protection.of(Protection.Method.GENERALISE),
                "secret",
                Protection.of(Protection.Method.DROP)));
    Schema stored = SilverTable.protectedSchema(schema, protection);
    assertThat(stored.getField("secret")).isNull();
    assertThat(stored.getField("born").schema().getTypes().get(1).getType())
        .isEqualTo(Schema.Type.INT);
    assertThat(
            new org.apache.iceberg.Schema(AvroColumns.of(stored, "p", new int[] {1}).columns())
                .findField("born")
                .type())
        .isEqualTo(Types.IntegerType.get());
    assertThat(Protection.of(Protection.Method.GENERALISE).apply(LocalDate.of(1990, 5, 17), null))
        .isEqualTo(1990);
  }

  @Test
  void tokensWithoutAKeyFailAtStartNamingTheKey() {
    assertThatThrownBy(() -> PiiProtections.of(config(POLICY.toString(), null)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("pii.token-key")
        .hasMessageNotContaining("tarn.pii.token-key");
    assertThatThrownBy(() -> PiiProtections.of(config(POLICY.toString(), "c2hvcnQ=")))
        .hasMessageContaining("pii.token-key")
        .hasMessageNotContaining("c2hvcnQ=");
  }

  @Test
  void aMissingPolicyFileFailsNamingTheKey() {
    assertThatThrownBy(() -> PiiProtections.of(config("/nonexistent/policy.yaml", KEY)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("pii.policy");
    assertThat(PiiProtections.of(config("", null)).needsKey()).isFalse();
  }
}
