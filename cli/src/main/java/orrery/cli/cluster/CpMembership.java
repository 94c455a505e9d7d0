package orrery.cli.cluster;

import com.hazelcast.cluster.Address;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.cp.CPSubsystemConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.cp.CPMember;
import com.hazelcast.cp.CPSubsystemManagementService;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps Hazelcast's CP subsystem at its size while members die and come back. Without persistence a CP member that
 * dies never returns as one (a restarted process is a new member), and its Raft groups run one short until it is
 * removed: a second death meanwhile would lose their majority and stop every election for good. Hazelcast removes it
 * only after {@code missing-cp-member-auto-removal-seconds}; here, every second, as an operator would with Hazelcast's
 * management API, the oldest members that are not CP members promote themselves while fewer CP members are alive than
 * wanted, and then the oldest member removes the dead one, whose seat in each group the promoted member takes. The
 * oldest member also closes the CP sessions of members that left and stopped heartbeating ({@link CpSessions}), so that
 * their leader locks are free within seconds of their death.
 */
final class CpMembership {

  private static final Logger LOG = LoggerFactory.getLogger(CpMembership.class);
  static final long CHECK_MILLIS = 1_000;

  /** What this member does about the CP subsystem now. */
  sealed interface Step<M> permits Nothing, PromoteSelf, Remove {}

  record Nothing<M>() implements Step<M> {}

  record PromoteSelf<M>() implements Step<M> {}

  /** Remove a CP member that has left the cluster (its failure detected: it is no longer in the member list). */
  record Remove<M>(M cpMember) implements Step<M> {}

  /**
   * The step for {@code local}, from the member list (oldest first, the same on every member, so that the members
   * agree on who acts) and the CP members the CP subsystem lists (the dead ones until they are removed), each member
   * known by its address (a CP member's UUID is not its member UUID):
   * <ul>
   *   <li>while fewer than {@code wanted} CP members are in the member list, the oldest other members promote
   *       themselves, as many as are missing, agents only when too few other members are left: an agent is the
   *       member most likely to be cut off, and the control plane should not depend on it;</li>
   *   <li>once enough are, or nobody is left to promote, the oldest member removes a CP member that left: the groups
   *       it was in take a promoted member in its place rather than running one short.</li>
   * </ul>
   */
  static <M> Step<M> step(List<M> membersOldestFirst, Set<M> cpMembers, Set<M> agents, M local, int wanted) {
    long alive = membersOldestFirst.stream().filter(cpMembers::contains).count();
    List<M> candidates = new ArrayList<>();
    membersOldestFirst.stream().filter(m -> !cpMembers.contains(m) && !agents.contains(m)).forEach(candidates::add);
    membersOldestFirst.stream().filter(m -> !cpMembers.contains(m) && agents.contains(m)).forEach(candidates::add);
    long missing = wanted - alive;
    if (missing > 0) {
      int rank = candidates.indexOf(local);
      if (rank >= 0 && rank < missing) {
        return new PromoteSelf<>();
      }
    }
    boolean oldest = !membersOldestFirst.isEmpty() && membersOldestFirst.get(0).equals(local);
    if (oldest && (missing <= 0 || candidates.isEmpty())) {
      for (M cpMember : cpMembers) {
        if (!membersOldestFirst.contains(cpMember)) {
          return new Remove<>(cpMember);
        }
      }
    }
    return new Nothing<>();
  }

  /** Whether the CP subsystem is whole: as many CP members alive as wanted, and none listed that has left. */
  static <M> boolean whole(List<M> membersOldestFirst, Set<M> cpMembers, int wanted) {
    return membersOldestFirst.containsAll(cpMembers) && cpMembers.size() >= wanted;
  }

  private final Vertx vertx;
  private final HazelcastInstance hazelcast;
  private final int wanted;
  /**
   * A closing of sessions, or a promotion or removal, under way: no other of its kind meanwhile. Touched on one event
   * loop only (the context the checks run on).
   */
  private boolean closingSessions;
  private boolean keepingMembership;
  /** This member said it is a CP member (printed once: operators and tests look for it). */
  private boolean announced;
  /** Whether the CP subsystem was whole when this member last looked. */
  private boolean wasWhole = true;

  private CpMembership(Vertx vertx, HazelcastInstance hazelcast, int wanted) {
    this.vertx = vertx;
    this.hazelcast = hazelcast;
    this.wanted = wanted;
  }

