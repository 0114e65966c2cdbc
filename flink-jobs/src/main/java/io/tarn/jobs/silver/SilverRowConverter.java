package io.tarn.jobs.silver;

import io.tarn.governance.protect.Protection;
import io.tarn.governance.protect.TokenKey;
import java.util.Map;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.TimestampData;

/**
 * Converts decoded Avro records (read with AvroModel) into rows of their silver table, protecting
 * PII fields on the way as the table says.
 */
public final class SilverRowConverter {
  private final SilverTable table;
  private final TokenKey key;
  private final AvroColumns columns;
  private final int width;

  /** For a table without protections, or whose protections need no token key. */
  public SilverRowConverter(SilverTable table) {
    this(table, null);
  }

  public SilverRowConverter(SilverTable table, TokenKey key) {
    this.table = table;
    this.key = key;
    this.columns = AvroColumns.of(table.recordSchema(), table.contract().table(), new int[] {1});
    this.width = columns.columns().size() + SilverTable.LINEAGE_COLUMNS.size();
  }

  /**
   * @throws AvroColumns.ConversionException when a value does not fit its column
   */
  public RowData convert(GenericRecord record, SilverRecord source) {
    GenericRowData row = new GenericRowData(width);
    columns.fill(protect(record), row);
    int lineage = columns.columns().size();
    row.setField(lineage, source.partition);
    row.setField(lineage + 1, source.offset);
    row.setField(lineage + 2, source.schemaId);
    row.setField(lineage + 3, TimestampData.fromEpochMillis(System.currentTimeMillis()));
    return row;
  }

  /** The record as silver stores it: protected fields replaced, dropped ones left out. */
  GenericRecord protect(GenericRecord record) {
    Map<String, Protection> protections = table.protection().byField();
    if (protections.isEmpty()) {
      return record;
    }
    GenericData.Record out = new GenericData.Record(table.recordSchema());
    for (org.apache.avro.Schema.Field field : out.getSchema().getFields()) {
      Object value = record.get(field.name());
      Protection protection = protections.get(field.name());
      out.put(field.pos(), protection == null ? value : protection.apply(value, key));
    }
    return out;
  }
}
