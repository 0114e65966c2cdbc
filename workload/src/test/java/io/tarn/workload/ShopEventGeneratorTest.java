package io.tarn.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.tarn.schemas.DomainSchemas;
import io.tarn.schemas.QualityRule;
import io.tarn.schemas.RuleAction;
import io.tarn.schemas.TableContract;
import io.tarn.schemas.registry.DecodeException;
import io.tarn.schemas.registry.RecordDecoder;
import io.tarn.schemas.registry.RestSchemaRegistry;
import io.tarn.schemas.registry.SchemaRegistryServer;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ShopEventGeneratorTest {
  private static final int EVENTS = 20_000;
  private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final WorkloadSpec SPEC = WorkloadSpec.defaults().withEvents(EVENTS);

  private static SchemaRegistryServer server;
  private static RestSchemaRegistry registry;
  private static RecordDecoder decoder;
  private static Map<String, Integer> schemaIds;
  private static List<GeneratedEvent> events;

  @BeforeAll
  static void generate() {
    server = SchemaRegistryServer.start();
    registry = new RestSchemaRegistry(server.url());
    decoder = new RecordDecoder(registry);
    schemaIds = new HashMap<>();
    for (TableContract contract : DomainSchemas.all()) {
      schemaIds.put(contract.topic(), registry.register(contract.subject(), contract.schema()));
    }
    events = generate(SPEC, CLOCK, EVENTS);
  }

  @AfterAll
  static void stop() {
    registry.close();
    server.close();
  }

  private static List<GeneratedEvent> generate(WorkloadSpec spec, Clock clock, int count) {
    ShopEventGenerator generator = new ShopEventGenerator(spec, schemaIds, clock);
    List<GeneratedEvent> generated = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      generated.add(generator.next());
    }
    return generated;
  }

  private static GenericRecord decode(GeneratedEvent event) {
    return decoder.decode(event.payload(), event.table().schema());
  }

  @Test
  void sameSeedGivesSameEvents() {
    List<GeneratedEvent> again = generate(SPEC, CLOCK, 3_000);
    for (int i = 0; i < again.size(); i++) {
      GeneratedEvent expected = events.get(i);
      GeneratedEvent actual = again.get(i);
      assertThat(actual.kind()).isEqualTo(expected.kind());
      assertThat(actual.key()).isEqualTo(expected.key());
      assertThat(actual.eventId()).isEqualTo(expected.eventId());
      assertThat(actual.expectedRuleId()).isEqualTo(expected.expectedRuleId());
      assertThat(actual.payload()).as("payload of event %d", i).isEqualTo(expected.payload());
    }
  }

  @Test
  void onlyTimestampsFollowTheClock() {
    Clock later = Clock.fixed(NOW.plus(Duration.ofDays(3)), ZoneOffset.UTC);
    List<GeneratedEvent> shifted = generate(SPEC, later, 3_000);
    for (int i = 0; i < shifted.size(); i++) {
      GeneratedEvent expected = events.get(i);
      GeneratedEvent actual = shifted.get(i);
      assertThat(actual.eventId()).isEqualTo(expected.eventId());
      assertThat(actual.key()).isEqualTo(expected.key());
      if (expected.record() != null) {
        for (Schema.Field field : expected.record().getSchema().getFields()) {
          Object value = expected.record().get(field.name());
          if (value instanceof Instant) {
            assertThat(actual.record().get(field.name()))
                .isEqualTo(((Instant) value).plus(Duration.ofDays(3)));
          } else {
            assertThat(actual.record().get(field.name())).as(field.name()).isEqualTo(value);
          }
        }
      }
    }
  }

  @Test
  void otherSeedGivesOtherEvents() {
    Set<String> ids = new HashSet<>();
    events.subList(0, 500).forEach(event -> ids.add(event.eventId()));
    List<String> otherIds = new ArrayList<>();
    for (GeneratedEvent event : generate(SPEC.withSeed(43), CLOCK, 500)) {
      if (event.eventId() != null) {
        otherIds.add(event.eventId());
      }
    }
    assertThat(otherIds).isNotEmpty().noneMatch(ids::contains);
  }

  @Test
  void producesTheSpecifiedMix() {
    Map<GeneratedEvent.Kind, Integer> kinds = new EnumMap<>(GeneratedEvent.Kind.class);
    int late = 0;
    int clicks = 0;
    int recordEvents = 0;
    for (GeneratedEvent event : events) {
      kinds.merge(event.kind(), 1, Integer::sum);
      if (event.kind() == GeneratedEvent.Kind.VALID
          || event.kind() == GeneratedEvent.Kind.INVALID) {
        recordEvents++;
        late += event.late() ? 1 : 0;
      }
      clicks += event.table().table().equals("clickstream") ? 1 : 0;
    }
    int malformed =
        kinds.getOrDefault(GeneratedEvent.Kind.NOT_AVRO, 0)
            + kinds.getOrDefault(GeneratedEvent.Kind.UNKNOWN_SCHEMA_ID, 0)
            + kinds.getOrDefault(GeneratedEvent.Kind.TRUNCATED, 0);
    assertThat(fraction(kinds.get(GeneratedEvent.Kind.DUPLICATE))).isCloseTo(0.02, within(0.005));
    assertThat(fraction(kinds.get(GeneratedEvent.Kind.INVALID))).isCloseTo(0.02, within(0.005));
    assertThat(fraction(malformed)).isCloseTo(0.005, within(0.0025));
    assertThat(kinds.get(GeneratedEvent.Kind.NOT_AVRO)).isPositive();
    assertThat(kinds.get(GeneratedEvent.Kind.UNKNOWN_SCHEMA_ID)).isPositive();
    assertThat(kinds.get(GeneratedEvent.Kind.TRUNCATED)).isPositive();
    assertThat((double) late / recordEvents).isCloseTo(0.05, within(0.01));
    assertThat(fraction(clicks)).isCloseTo(0.40, within(0.03));
    Set<String> tables = new HashSet<>();
    events.forEach(event -> tables.add(event.table().table()));
    assertThat(tables)
        .containsExactlyInAnyOrder("customers", "orders", "order_items", "payments", "clickstream");
  }

  private static double fraction(int count) {
    return (double) count / EVENTS;
  }

  @Test
  void everyValidRecordPassesEveryRule() {
    int checked = 0;
    for (GeneratedEvent event : events) {
      if (event.kind() != GeneratedEvent.Kind.VALID) {
        continue;
      }
      assertThat(event.expectedRuleId()).isNull();
      GenericRecord decoded = decode(event);
      for (QualityRule rule : event.table().rules()) {
        assertThat(rule.violation(decoded.get(rule.field())))
            .as("%s of %s", rule.id(), decoded)
            .isNull();
      }
      checked++;
    }
    assertThat(checked).isGreaterThan(EVENTS * 9 / 10);
  }

  @Test
  void everyInvalidRecordBreaksOnlyItsExpectedRule() {
    Set<String> brokenRules = new HashSet<>();
    for (GeneratedEvent event : events) {
      if (event.kind() != GeneratedEvent.Kind.INVALID) {
        continue;
      }
      GenericRecord decoded = decode(event);
      QualityRule expected =
          event.table().rules().stream()
              .filter(rule -> rule.id().equals(event.expectedRuleId()))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no rule " + event.expectedRuleId()));
      assertThat(expected.action()).isNotEqualTo(RuleAction.FAIL);
      assertThat(expected.violation(decoded.get(expected.field())))
          .as("%s of %s", expected.id(), decoded)
          .isNotNull();
      for (QualityRule rule : event.table().rules()) {
        if (rule != expected) {
          assertThat(rule.violation(decoded.get(rule.field())))
              .as("%s of %s", rule.id(), decoded)
              .isNull();
        }
      }
      brokenRules.add(expected.id());
    }
    // every rule of the domain gets broken at some point, so every rule's path is exercised
    Set<String> allRules = new HashSet<>();
    DomainSchemas.all()
        .forEach(contract -> contract.rules().forEach(rule -> allRules.add(rule.id())));
    assertThat(brokenRules).isEqualTo(allRules);
  }

  @Test
  void duplicatesRepeatAnEarlierEvent() {
    Map<String, GeneratedEvent> seen = new HashMap<>();
    int duplicates = 0;
    for (GeneratedEvent event : events) {
      switch (event.kind()) {
        case VALID, INVALID ->
            assertThat(seen.put(event.eventId(), event))
                .as("event id %s reused", event.eventId())
                .isNull();
        case DUPLICATE -> {
          GeneratedEvent original = seen.get(event.eventId());
          assertThat(original).as("original of duplicate %s", event.eventId()).isNotNull();
          assertThat(event.payload()).isEqualTo(original.payload());
          assertThat(event.key()).isEqualTo(original.key());
          assertThat(event.table()).isEqualTo(original.table());
          duplicates++;
        }
        default -> {}
      }
    }
    assertThat(duplicates).isPositive();
  }

  @Test
  void malformedPayloadsFailDecodingWithTheExpectedReason() {
    int malformed = 0;
    for (GeneratedEvent event : events) {
      if (!event.kind().malformed()) {
        continue;
      }
      assertThat(event.eventId()).isNull();
      assertThat(event.record()).isNull();
      assertThat(event.key()).isNotBlank();
      assertThatThrownBy(() -> decode(event))
          .isInstanceOfSatisfying(
              DecodeException.class,
              e ->
                  assertThat(e.ruleId())
                      .as("%s: %s", event.kind(), e.getMessage())
                      .isEqualTo(event.expectedRuleId()));
      malformed++;
    }
    assertThat(malformed).isPositive();
  }

  @Test
  void payloadsAndKeysMatchTheirRecords() {
    for (GeneratedEvent event : events.subList(0, 2_000)) {
      if (event.record() == null) {
        continue;
      }
      GenericRecord decoded = decode(event);
      assertThat(event.key()).isEqualTo(event.table().keyOf(decoded));
      assertThat(decoded.get("event_id").toString()).isEqualTo(event.eventId());
      assertThat(decoded.get("source").toString()).isEqualTo("tarn-workload");
      assertThat(decoded.get("schema_version")).isEqualTo(1);
      assertThat(decoder.schemaId(event.payload())).isEqualTo(schemaIds.get(event.topic()));
    }
  }

  @Test
  void lateEventsAreWithinMaxLateness() {
    for (GeneratedEvent event : events) {
      if (event.record() == null) {
        continue;
      }
      Instant eventTime = (Instant) event.record().get("event_time");
      if (event.late()) {
        assertThat(eventTime).isBefore(NOW).isAfterOrEqualTo(NOW.minus(SPEC.maxLateness()));
      } else {
        assertThat(eventTime).isEqualTo(NOW);
      }
    }
  }

  @Test
  void referencesOnlyEntitiesThatExistAlready() {
    Set<String> customers = new HashSet<>();
    Set<String> orders = new HashSet<>();
    int orderEvents = 0;
    for (GeneratedEvent event : events) {
      if (event.kind() != GeneratedEvent.Kind.VALID) {
        continue;
      }
      GenericRecord record = event.record();
      switch (event.table().table()) {
        case "customers" -> customers.add(record.get("customer_id").toString());
        case "orders" -> {
          assertThat(customers).contains(record.get("customer_id").toString());
          orders.add(record.get("order_id").toString());
          orderEvents++;
        }
        case "order_items", "payments" ->
            assertThat(orders).contains(record.get("order_id").toString());
        case "clickstream" -> {
          if (record.get("customer_id") != null) {
            assertThat(customers).contains(record.get("customer_id").toString());
          }
        }
        default -> throw new AssertionError(event.table());
      }
    }
    assertThat(customers).hasSizeGreaterThan(100).allMatch(id -> id.matches("C\\d{7}"));
    assertThat(orderEvents).isGreaterThan(1000);
  }

  @Test
  void personalDataLooksReal() {
    Pattern e164 = Pattern.compile("\\+[1-9]\\d{7,14}");
    Pattern ipv4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    int cards = 0;
    int ibans = 0;
    for (GeneratedEvent event : events) {
      if (event.kind() != GeneratedEvent.Kind.VALID) {
        continue;
      }
      GenericRecord record = event.record();
      switch (event.table().table()) {
        case "customers" -> {
          if (record.get("phone") != null) {
            assertThat(record.get("phone").toString()).matches(e164);
          }
        }
        case "payments" -> {
          Object card = record.get("card_number");
          Object iban = record.get("iban");
          String method = record.get("method").toString();
          assertThat(card != null).isEqualTo(method.equals("card"));
          assertThat(iban != null).isEqualTo(method.equals("iban"));
          if (card != null) {
            assertThat(luhnValid(card.toString())).as("Luhn check of %s", card).isTrue();
            cards++;
          }
          if (iban != null) {
            assertThat(ibanValid(iban.toString())).as("mod-97 check of %s", iban).isTrue();
            ibans++;
          }
        }
        case "clickstream" -> {
          var ip = ipv4.matcher(record.get("ip").toString());
          assertThat(ip.matches()).isTrue();
          for (int group = 1; group <= 4; group++) {
            assertThat(Integer.parseInt(ip.group(group))).isBetween(0, 255);
          }
        }
        default -> {}
      }
    }
    assertThat(cards).isPositive();
    assertThat(ibans).isPositive();
  }

  @Test
  void rejectsMissingSchemaIds() {
    assertThatThrownBy(() -> new ShopEventGenerator(SPEC, Map.of("shop.orders", 1), CLOCK))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "Cannot create event generator: no schema id for topic shop.customers");
  }

  /** Luhn, written independently of the generator: double every second digit from the right. */
  private static boolean luhnValid(String number) {
    int sum = 0;
    boolean doubled = false;
    for (int i = number.length() - 1; i >= 0; i--) {
      int digit = Character.digit(number.charAt(i), 10);
      if (doubled) {
        digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
      }
      sum += digit;
      doubled = !doubled;
    }
    return number.length() >= 13 && sum % 10 == 0;
  }

  /** ISO 13616: move the first four characters to the end, letters to numbers, mod 97 is 1. */
  private static boolean ibanValid(String iban) {
    if (!iban.matches("[A-Z]{2}\\d{2}[A-Z0-9]{11,30}")) {
      return false;
    }
    StringBuilder numeric = new StringBuilder();
    for (char c : (iban.substring(4) + iban.substring(0, 4)).toCharArray()) {
      numeric.append(Character.getNumericValue(c));
    }
    return new BigInteger(numeric.toString()).mod(BigInteger.valueOf(97)).intValue() == 1;
  }
}
