package orrery.cli.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.config.Config;
import io.vertx.core.Completable;
import io.vertx.core.spi.cluster.RegistrationInfo;
import io.vertx.core.spi.cluster.RegistrationListener;
import io.vertx.core.spi.cluster.RegistrationUpdateEvent;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Vert.x's Hazelcast cluster manager, except that the event bus never routes a message to a member that has left the
 * cluster.
 *
 * <p>Why: when a member dies, every other member removes the dead one's handler registrations from Hazelcast's map,
 * which takes seconds while Hazelcast moves the dead member's partitions. A standby elected meanwhile (its leader
 * lock is freed as soon as the leader leaves) registers the role's addresses, and the event bus's cache of an
 * address then holds both the standby and the dead leader: half the requests went to the dead one, and were lost
 * after a 60 s connect timeout (found by the container tests). Here, every list of registrations the event bus gets
 * is first stripped of members that are gone, and every route it keeps is given again without a member the moment
 * that member leaves.
 */
final class LiveMembersClusterManager extends HazelcastClusterManager {

  private RegistrationListener listener;
  /** The registrations last seen per address, as Hazelcast had them: routes are filtered again when a member leaves. */
  private final Map<String, List<RegistrationInfo>> lastSeen = new ConcurrentHashMap<>();

  LiveMembersClusterManager(Config config) {
    super(config);
  }

  @Override
  public void registrationListener(RegistrationListener listener) {
    this.listener = listener;
    super.registrationListener(new RegistrationListener() {
      @Override
      public void registrationsUpdated(RegistrationUpdateEvent event) {
        lastSeen.put(event.address(), List.copyOf(event.registrations()));
        listener.registrationsUpdated(new RegistrationUpdateEvent(event.address(),
            onLiveMembers(event.registrations(), Set.copyOf(getNodes()))));
      }

      @Override
      public void registrationsLost() {
        listener.registrationsLost();
      }

      @Override
      public boolean wantsUpdatesFor(String address) {
        return listener.wantsUpdatesFor(address);
      }
    });
  }

  @Override
  public void getRegistrations(String address, Completable<List<RegistrationInfo>> promise) {
    super.getRegistrations(address, (registrations, failure) -> {
      if (failure != null) {
        promise.fail(failure);
      } else {
        lastSeen.put(address, List.copyOf(registrations));
        promise.succeed(onLiveMembers(registrations, Set.copyOf(getNodes())));
      }
    });
  }

  /**
   * The member list no longer holds the member that left: every route the event bus keeps is given again without it,
   * at once, before Hazelcast's own clean-up of its registrations (which may take seconds, or fail during partition
   * migrations). An event bus that had just learnt of a standby's registration while the leader still counted as a
   * member is corrected here.
   */
  @Override
  public void memberRemoved(MembershipEvent event) {
    if (listener != null) {
      Set<String> live = Set.copyOf(getNodes());
      lastSeen.forEach((address, registrations) -> {
        if (listener.wantsUpdatesFor(address)) {
          listener.registrationsUpdated(new RegistrationUpdateEvent(address, onLiveMembers(registrations, live)));
        }
      });
    }
    super.memberRemoved(event);
  }

  /** The registrations held by members still in the cluster, in their order. */
  static List<RegistrationInfo> onLiveMembers(List<RegistrationInfo> registrations, Collection<String> liveNodes) {
    return registrations.stream().filter(r -> liveNodes.contains(r.nodeId())).toList();
  }
}
