package io.tarn.local.erasure;

import static org.apache.iceberg.types.Types.NestedField.optional;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

class SubjectMatchTest {
  private final SubjectMatch match = new SubjectMatch(Set.of("C0000001", "O000000007"));

  @Test
  void avroStringIsTheZigZagLengthThenUtf8() {
    assertThat(SubjectMatch.avroString("C0000001"))
        .startsWith(0x10)
        .hasSize(9)
        .endsWith("C0000001".getBytes(StandardCharsets.UTF_8));
    byte[] long200 = SubjectMatch.avroString("x".repeat(200));
    // 400 as a varint: 0x90 0x03
    assertThat(long200[0] & 0xFF).isEqualTo(0x90);
    assertThat(long200[1]).isEqualTo((byte) 0x03);
  }

  @Test
  void findsTheSubjectInAnAvroPayloadAsAvroWritesIt() throws Exception {
    Schema schema =
        new Schema.Parser()
            .parse(
                "{\"type\":\"record\",\"name\":\"Order\",\"fields\":["
                    + "{\"name\":\"order_id\",\"type\":\"string\"},"
                    + "{\"name\":\"customer_id\",\"type\":[\"null\",\"string\"]}]}");
    assertThat(match.matchesBytes(avro(schema, "O000000099", "C0000001"))).isTrue();
    assertThat(match.matchesBytes(avro(schema, "O000000099", "C00000012"))).isFalse();
    assertThat(match.matchesBytes(avro(schema, "O000000099", "XC0000001"))).isFalse();
    assertThat(match.matchesBytes(avro(schema, "O000000099", null))).isFalse();
  }

  @Test
  void findsTheSubjectStandingAloneInTextPayloads() {
    // a producer that sent Avro's JSON encoding instead of the wire format
    assertThat(match.matchesBytes(bytes("{\"customer_id\": {\"string\": \"C0000001\"}}"))).isTrue();
    assertThat(match.matchesBytes(bytes("https://shop.example/orders/O000000007?x=1"))).isTrue();
    assertThat(match.matchesBytes(bytes("{\"customer_id\": \"C00000012\"}"))).isFalse();
    assertThat(match.matchesBytes(bytes("{\"customer_id\": \"XC0000001\"}"))).isFalse();
    assertThat(match.matchesBytes(bytes("C0000001x C0000001 "))).isTrue();
  }

  @Test
  void keysMatchWholeOrAsTheFirstPartOfACompositeKey() {
    assertThat(match.matchesBytes(bytes("C0000001"))).isTrue();
    assertThat(match.matchesBytes(bytes("O000000007:2"))).isTrue();
    assertThat(match.matchesBytes(bytes("O0000000071"))).isFalse();
    assertThat(match.matchesBytes(bytes("C000000"))).isFalse();
  }

  @Test
  void typedRowsMatchOnAnyStringColumnEqualToAnIdentifier() {
    org.apache.iceberg.Schema schema =
        new org.apache.iceberg.Schema(
            optional(1, "payment_id", Types.StringType.get()),
            optional(2, "order_id", Types.StringType.get()),
            optional(3, "raw", Types.BinaryType.get()));
    GenericRecord row = GenericRecord.create(schema);
    row.setField("payment_id", "Y1");
    row.setField("order_id", "O000000007");
    assertThat(match.matches(schema, row)).isTrue();
    row.setField("order_id", "O000000008");
    assertThat(match.matches(schema, row)).isFalse();
    row.setField("raw", ByteBuffer.wrap(bytes("C0000001")));
    assertThat(match.matches(schema, row)).isTrue();
  }

  @Test
  void refusesAnEmptySubject() {
    assertThatThrownBy(() -> new SubjectMatch(Set.of()))
        .hasMessageStartingWith("Cannot match a subject");
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] avro(Schema schema, String orderId, String customerId) throws Exception {
    GenericData.Record record = new GenericData.Record(schema);
    record.put("order_id", orderId);
    record.put("customer_id", customerId);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(new byte[] {0, 0, 0, 0, 5}); // the Confluent wire header
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericData.Record>(schema).write(record, encoder);
    encoder.flush();
    return out.toByteArray();
  }
}
