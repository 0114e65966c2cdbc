package io.tarn.workload;

import io.tarn.schemas.AvroModel;
import io.tarn.schemas.DomainSchemas;
import io.tarn.schemas.QualityRule;
import io.tarn.schemas.RuleAction;
import io.tarn.schemas.TableContract;
import io.tarn.schemas.registry.DecodeException;
import io.tarn.schemas.registry.WireFormat;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;

/**
 * Generates the shop's event stream: customers sign up and update their profile, place orders whose
 * lines, payment and status changes follow, and browse the site (about 40% of events), with the
 * duplicates, late, malformed and invalid events a {@link WorkloadSpec} asks for.
 *
 * <p>Every choice comes from one {@link Random} seeded by the spec, so the same seed gives the same
 * sequence of events, keys, event ids and records; only timestamps (event_time, created_at) follow
 * the clock. Data is referentially consistent: orders reference customers that were generated
 * before them, order lines and payments reference placed orders. Only VALID events change that
 * state, so invalid and malformed events never become the only record of an entity. Memory stays
 * bounded for unbounded workloads. Not thread-safe.
 */
public final class ShopEventGenerator {
  private static final String SOURCE = "tarn-workload";

  /** The domain of the e-mail addresses some checkout URLs leak (see {@code click}). */
  public static final String LEAKED_EMAIL_DOMAIN = "@mail.tarn.example";

  private static final int SCHEMA_VERSION = 1;
  private static final double CLICKSTREAM_SHARE = 0.40;
  private static final int BOOTSTRAP_CUSTOMERS = 20;
  private static final int MAX_PENDING = 64;
  private static final int HISTORY = 1024;
  private static final int SESSIONS = 200;
  private static final int PRODUCTS = 500;
  private static final List<String> CATEGORIES =
      List.of("books", "electronics", "fashion", "garden", "grocery", "home", "sports", "toys");
  // ids far above anything a registry hands out, so they are never registered
  private static final int UNKNOWN_SCHEMA_ID_BASE = 2_000_000_000;

  private final WorkloadSpec spec;
  private final Clock clock;
  private final Random random;
  private final TableContract customers = DomainSchemas.forTable("customers");
  private final TableContract orders = DomainSchemas.forTable("orders");
  private final TableContract orderItems = DomainSchemas.forTable("order_items");
  private final TableContract payments = DomainSchemas.forTable("payments");
  private final TableContract clickstream = DomainSchemas.forTable("clickstream");
  private final Map<String, Integer> schemaIds;
  private final List<Product> products = new ArrayList<>();
  private final List<Customer> customerPool = new ArrayList<>();
  private final ArrayDeque<Step> pending = new ArrayDeque<>();
  private final Session[] sessions = new Session[SESSIONS];
  private final GeneratedEvent[] history = new GeneratedEvent[HISTORY];
  private long remembered;
  private long nextOrder = 1;
  private long nextPayment = 1;
  private long nextClick = 1;

  /**
   * @param schemaIds the registered schema id of each domain topic, e.g. {@code shop.orders → 3}
   * @param clock the source of event times
   */
  public ShopEventGenerator(WorkloadSpec spec, Map<String, Integer> schemaIds, Clock clock) {
    for (TableContract contract : DomainSchemas.all()) {
      if (!schemaIds.containsKey(contract.topic())) {
        throw new IllegalArgumentException(
            "Cannot create event generator: no schema id for topic "
                + contract.topic()
                + " in "
                + schemaIds);
      }
    }
    this.spec = spec;
    this.clock = clock;
    this.schemaIds = Map.copyOf(schemaIds);
    this.random = new Random(spec.seed());
    for (int i = 1; i <= PRODUCTS; i++) {
      String category = ShopData.pick(CATEGORIES, random);
      products.add(new Product(String.format(Locale.ROOT, "P%05d", i), category, price(category)));
    }
  }