  /**
   * Checks every {@link #CHECK_MILLIS} on this member, once CP discovery has completed, and at once when a member
   * leaves (its locks are then freed without waiting for the next tick).
   */
  static void keep(Vertx vertx, HazelcastInstance hazelcast, int wanted) {
    CpMembership membership = new CpMembership(vertx, hazelcast, wanted);
    Context context = vertx.getOrCreateContext();
    context.runOnContext(start -> vertx.setPeriodic(CHECK_MILLIS, id -> membership.check()));
    hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {}

      @Override
      public void memberRemoved(MembershipEvent event) {
        context.runOnContext(left -> membership.check());
      }
    });
  }

  private void check() {
    CPSubsystemManagementService management = hazelcast.getCPSubsystem().getCPSubsystemManagementService();
    if (!hazelcast.getLifecycleService().isRunning() || !management.isDiscoveryCompleted()) {
      return;
    }
    if (management.getLocalCPMember() != null && !announced) {
      announced = true;
      RoleOutput.announce("orrery: this member is a CP member (one of the " + wanted + " that keep the leader locks)");
    }
    List<Member> members = new ArrayList<>();
    for (Member member : hazelcast.getCluster().getMembers()) { // oldest first, as every member lists them
      if (!member.isLiteMember()) {
        members.add(member);
      }
    }
    // Both are requests to the CP subsystem, each its own so that the locks of a member that left are not freed late
    // behind a membership change waiting for a Raft election of the metadata group. They fail on a side of a split
    // without its majority, and then nothing is done there (no change could be committed either).
    if (members.get(0).localMember() && !closingSessions) {
      closingSessions = true;
      CPSubsystemConfig cp = hazelcast.getConfig().getCPSubsystemConfig();
      CpSessions.closeOfMembersGone(vertx, hazelcast.getCPSubsystem().getCPSessionManagementService(),
              members.stream().map(Member::getAddress).toList(), cp.getSessionTimeToLiveSeconds() * 1_000L,
              cp.getSessionHeartbeatIntervalSeconds() * 1_000L)
          .onFailure(e -> LOG.debug("the sessions of members that left are not closed now: {}", e.toString()))
          .onComplete(done -> closingSessions = false);
    }
    if (!keepingMembership) {
      keepingMembership = true;
      Future.fromCompletionStage(management.getCPMembers(), vertx.getOrCreateContext())
          .compose(cpMembers -> act(management, cpMembers, members))
          .onFailure(e -> LOG.debug("the CP subsystem is not kept now: {}", e.toString()))
          .onComplete(done -> keepingMembership = false);
    }
  }

  private Future<Void> act(CPSubsystemManagementService management, Collection<CPMember> cpMembers,
      List<Member> members) {
    List<Address> addresses = members.stream().map(Member::getAddress).toList();
    Set<Address> agents = members.stream()
        .filter(member -> AgentNodeCommand.ROLE.equals(member.getAttribute(ClusterNode.ROLE_ATTRIBUTE)))
        .map(Member::getAddress).collect(Collectors.toSet());
    Map<Address, UUID> cpIds = new HashMap<>();
    cpMembers.forEach(cp -> cpIds.put(cp.getAddress(), cp.getUuid()));
    Address local = hazelcast.getCluster().getLocalMember().getAddress();
    boolean whole = whole(addresses, cpIds.keySet(), wanted);
    if (whole && !wasWhole && addresses.get(0).equals(local)) {
      // Said once, by the oldest member: the next death of a CP member leaves its groups a majority again.
      RoleOutput.announce("orrery: the CP subsystem is whole again (" + cpIds.size() + " members)");
    }
    wasWhole = whole;
    Step<Address> step = step(addresses, cpIds.keySet(), agents, local, wanted);
    if (step instanceof PromoteSelf<Address>) {
      LOG.info("fewer than {} CP members are alive: this member promotes itself to the CP subsystem", wanted);
      return Future.fromCompletionStage(management.promoteToCPMember(), vertx.getOrCreateContext())
          .onSuccess(v -> {
            announced = true;
            RoleOutput.announce("orrery: this member joined the CP subsystem, in place of one that left");
          })
          .onFailure(e -> LOG.warn("promotion to the CP subsystem failed (tried again shortly): {}", e.toString()));
    }
    if (step instanceof Remove<Address> remove) {
      return Future.fromCompletionStage(management.removeCPMember(cpIds.get(remove.cpMember())),
              vertx.getOrCreateContext())
          .onSuccess(v -> RoleOutput.announce("orrery: removed CP member " + remove.cpMember()
              + ", which left the cluster; another member has its seat"))
          .onFailure(e -> LOG.warn("removing CP member {} failed (tried again shortly): {}", remove.cpMember(),
              e.toString()));
    }
    return Future.succeededFuture();
  }
}
