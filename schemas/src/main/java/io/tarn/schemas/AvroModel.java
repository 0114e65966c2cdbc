package io.tarn.schemas;

import org.apache.avro.Conversions;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericData;

/**
 * The Avro data model every Tarn component reads and writes with.
 *
 * <p>Logical types are converted so that values handed around are Java types: decimal → {@link
 * java.math.BigDecimal}, date → {@link java.time.LocalDate}, timestamp-millis/micros → {@link
 * java.time.Instant}. Strings stay {@link org.apache.avro.util.Utf8}.
 */
public final class AvroModel {

  /** The shared model; registered conversions are never changed after class initialisation. */
  public static final GenericData INSTANCE = create();

  private AvroModel() {}

  private static GenericData create() {
    // a private instance: GenericData.get() is global and other libraries may register conversions
    // on it
    GenericData model = new GenericData();
    model.addLogicalTypeConversion(new Conversions.DecimalConversion());
    model.addLogicalTypeConversion(new TimeConversions.DateConversion());
    model.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
    model.addLogicalTypeConversion(new TimeConversions.TimestampMicrosConversion());
    model.addLogicalTypeConversion(new TimeConversions.LocalTimestampMillisConversion());
    model.addLogicalTypeConversion(new TimeConversions.LocalTimestampMicrosConversion());
    return model;
  }
}
