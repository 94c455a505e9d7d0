package orrery.cli.cluster;

import com.hazelcast.cluster.Address;
import com.hazelcast.cp.CPGroup;
import com.hazelcast.cp.session.CPSession;
import com.hazelcast.cp.session.CPSessionManagementService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frees the leader locks of a member that has left the cluster as soon as it has stopped heartbeating, rather than when
 * its CP session expires. A replica killed outright is removed within a second (its peers' connections are refused),
 * while its session lives on for its time to live after its last heartbeat: closing the session then is what lets a
 * standby lead within a couple of seconds.
 *
 * <p>Invariant: a session is closed only when both its member is missing from this member's list and the CP subsystem
 * has had no heartbeat of it for {@link #STALE_HEARTBEATS} heartbeat intervals. The first alone is not enough: a member
 * on the small side of a split (or one that has just merged back and still lists only its old side) misses members
 * that are alive; their sessions, heartbeating to the CP subsystem's majority, are never stale.
 */
final class CpSessions {

  private static final Logger LOG = LoggerFactory.getLogger(CpSessions.class);

  /** The group of the leader locks (they are named without a group). */
  static final String LOCK_GROUP = CPGroup.DEFAULT_GROUP_NAME;
  /** How many heartbeats a session must have missed before it is closed. */
  static final int STALE_HEARTBEATS = 2;

  private CpSessions() {}

  /** A CP session as the CP subsystem lists it: its id, the member that opened it, and when it would expire. */
  record Session<M>(long id, M member, long expiresAtMillis) {}

  /**
   * The sessions to close now: of members not among {@code members}, and not heartbeated for {@link #STALE_HEARTBEATS}
   * heartbeat intervals (a session expires {@code ttlMillis} after its last heartbeat). A member restarted at the
   * address of one that died is among the members again: the dead one's session is then left to expire.
   */
  static <M> List<Session<M>> toClose(Collection<Session<M>> sessions, Collection<M> members, long nowMillis,
      long ttlMillis, long heartbeatMillis) {
    List<Session<M>> close = new ArrayList<>();
    for (Session<M> session : sessions) {
      long lastHeartbeat = session.expiresAtMillis() - ttlMillis;
      if (!members.contains(session.member()) && nowMillis - lastHeartbeat >= STALE_HEARTBEATS * heartbeatMillis) {
        close.add(session);
      }
    }
    return close;
  }

  /**
   * Closes the lock group's sessions that {@link #toClose} names; the number closed. Expiry times are the CP
   * subsystem's leader's clock, compared with this member's: the members' clocks are taken to agree to well within a
   * second (NTP), as Hazelcast's own session expiry also assumes.
   */
  static Future<Integer> closeOfMembersGone(Vertx vertx, CPSessionManagementService sessions,
      Collection<Address> members, long ttlMillis, long heartbeatMillis) {
    return Future.fromCompletionStage(sessions.getAllSessions(LOCK_GROUP), vertx.getOrCreateContext())
        .compose(all -> {
          List<Session<Address>> listed = all.stream()
              .filter(session -> session.endpointType() == CPSession.CPSessionOwnerType.SERVER)
              .map(session -> new Session<>(session.id(), session.endpoint(), session.expirationTime()))
              .toList();
          List<Future<Boolean>> closed = new ArrayList<>();
          for (Session<Address> stale : toClose(listed, members, System.currentTimeMillis(), ttlMillis,
              heartbeatMillis)) {
            closed.add(Future.fromCompletionStage(sessions.forceCloseSession(LOCK_GROUP, stale.id()),
                    vertx.getOrCreateContext())
                .onSuccess(done -> LOG.info("closed CP session {} of {}, which left the cluster and stopped "
                    + "heartbeating: its locks are free", stale.id(), stale.member())));
          }
          return Future.all(closed).map(done -> closed.size());
        });
  }
}
