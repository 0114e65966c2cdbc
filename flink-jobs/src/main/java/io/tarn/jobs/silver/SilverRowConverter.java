package io.tarn.jobs.silver;

import org.apache.avro.generic.GenericRecord;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.TimestampData;

/** Converts decoded Avro records (read with AvroModel) into rows of their silver table. */
public final class SilverRowConverter {
  private final AvroColumns columns;
  private final int width;

  public SilverRowConverter(SilverTable table) {
    this.columns =
        AvroColumns.of(table.contract().schema(), table.contract().table(), new int[] {1});
    this.width = columns.columns().size() + SilverTable.LINEAGE_COLUMNS.size();
  }

  /**
   * @throws AvroColumns.ConversionException when a value does not fit its column
   */
  public RowData convert(GenericRecord record, SilverRecord source) {
    GenericRowData row = new GenericRowData(width);
    columns.fill(record, row);
    int lineage = columns.columns().size();
    row.setField(lineage, source.partition);
    row.setField(lineage + 1, source.offset);
    row.setField(lineage + 2, source.schemaId);
    row.setField(lineage + 3, TimestampData.fromEpochMillis(System.currentTimeMillis()));
    return row;
  }
}
