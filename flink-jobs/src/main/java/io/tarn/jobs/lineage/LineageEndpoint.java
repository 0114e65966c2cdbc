package io.tarn.jobs.lineage;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * An OpenLineage HTTP endpoint (Marquez's {@code /api/v1/lineage} or any compatible collector): one
 * POST of the event's JSON per event.
 */
public final class LineageEndpoint {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private final URI uri;
  private final HttpClient client;

  public LineageEndpoint(String url) {
    this.uri = URI.create(url);
    this.client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  }

  /** Posts the event; a refusal or an unreachable endpoint is an exception naming the URL. */
  public void post(RunEvent event) {
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(TIMEOUT)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(event.toString()))
            .build();
    HttpResponse<String> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException("Cannot post lineage event to " + uri + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Cannot post lineage event to " + uri + ": interrupted", e);
    }
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException(
          "Cannot post lineage event to "
              + uri
              + ": HTTP "
              + response.statusCode()
              + " "
              + abbreviate(response.body()));
    }
  }

  private static String abbreviate(String body) {
    return body.length() <= 200 ? body : body.substring(0, 200) + "...";
  }
}
