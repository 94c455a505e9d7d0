package orrery.gateway;

import java.util.HashMap;
import java.util.Map;

/**
 * The framework connections this gateway holds (HTTP event streams and bridge sockets), by connection id, so that
 * one can be closed when offer-service says so (the framework subscribed again elsewhere, or was torn down).
 */
public final class Connections {

  private final Map<String, Runnable> closers = new HashMap<>();

  public void add(String connection, Runnable closer) {
    closers.put(connection, closer);
  }

  public void remove(String connection) {
    closers.remove(connection);
  }

  /** Closes the connection if this gateway holds it; a connection of another gateway is not ours to close. */
  public void close(String connection) {
    Runnable closer = closers.remove(connection);
    if (closer != null) {
      closer.run();
    }
  }
}
