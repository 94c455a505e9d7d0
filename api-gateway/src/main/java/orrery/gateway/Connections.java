package orrery.gateway;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.messages.FrameworkMessages.FrameworkConnected;

/**
 * The framework connections this gateway holds (HTTP event streams and bridge sockets), by connection id, so that
 * one can be closed when offer-service says so (the framework subscribed again elsewhere, or was torn down), and the
 * frameworks listening on each, so that an offer broker that takes over can be told them (the streams go on).
 */
public final class Connections {

  private final Map<String, Runnable> closers = new HashMap<>();
  /** Invariant: every key is a connection held here (in {@link #closers}). */
  private final Map<String, Set<FrameworkId>> listening = new HashMap<>();

  public void add(String connection, Runnable closer) {
    closers.put(connection, closer);
  }

  /** The framework's events go to this connection now (offer-service agreed). */
  public void listening(String connection, FrameworkId frameworkId) {
    if (closers.containsKey(connection)) {
      listening.computeIfAbsent(connection, c -> new LinkedHashSet<>()).add(frameworkId);
    }
  }

  /** Every framework listening on a connection held here, as offer-service is told it. */
  public List<FrameworkConnected> listening() {
    List<FrameworkConnected> all = new ArrayList<>();
    listening.forEach((connection, frameworks) ->
        frameworks.forEach(id -> all.add(new FrameworkConnected(id, connection))));
    return all;
  }

  public void remove(String connection) {
    closers.remove(connection);
    listening.remove(connection);
  }

  /** Closes the connection if this gateway holds it; a connection of another gateway is not ours to close. */
  public void close(String connection) {
    listening.remove(connection);
    Runnable closer = closers.remove(connection);
    if (closer != null) {
      closer.run();
    }
  }
}