  /** The next event. */
  public GeneratedEvent next() {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    double roll = random.nextDouble();
    double malformed = spec.malformedFraction();
    double duplicate = malformed + spec.duplicateFraction();
    double invalid = duplicate + spec.invalidFraction();
    if (roll < malformed) {
      return malformed(now);
    }
    if (roll < duplicate && remembered > 0) {
      return duplicate();
    }
    GeneratedEvent event = recordEvent(now, roll >= duplicate && roll < invalid);
    history[(int) (remembered++ % HISTORY)] = event;
    return event;
  }

  // ---- event kinds ----

  private GeneratedEvent recordEvent(Instant now, boolean invalid) {
    boolean late = random.nextDouble() < spec.lateFraction();
    Instant eventTime = late ? now.minusMillis(lateness()) : now;
    Draft draft = draft(now, eventTime, !invalid);
    String ruleId = invalid ? violate(draft) : null;
    GeneratedEvent.Kind kind =
        ruleId != null ? GeneratedEvent.Kind.INVALID : GeneratedEvent.Kind.VALID;
    byte[] payload = WireFormat.encode(schemaIds.get(draft.table.topic()), draft.record);
    return new GeneratedEvent(
        draft.table,
        draft.table.keyOf(draft.record),
        draft.record.get("event_id").toString(),
        kind,
        late,
        ruleId,
        draft.record,
        payload);
  }

  private long lateness() {
    long max = spec.maxLateness().toMillis();
    return max <= 0 ? 0 : 1 + random.nextLong(max);
  }

  private GeneratedEvent duplicate() {
    long available = Math.min(remembered, HISTORY);
    GeneratedEvent original = history[random.nextInt((int) available)];
    return new GeneratedEvent(
        original.table(),
        original.key(),
        original.eventId(),
        GeneratedEvent.Kind.DUPLICATE,
        original.late(),
        original.expectedRuleId(),
        original.record(),
        original.payload());
  }

  private GeneratedEvent malformed(Instant now) {
    GeneratedEvent.Kind kind =
        List.of(
                GeneratedEvent.Kind.NOT_AVRO,
                GeneratedEvent.Kind.UNKNOWN_SCHEMA_ID,
                GeneratedEvent.Kind.TRUNCATED)
            .get(random.nextInt(3));
    Draft draft = draft(now, now, false);
    byte[] payload;
    DecodeException.Reason reason;
    switch (kind) {
      case NOT_AVRO:
        // a producer that sent JSON instead of Avro
        payload = AvroModel.INSTANCE.toString(draft.record).getBytes(StandardCharsets.UTF_8);
        reason = DecodeException.Reason.NOT_WIRE_FORMAT;
        break;
      case UNKNOWN_SCHEMA_ID:
        // a producer that registered its schema in another registry
        payload = WireFormat.encode(UNKNOWN_SCHEMA_ID_BASE + random.nextInt(16), draft.record);
        reason = DecodeException.Reason.UNKNOWN_SCHEMA_ID;
        break;
      case TRUNCATED:
        byte[] full = WireFormat.encode(schemaIds.get(draft.table.topic()), draft.record);
        int length = WireFormat.HEADER_SIZE + random.nextInt(full.length - WireFormat.HEADER_SIZE);
        payload = Arrays.copyOf(full, length);
        reason = DecodeException.Reason.CORRUPT_PAYLOAD;
        break;
      default:
        throw new IllegalStateException("Unknown malformed kind " + kind);
    }
    String ruleId = "decode." + reason.name().toLowerCase(Locale.ROOT);
    return new GeneratedEvent(
        draft.table, draft.table.keyOf(draft.record), null, kind, false, ruleId, null, payload);
  }

  // ---- invalid records ----

