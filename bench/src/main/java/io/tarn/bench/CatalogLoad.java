package io.tarn.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;

/**
 * {@code clients} concurrent REST catalog clients, each a platform thread sending its requests one
 * after the other (Java 17 has no virtual threads), all through one JDK {@link HttpClient} whose
 * pool keeps a connection per busy client. Every request is timed from send to the last byte of the
 * response; a response other than 200 counts as an error and is not timed.
 */
final class CatalogLoad {
  private final HttpClient http;
  private final String authorization;

  CatalogLoad(String token) {
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(30))
            .build();
    this.authorization = "Bearer " + token;
  }

  /**
   * Runs {@code clients} clients of {@code requestsPerClient} requests each; request {@code i} of a
   * client goes to {@code uris.apply(i)}.
   */
  Outcome run(int clients, int requestsPerClient, IntFunction<URI> uris) throws Exception {
    Histogram micros = Latency.newMicrosHistogram();
    AtomicLong bytes = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<Histogram>> futures = new ArrayList<>();
      for (int c = 0; c < clients; c += 1) {
        int client = c;
        futures.add(
            pool.submit(
                () -> {
                  Histogram own = Latency.newMicrosHistogram();
                  go.await();
                  for (int i = 0; i < requestsPerClient; i += 1) {
                    HttpRequest request =
                        HttpRequest.newBuilder(uris.apply(client * requestsPerClient + i))
                            .header("Authorization", authorization)
                            .timeout(Duration.ofMinutes(2))
                            .GET()
                            .build();
                    long start = System.nanoTime();
                    HttpResponse<byte[]> response =
                        http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                    long elapsed = System.nanoTime() - start;
                    if (response.statusCode() == 200) {
                      own.recordValue(Math.max(1, elapsed / 1000));
                      bytes.addAndGet(response.body().length);
                    } else {
                      errors.incrementAndGet();
                    }
                  }
                  return own;
                }));
      }
      long start = System.nanoTime();
      go.countDown();
      for (Future<Histogram> f : futures) {
        micros.add(f.get());
      }
      long elapsed = System.nanoTime() - start;
      return new Outcome(
              micros.getTotalCount(),
              bytes.get(),
              Duration.ofNanos(elapsed),
              Latency.ofMicros("request", micros),
              java.util.Map.of())
          .with("clients", clients)
          // Little's law: how many requests were in flight on average. Far below `clients` means
          // the clients' threads waited for a core between requests, not for the server.
          .with("in_flight", micros.getMean() * micros.getTotalCount() / (elapsed / 1000.0))
          .with("errors", errors.get());
    } finally {
      pool.shutdownNow();
    }
  }
}
