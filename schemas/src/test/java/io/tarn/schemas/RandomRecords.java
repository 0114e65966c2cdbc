package io.tarn.schemas;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** Records with random values of every field, in the Java types of {@link AvroModel}. */
public final class RandomRecords {
  private RandomRecords() {}

  public static GenericRecord generate(Schema schema, Random random) {
    GenericData.Record record = new GenericData.Record(schema);
    for (Schema.Field field : schema.getFields()) {
      record.put(field.pos(), value(field.schema(), random));
    }
    return record;
  }

  private static Object value(Schema schema, Random random) {
    LogicalType logical = schema.getLogicalType();
    if (logical instanceof LogicalTypes.Decimal) {
      LogicalTypes.Decimal decimal = (LogicalTypes.Decimal) logical;
      BigInteger unscaled =
          BigInteger.valueOf(random.nextLong()).mod(BigInteger.TEN.pow(decimal.getPrecision()));
      BigDecimal value = new BigDecimal(unscaled, decimal.getScale());
      return random.nextBoolean() ? value : value.negate();
    }
    if (logical instanceof LogicalTypes.Date) {
      return LocalDate.ofEpochDay(random.nextInt(40_000) - 10_000);
    }
    if (logical instanceof LogicalTypes.TimestampMillis) {
      return Instant.ofEpochMilli(random.nextLong() % 4_000_000_000_000L);
    }
    if (logical instanceof LogicalTypes.TimestampMicros) {
      return Instant.ofEpochMilli(random.nextLong() % 4_000_000_000_000L)
          .plus(random.nextInt(1000), ChronoUnit.MICROS);
    }
    switch (schema.getType()) {
      case NULL:
        return null;
      case BOOLEAN:
        return random.nextBoolean();
      case INT:
        return random.nextInt();
      case LONG:
        return random.nextLong();
      case FLOAT:
        return random.nextFloat();
      case DOUBLE:
        return random.nextDouble();
      case STRING:
        return "s" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
      case BYTES:
        byte[] bytes = new byte[random.nextInt(16)];
        random.nextBytes(bytes);
        return ByteBuffer.wrap(bytes);
      case ENUM:
        return new GenericData.EnumSymbol(
            schema, schema.getEnumSymbols().get(random.nextInt(schema.getEnumSymbols().size())));
      case UNION:
        return value(schema.getTypes().get(random.nextInt(schema.getTypes().size())), random);
      case RECORD:
        return generate(schema, random);
      case ARRAY:
        List<Object> list = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
          list.add(value(schema.getElementType(), random));
        }
        return list;
      case MAP:
        Map<String, Object> map = new HashMap<>();
        for (int i = random.nextInt(4); i > 0; i--) {
          map.put("k" + i, value(schema.getValueType(), random));
        }
        return map;
      default:
        throw new IllegalArgumentException("Cannot generate a value of type " + schema.getType());
    }
  }

  /**
   * Whether two records hold the same values. {@code GenericData.Record#equals} compares with the
   * default model, which fails on converted logical-type values, and strings may be Utf8 on one
   * side.
   */
  public static boolean sameValues(GenericRecord expected, GenericRecord actual) {
    for (Schema.Field field : expected.getSchema().getFields()) {
      if (!Objects.equals(
          normalize(expected.get(field.name())), normalize(actual.get(field.name())))) {
        return false;
      }
    }
    return true;
  }

  private static Object normalize(Object value) {
    return value instanceof CharSequence ? value.toString() : value;
  }
}