  /** Breaks one rule of the draft, leaving every other rule passing; null if none can be. */
  private String violate(Draft draft) {
    List<QualityRule> rules = new ArrayList<>();
    for (QualityRule rule : draft.table.rules()) {
      // a fail rule would stop the pipeline; the workload is messy, not fatal
      if (rule.action() != RuleAction.FAIL) {
        rules.add(rule);
      }
    }
    Collections.shuffle(rules, random);
    GenericData.Record record = draft.record;
    for (QualityRule rule : rules) {
      Object original = record.get(rule.field());
      Schema type = valueType(record.getSchema().getField(rule.field()).schema());
      for (Object bad : badValues(rule, type)) {
        record.put(rule.field(), bad);
        if (rule.violation(bad) != null && othersPass(draft.table, record, rule)) {
          return rule.id();
        }
      }
      record.put(rule.field(), original);
    }
    return null;
  }

  private static boolean othersPass(
      TableContract table, GenericData.Record record, QualityRule broken) {
    for (QualityRule rule : table.rules()) {
      if (rule != broken && rule.violation(record.get(rule.field())) != null) {
        return false;
      }
    }
    return true;
  }

  private List<Object> badValues(QualityRule rule, Schema type) {
    List<Object> values = new ArrayList<>();
    switch (rule.kind()) {
      case NOT_NULL:
        values.add(null);
        break;
      case RANGE:
        boolean belowFirst = random.nextBoolean();
        BigDecimal below =
            rule.min().map(min -> min.subtract(BigDecimal.ONE).subtract(jitter())).orElse(null);
        BigDecimal above =
            rule.max().map(max -> max.add(BigDecimal.ONE).add(jitter())).orElse(null);
        for (BigDecimal bound :
            belowFirst ? new BigDecimal[] {below, above} : new BigDecimal[] {above, below}) {
          Object value = bound == null ? null : numberOf(bound, type);
          if (value != null) {
            values.add(value);
          }
        }
        break;
      case REGEX:
        if (type.getType() == Schema.Type.STRING) {
          values.addAll(
              List.of(
                  "www.tarn-shop.example/p/" + random.nextInt(PRODUCTS),
                  "n/a",
                  "unknown value",
                  "-",
                  ""));
        }
        break;
      case ALLOWED:
        List<String> allowed = rule.values();
        if (type.getType() == Schema.Type.STRING) {
          // a casing bug is the most common way a valid value goes wrong
          String known = ShopData.pick(allowed, random);
          values.add(
              known.equals(known.toUpperCase(Locale.ROOT))
                  ? known.toLowerCase(Locale.ROOT)
                  : known.toUpperCase(Locale.ROOT));
          values.add("unknown");
          values.add("n/a");
        } else if (type.getType() == Schema.Type.ENUM) {
          for (String symbol : type.getEnumSymbols()) {
            if (!allowed.contains(symbol)) {
              values.add(new GenericData.EnumSymbol(type, symbol));
            }
          }
        } else {
          long max = Long.MIN_VALUE;
          for (String value : allowed) {
            max = Math.max(max, Long.parseLong(value));
          }
          Object next = numberOf(BigDecimal.valueOf(max).add(BigDecimal.ONE), type);
          if (next != null) {
            values.add(next);
          }
        }
        break;
      default:
        break;
    }
    return values;
  }

  private BigDecimal jitter() {
    return BigDecimal.valueOf(random.nextInt(100));
  }

  /** The number as a value of the Avro type, or null when the type cannot hold it. */
  private static Object numberOf(BigDecimal number, Schema type) {
    if (type.getLogicalType() instanceof LogicalTypes.Decimal) {
      LogicalTypes.Decimal decimal = (LogicalTypes.Decimal) type.getLogicalType();
      BigDecimal scaled = number.setScale(decimal.getScale(), RoundingMode.HALF_UP);
      return scaled.precision() <= decimal.getPrecision() ? scaled : null;
    }
    try {
      switch (type.getType()) {
        case INT:
          return number.intValueExact();
        case LONG:
          return number.longValueExact();
        case FLOAT:
          return number.floatValue();
        case DOUBLE:
          return number.doubleValue();
        default:
          return null;
      }
    } catch (ArithmeticException e) {
      return null;
    }
  }

