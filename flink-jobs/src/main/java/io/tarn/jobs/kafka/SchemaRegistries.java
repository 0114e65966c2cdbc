package io.tarn.jobs.kafka;

import io.tarn.jobs.config.JobConfig;
import io.tarn.schemas.registry.RestSchemaRegistry;
import io.tarn.schemas.registry.SchemaRegistry;
import java.util.HashMap;
import java.util.Map;

/** Connects a job's operators to the schema registry named in the configuration. */
public final class SchemaRegistries {
  private SchemaRegistries() {}

  public static SchemaRegistry connect(JobConfig config) {
    Map<String, String> settings = new HashMap<>();
    String auth = config.get(JobConfig.REGISTRY_AUTH);
    if (auth != null) {
      settings.put("basic.auth.user.info", auth);
    }
    return new RestSchemaRegistry(config.get(JobConfig.REGISTRY_URL), settings);
  }
}
