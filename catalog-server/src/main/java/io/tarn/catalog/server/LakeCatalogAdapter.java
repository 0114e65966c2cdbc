package io.tarn.catalog.server;

import java.util.Map;
import java.util.function.Consumer;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.rest.HTTPRequest;
import org.apache.iceberg.rest.RESTCatalogAdapter;
import org.apache.iceberg.rest.RESTResponse;
import org.apache.iceberg.rest.responses.ConfigResponse;
import org.apache.iceberg.rest.responses.ErrorResponse;

/**
 * Iceberg's own REST route table and handlers over the lake's catalog, with the catalog defaults
 * (the warehouse) added to {@code GET /v1/config}, which clients such as PyIceberg and Trino read.
 */
final class LakeCatalogAdapter extends RESTCatalogAdapter {
  private final Map<String, String> configDefaults;

  LakeCatalogAdapter(Catalog catalog, Map<String, String> configDefaults) {
    super(catalog);
    // a mutable copy: the builder probes it with containsKey(null), which Map.copyOf refuses
    this.configDefaults = new java.util.HashMap<>(configDefaults);
  }

  @Override
  protected <T extends RESTResponse> T execute(
      HTTPRequest request,
      Class<T> responseType,
      Consumer<ErrorResponse> errorHandler,
      Consumer<Map<String, String>> responseHeaders) {
    T response = super.execute(request, responseType, errorHandler, responseHeaders);
    if (response instanceof ConfigResponse config) {
      ConfigResponse.Builder withDefaults =
          ConfigResponse.builder()
              .withDefaults(config.defaults())
              .withDefaults(configDefaults)
              .withOverrides(config.overrides())
              .withEndpoints(config.endpoints());
      if (config.idempotencyKeyLifetime() != null) {
        withDefaults.withIdempotencyKeyLifetime(config.idempotencyKeyLifetime());
      }
      return responseType.cast(withDefaults.build());
    }
    return response;
  }
}