  private static Schema valueType(Schema schema) {
    if (schema.getType() != Schema.Type.UNION) {
      return schema;
    }
    for (Schema branch : schema.getTypes()) {
      if (branch.getType() != Schema.Type.NULL) {
        return branch;
      }
    }
    return schema;
  }

  // ---- the shop ----

  /**
   * The next record of the shop's story. With {@code commit} false the shop's state is left as it
   * was, so the record is a one-off (an invalid or malformed event) and the story goes on without
   * it.
   */
  private Draft draft(Instant now, Instant eventTime, boolean commit) {
    if (customerPool.size() < Math.min(BOOTSTRAP_CUSTOMERS, spec.customers())) {
      return newCustomer(now, eventTime, commit);
    }
    if (random.nextDouble() < CLICKSTREAM_SHARE) {
      return click(eventTime, commit);
    }
    double roll = random.nextDouble();
    if (roll < 0.10 && customerPool.size() < spec.customers()) {
      return newCustomer(now, eventTime, commit);
    }
    if (roll >= 0.10 && roll < 0.12) {
      return customerUpdate(eventTime, commit);
    }
    if (pending.size() >= MAX_PENDING || (!pending.isEmpty() && random.nextDouble() < 0.7)) {
      return step(commit ? pending.poll() : pending.peek(), eventTime, commit);
    }
    return newOrder(eventTime, commit);
  }

  private Draft newCustomer(Instant now, Instant eventTime, boolean commit) {
    ShopData.Country country = ShopData.pick(ShopData.COUNTRIES, random);
    String first = ShopData.pick(ShopData.FIRST_NAMES, random);
    String last = ShopData.pick(ShopData.LAST_NAMES, random);
    Customer customer =
        new Customer(
            String.format(Locale.ROOT, "C%07d", customerPool.size() + 1),
            first + " " + last,
            email(first, last),
            random.nextDouble() < 0.8 ? ShopData.phone(country, random) : null,
            random.nextDouble() < 0.9 ? ShopData.address(country, random) : null,
            random.nextDouble() < 0.7
                ? LocalDate.of(1940, 1, 1).plusDays(random.nextInt(365 * 66))
                : null,
            country,
            now);
    if (commit) {
      customerPool.add(customer);
    }
    return customerRecord(customer, eventTime);
  }

  private Draft customerUpdate(Instant eventTime, boolean commit) {
    int index = random.nextInt(customerPool.size());
    Customer old = customerPool.get(index);
    String[] parts = old.name.split(" ", 2);
    Customer updated =
        switch (random.nextInt(3)) {
          case 0 -> old.withEmail(email(parts[0], parts[1]));
          case 1 -> old.withPhone(ShopData.phone(old.country, random));
          default -> old.withAddress(ShopData.address(old.country, random));
        };
    if (commit) {
      customerPool.set(index, updated);
    }
    return customerRecord(updated, eventTime);
  }

  private String email(String first, String last) {
    String local = (first + "." + last).toLowerCase(Locale.ROOT);
    if (random.nextBoolean()) {
      local += random.nextInt(100);
    }
    return local + "@" + ShopData.pick(ShopData.EMAIL_DOMAINS, random);
  }

  private Draft customerRecord(Customer customer, Instant eventTime) {
    GenericData.Record record = envelope(customers, eventTime);
    record.put("customer_id", customer.id);
    record.put("name", customer.name);
    record.put("email", customer.email);
    record.put("phone", customer.phone);
    record.put("address", customer.address);
    record.put("birth_date", customer.birthDate);
    record.put("country", customer.country.code());
    record.put("created_at", customer.createdAt);
    return new Draft(customers, record);
  }

