package io.tarn.kafka.broker;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The broker and controller ports of one data directory, chosen free at its first start and kept in
 * {@code ports.properties} so that clients configured with the bootstrap address (and a resumed
 * local run) find the broker again after a restart.
 */
record BrokerPorts(int broker, int controller) {
  static final String FILE_NAME = "ports.properties";
  static final String HOST = "127.0.0.1";

  private static final String BROKER_KEY = "broker.port";
  private static final String CONTROLLER_KEY = "controller.port";

  /** The persisted ports of {@code dataDir}, checked free; or new free ports, persisted. */
  static BrokerPorts loadOrAllocate(Path dataDir) {
    Path file = dataDir.resolve(FILE_NAME);
    if (Files.exists(file)) {
      BrokerPorts ports = load(file);
      ports.checkFree(file);
      return ports;
    }

    BrokerPorts ports = allocate();
    ports.store(file);
    return ports;
  }

  private static BrokerPorts load(Path file) {
    Properties props = new Properties();
    try (Reader reader = Files.newBufferedReader(file)) {
      props.load(reader);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read broker ports from " + file, e);
    }
    return new BrokerPorts(port(props, BROKER_KEY, file), port(props, CONTROLLER_KEY, file));
  }

  private static int port(Properties props, String key, Path file) {
    String value = props.getProperty(key);
    try {
      return Integer.parseInt(value == null ? "" : value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalStateException(
          String.format(
              "Cannot read broker ports: %s in %s is '%s', not a port", key, file, value));
    }
  }

  private static BrokerPorts allocate() {
    // both sockets are open at once so the two ports differ
    try (ServerSocket broker = new ServerSocket(0, 1, InetAddress.getByName(HOST));
        ServerSocket controller = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return new BrokerPorts(broker.getLocalPort(), controller.getLocalPort());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot find free ports on " + HOST + " for a Kafka broker", e);
    }
  }

  private void store(Path file) {
    Properties props = new Properties();
    props.setProperty(BROKER_KEY, Integer.toString(broker));
    props.setProperty(CONTROLLER_KEY, Integer.toString(controller));
    try (Writer writer = Files.newBufferedWriter(file)) {
      props.store(
          writer, "Ports of the Tarn Kafka broker using this data directory; kept across restarts");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write broker ports to " + file, e);
    }
  }

  /**
   * Fails fast when a persisted port is taken (another broker on the same data directory, or any
   * other program) instead of waiting for the child broker to die on it.
   */
  private void checkFree(Path file) {
    for (int port : new int[] {broker, controller}) {
      // ServerSocket sets SO_REUSEADDR, as the broker does: a port in TIME_WAIT after our own
      // broker
      // stopped is free for this purpose, a listening socket is not
      try (ServerSocket socket = new ServerSocket()) {
        socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port), 1);
      } catch (BindException e) {
        throw new IllegalStateException(
            String.format(
                "Cannot start Kafka broker: port %d on %s is in use (persisted in %s)",
                port, HOST, file));
      } catch (IOException e) {
        throw new UncheckedIOException(
            String.format("Cannot check port %d on %s (persisted in %s)", port, HOST, file), e);
      }
    }
  }
}
