package io.tarn.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.iceberg.shaded.org.apache.avro.file.DataFileStream;
import org.apache.iceberg.shaded.org.apache.avro.generic.GenericDatumReader;
import org.apache.iceberg.shaded.org.apache.parquet.ParquetReadOptions;
import org.apache.iceberg.shaded.org.apache.parquet.column.ColumnDescriptor;
import org.apache.iceberg.shaded.org.apache.parquet.column.page.DataPage;
import org.apache.iceberg.shaded.org.apache.parquet.column.page.DataPageV1;
import org.apache.iceberg.shaded.org.apache.parquet.column.page.DataPageV2;
import org.apache.iceberg.shaded.org.apache.parquet.column.page.DictionaryPage;
import org.apache.iceberg.shaded.org.apache.parquet.column.page.PageReadStore;
import org.apache.iceberg.shaded.org.apache.parquet.column.page.PageReader;
import org.apache.iceberg.shaded.org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.iceberg.shaded.org.apache.parquet.io.LocalInputFile;

/**
 * Looks for byte strings in every file under a folder, as stored and decompressed: Parquet pages
 * (data and dictionary, zstd-decompressed) and Avro blocks (manifests, manifest lists) are
 * inflated, so compression cannot hide a value from the scan.
 */
public final class WarehouseScan {
  /** One needle found in one file. */
  public record Hit(Path file, String needle) {}

  private WarehouseScan() {}

  public static List<Hit> find(Path root, List<String> needles) {
    List<Hit> hits = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        List<byte[]> views = views(file);
        for (String needle : needles) {
          byte[] bytes = needle.getBytes(StandardCharsets.UTF_8);
          if (views.stream().anyMatch(view -> indexOf(view, bytes) >= 0)) {
            hits.add(new Hit(file, needle));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return hits;
  }

  /** How many files {@link #find} looks into under {@code root}. */
  public static long fileCount(Path root) {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(Files::isRegularFile).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<byte[]> views(Path file) throws IOException {
    List<byte[]> views = new ArrayList<>();
    byte[] raw = Files.readAllBytes(file);
    views.add(raw);
    String name = file.getFileName().toString();
    if (name.endsWith(".parquet")) {
      views.add(parquetPages(file));
    } else if (name.endsWith(".avro")) {
      views.add(avroBlocks(raw));
    } else if (name.endsWith(".gz")) {
      try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
        views.add(in.readAllBytes());
      }
    }
    return views;
  }

  private static byte[] parquetPages(Path file) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ParquetFileReader reader =
        ParquetFileReader.open(new LocalInputFile(file), ParquetReadOptions.builder().build())) {
      List<ColumnDescriptor> columns = reader.getFileMetaData().getSchema().getColumns();
      PageReadStore rowGroup;
      while ((rowGroup = reader.readNextRowGroup()) != null) {
        for (ColumnDescriptor column : columns) {
          PageReader pages = rowGroup.getPageReader(column);
          DictionaryPage dictionary = pages.readDictionaryPage();
          if (dictionary != null) {
            out.writeBytes(dictionary.getBytes().toByteArray());
          }
          DataPage page;
          while ((page = pages.readPage()) != null) {
            if (page instanceof DataPageV1 v1) {
              out.writeBytes(v1.getBytes().toByteArray());
            } else if (page instanceof DataPageV2 v2) {
              out.writeBytes(v2.getData().toByteArray());
            }
          }
        }
      }
    }
    return out.toByteArray();
  }

  private static byte[] avroBlocks(byte[] raw) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DataFileStream<Object> stream =
        new DataFileStream<>(
            new java.io.ByteArrayInputStream(raw), new GenericDatumReader<Object>())) {
      while (stream.hasNext()) {
        ByteBuffer block = stream.nextBlock();
        byte[] copy = new byte[block.remaining()];
        block.duplicate().get(copy);
        out.writeBytes(copy);
      }
    }
    return out.toByteArray();
  }

  static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