  private Draft newOrder(Instant eventTime, boolean commit) {
    Customer customer = ShopData.pick(customerPool, random);
    String orderId = String.format(Locale.ROOT, "O%09d", nextOrder);
    int lines = 1 + (int) Math.floor(Math.pow(random.nextDouble(), 2) * 4);
    List<Line> orderLines = new ArrayList<>();
    BigDecimal total = BigDecimal.ZERO.setScale(2);
    for (int lineNo = 1; lineNo <= lines; lineNo++) {
      Product product = ShopData.pick(products, random);
      double q = random.nextDouble();
      int quantity =
          q < 0.6 ? 1 : q < 0.85 ? 2 : q < 0.98 ? 3 + random.nextInt(3) : 6 + random.nextInt(5);
      orderLines.add(new Line(lineNo, product, quantity));
      total = total.add(product.price.multiply(BigDecimal.valueOf(quantity)));
    }
    Order order = new Order(orderId, customer, orderLines, total);
    if (commit) {
      nextOrder++;
      for (Line line : orderLines) {
        pending.add(new Step(order, StepKind.LINE, line));
      }
      if (random.nextDouble() < 0.1) {
        pending.add(new Step(order, StepKind.CANCELLED, null));
      } else {
        pending.add(new Step(order, StepKind.PAYMENT, null));
        pending.add(new Step(order, StepKind.PAID, null));
        pending.add(new Step(order, StepKind.SHIPPED, null));
      }
    }
    return orderRecord(order, "placed", eventTime);
  }

  private Draft step(Step step, Instant eventTime, boolean commit) {
    switch (step.kind) {
      case LINE:
        GenericData.Record item = envelope(orderItems, eventTime);
        item.put("order_id", step.order.id);
        item.put("line_no", step.line.lineNo);
        item.put("product_id", step.line.product.id);
        item.put("category", step.line.product.category);
        item.put("quantity", step.line.quantity);
        item.put("unit_price", step.line.product.price);
        return new Draft(orderItems, item);
      case PAYMENT:
        return payment(step.order, eventTime, commit);
      case PAID:
        return orderRecord(step.order, "paid", eventTime);
      case SHIPPED:
        return orderRecord(step.order, "shipped", eventTime);
      case CANCELLED:
        return orderRecord(step.order, "cancelled", eventTime);
      default:
        throw new IllegalStateException("Unknown step " + step.kind);
    }
  }

  private Draft orderRecord(Order order, String status, Instant eventTime) {
    GenericData.Record record = envelope(orders, eventTime);
    record.put("order_id", order.id);
    record.put("customer_id", order.customer.id);
    record.put("status", status);
    record.put("total_amount", order.total);
    return new Draft(orders, record);
  }

  private Draft payment(Order order, Instant eventTime, boolean commit) {
    GenericData.Record record = envelope(payments, eventTime);
    record.put("payment_id", String.format(Locale.ROOT, "Y%09d", nextPayment));
    if (commit) {
      nextPayment++;
    }
    record.put("order_id", order.id);
    double roll = random.nextDouble();
    String iban = ShopData.iban(order.customer.country, random);
    if (roll < 0.2 && iban != null) {
      record.put("method", "iban");
      record.put("iban", iban);
    } else if (roll < 0.4) {
      record.put("method", "wallet");
    } else {
      record.put("method", "card");
      record.put("card_number", ShopData.cardNumber(random));
    }
    record.put("amount", order.total);
    // the shop prices in EUR; a few customers pay in their card's currency
    double currency = random.nextDouble();
    record.put("currency", currency < 0.95 ? "EUR" : currency < 0.975 ? "USD" : "GBP");
    return new Draft(payments, record);
  }

