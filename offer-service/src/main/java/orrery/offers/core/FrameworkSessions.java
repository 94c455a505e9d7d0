package orrery.offers.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.mesos.FrameworkInfo;

/**
 * The frameworks known to the master and the connection each is reached on. A framework is <em>active</em>
 * (offered resources) only while its current connection listens on its event address.
 *
 * <p>Invariant: at most one connection per framework; a call is accepted only from that connection, and a
 * framework that was torn down never comes back under the same id.
 */
final class FrameworkSessions {

  static final class Session {
    FrameworkInfo info;
    /** Null for a framework known from the registry that has not subscribed again since the master started. */
    String connection;
    boolean connected;
    long failoverDeadlineMillis = Long.MAX_VALUE;
    /** The roles the framework suppressed (at SUBSCRIBE, by SUPPRESS, until REVIVE): told to a new allocator. */
    final Set<String> suppressedRoles = new java.util.TreeSet<>();

    Session(FrameworkInfo info, String connection) {
      this.info = info;
      this.connection = connection;
    }
  }

  private final String masterId;
  private final Map<FrameworkId, Session> sessions = new HashMap<>();
  private final Set<FrameworkId> removed = new HashSet<>();
  private long nextFramework;

  FrameworkSessions(String masterId) {
    this.masterId = masterId;
  }

  FrameworkId newId() {
    FrameworkId id;
    do {
      id = FrameworkId.of(String.format("%s-%04d", masterId, nextFramework++));
    } while (sessions.containsKey(id) || removed.contains(id));
    return id;
  }

  Session get(FrameworkId id) {
    return sessions.get(id);
  }

  boolean wasRemoved(FrameworkId id) {
    return removed.contains(id);
  }

  Session put(FrameworkId id, Session session) {
    return sessions.put(id, session);
  }

  /** A framework torn down before a restart: its id stays taken. */
  void markRemoved(FrameworkId id) {
    removed.add(id);
  }

  Session remove(FrameworkId id) {
    Session session = sessions.remove(id);
    if (session != null) {
      removed.add(id);
    }
    return session;
  }

  /** One connection (a bridge socket) may have subscribed several frameworks. */
  List<FrameworkId> byConnection(String connection) {
    List<FrameworkId> ids = new ArrayList<>();
    sessions.forEach((id, s) -> {
      if (connection.equals(s.connection)) {
        ids.add(id);
      }
    });
    return ids;
  }

  Map<FrameworkId, Session> all() {
    return Map.copyOf(sessions);
  }

  List<FrameworkId> connected() {
    List<FrameworkId> ids = new ArrayList<>();
    sessions.forEach((id, s) -> {
      if (s.connected) {
        ids.add(id);
      }
    });
    return ids;
  }

  int size() {
    return sessions.size();
  }
}
