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
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frees the leader locks of a member that has left the cluster as soon as the cluster has removed it, rather than when
 * its CP session expires. A replica killed outright is removed within a second (its peers' connections are refused),
 * while its session lives on for its time to live after its last heartbeat: closing the session at once is what
 * lets a standby lead within a couple of seconds. A member removed while it still runs (cut off, or paused for
 * longer than the heartbeat timeout) loses its locks the same way, as it would once its session expired.
 */
final class CpSessions {

  private static final Logger LOG = LoggerFactory.getLogger(CpSessions.class);

  /** The group of the leader locks (they are named without a group). */
  static final String LOCK_GROUP = CPGroup.DEFAULT_GROUP_NAME;

  private CpSessions() {}

  /**
   * The sessions, of those given with the member that opened each, whose member is not among {@code members}, in
   * the order given. A member that was restarted at the address of one that died is among the members again: the
   * dead one's session is then left to expire.
   */
  static <M> List<Long> ofMembersGone(Map<Long, M> memberBySession, Collection<M> members) {
    return memberBySession.entrySet().stream().filter(session -> !members.contains(session.getValue()))
        .map(Map.Entry::getKey).collect(Collectors.toList());
  }

  /** Closes the lock group's sessions of members not among {@code members}; the number closed. */
  static Future<Integer> closeOfMembersGone(Vertx vertx, CPSessionManagementService sessions,
      Collection<Address> members) {
    return Future.fromCompletionStage(sessions.getAllSessions(LOCK_GROUP), vertx.getOrCreateContext())
        .compose(all -> {
          Map<Long, Address> memberBySession = all.stream()
              .filter(session -> session.endpointType() == CPSession.CPSessionOwnerType.SERVER)
              .collect(Collectors.toMap(CPSession::id, CPSession::endpoint));
          List<Future<Boolean>> closed = new ArrayList<>();
          for (long id : ofMembersGone(memberBySession, members)) {
            closed.add(Future.fromCompletionStage(sessions.forceCloseSession(LOCK_GROUP, id),
                    vertx.getOrCreateContext())
                .onSuccess(done -> LOG.info("closed CP session {} of {}, which left the cluster: its locks are free",
                    id, memberBySession.get(id))));
          }
          return Future.all(closed).map(done -> closed.size());
        });
  }
}
