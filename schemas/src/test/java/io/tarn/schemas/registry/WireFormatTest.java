package io.tarn.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tarn.schemas.DomainSchemas;
import io.tarn.schemas.RandomRecords;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

class WireFormatTest {

  @Test
  void writesMagicByteAndBigEndianSchemaId() {
    GenericRecord record =
        RandomRecords.generate(DomainSchemas.forTable("orders").schema(), new Random(1));
    byte[] payload = WireFormat.encode(0x01020304, record);
    assertThat(payload[0]).isEqualTo((byte) 0);
    assertThat(payload[1]).isEqualTo((byte) 1);
    assertThat(payload[4]).isEqualTo((byte) 4);
    assertThat(WireFormat.schemaId(payload)).isEqualTo(0x01020304);
    assertThat(WireFormat.schemaId(WireFormat.encode(Integer.MAX_VALUE, record)))
        .isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void rejectsPayloadsThatAreNotWireFormat() {
    assertNotWireFormat(null);
    assertNotWireFormat(new byte[] {0, 0, 0, 1});
    assertNotWireFormat("{\"a\":1}".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void rejectsRecordThatDoesNotMatchItsSchema() {
    GenericData.Record record = new GenericData.Record(DomainSchemas.forTable("orders").schema());
    assertThatThrownBy(() -> WireFormat.encode(7, record))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot encode record io.tarn.shop.Order with schema id 7");
  }

  private static void assertNotWireFormat(byte[] payload) {
    assertThatThrownBy(() -> WireFormat.schemaId(payload))
        .isInstanceOfSatisfying(
            DecodeException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(DecodeException.Reason.NOT_WIRE_FORMAT);
              assertThat(e.ruleId()).isEqualTo("decode.not_wire_format");
            })
        .hasMessageStartingWith("Cannot decode payload");
  }
}