  private Draft click(Instant eventTime, boolean commit) {
    int slot = random.nextInt(SESSIONS);
    Session session = sessions[slot];
    if (session == null || random.nextDouble() < 0.05) {
      String customerId =
          !customerPool.isEmpty() && random.nextDouble() < 0.6
              ? ShopData.pick(customerPool, random).id
              : null;
      session =
          new Session(
              "S" + Long.toHexString(random.nextLong() & Long.MAX_VALUE),
              customerId,
              ShopData.ip(random),
              ShopData.pick(ShopData.USER_AGENTS, random));
      if (commit) {
        sessions[slot] = session;
      }
    }
    GenericData.Record record = envelope(clickstream, eventTime);
    record.put("click_id", String.format(Locale.ROOT, "K%012d", nextClick));
    if (commit) {
      nextClick++;
    }
    Product product = ShopData.pick(products, random);
    double roll = random.nextDouble();
    String action;
    String path;
    if (roll < 0.60) {
      action = "view";
      path = random.nextBoolean() ? "/p/" + product.id : "/c/" + product.category;
    } else if (roll < 0.85) {
      action = "click";
      path = "/p/" + product.id;
    } else if (roll < 0.95) {
      action = "add_to_cart";
      path = "/cart/add?product=" + product.id;
    } else {
      action = "checkout";
      // a leak real sites have: some checkout links carry the shopper's e-mail address in their
      // query string, a column no contract annotates as PII (silver's detector finds it)
      path =
          roll >= 0.99 && session.customerId != null
              ? "/checkout?email="
                  + session.customerId.toLowerCase(Locale.ROOT)
                  + LEAKED_EMAIL_DOMAIN
              : "/checkout";
    }
    record.put("session_id", session.id);
    record.put("customer_id", session.customerId);
    record.put("url", "https://shop.tarn.example" + path);
    record.put("user_agent", session.userAgent);
    record.put("ip", session.ip);
    record.put("action", action);
    return new Draft(clickstream, record);
  }

  private GenericData.Record envelope(TableContract table, Instant eventTime) {
    GenericData.Record record = new GenericData.Record(table.schema());
    record.put("event_id", uuid().toString());
    record.put("event_time", eventTime);
    record.put("source", SOURCE);
    record.put("schema_version", SCHEMA_VERSION);
    return record;
  }

  /** A version 4 UUID from the seeded random, so event ids repeat with the seed. */
  private UUID uuid() {
    long most = (random.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
    long least = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
    return new UUID(most, least);
  }

  private BigDecimal price(String category) {
    double[] range =
        switch (category) {
          case "books" -> new double[] {5, 40};
          case "electronics" -> new double[] {20, 1500};
          case "fashion" -> new double[] {10, 200};
          case "garden" -> new double[] {5, 300};
          case "grocery" -> new double[] {1, 30};
          case "home" -> new double[] {5, 500};
          case "sports" -> new double[] {10, 400};
          default -> new double[] {5, 120};
        };
    double euros = range[0] + random.nextDouble() * (range[1] - range[0]);
    // shop prices end in .99 or .49 more often than not
    BigDecimal whole = BigDecimal.valueOf((long) euros);
    BigDecimal cents = random.nextBoolean() ? new BigDecimal("0.99") : new BigDecimal("0.49");
    return whole.add(cents).setScale(2, RoundingMode.UNNECESSARY);
  }

  // ---- state ----

  private record Draft(TableContract table, GenericData.Record record) {}

  private record Product(String id, String category, BigDecimal price) {}

  private record Line(int lineNo, Product product, int quantity) {}

  private record Order(String id, Customer customer, List<Line> lines, BigDecimal total) {}

  private enum StepKind {
    LINE,
    PAYMENT,
    PAID,
    SHIPPED,
    CANCELLED
  }

  private record Step(Order order, StepKind kind, Line line) {}

  private record Session(String id, String customerId, String ip, String userAgent) {}

  private record Customer(
      String id,
      String name,
      String email,
      String phone,
      String address,
      LocalDate birthDate,
      ShopData.Country country,
      Instant createdAt) {

    Customer withEmail(String newEmail) {
      return new Customer(id, name, newEmail, phone, address, birthDate, country, createdAt);
    }

    Customer withPhone(String newPhone) {
      return new Customer(id, name, email, newPhone, address, birthDate, country, createdAt);
    }

    Customer withAddress(String newAddress) {
      return new Customer(id, name, email, phone, newAddress, birthDate, country, createdAt);
    }
  }
}
