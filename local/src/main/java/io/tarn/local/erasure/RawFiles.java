package io.tarn.local.erasure;

import org.apache.iceberg.ContentFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.parquet.Parquet;

/** Reads the rows physically in one file, deletes not applied: what is on disk, dead or alive. */
final class RawFiles {
  private RawFiles() {}

  static CloseableIterable<Record> read(FileIO io, ContentFile<?> file, Schema schema) {
    if (file.format() != FileFormat.PARQUET) {
      throw new IllegalStateException(
          "Cannot read "
              + file.location()
              + ": erasure reads Parquet files only, this one is "
              + file.format());
    }
    return Parquet.read(io.newInputFile(file.location()))
        .project(schema)
        .createReaderFunc(fileSchema -> GenericParquetReaders.buildReader(schema, fileSchema))
        .build();
  }
}
