package orrery.cli.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.KubernetesConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.net.InetAddress;
import java.net.UnknownHostException;
import orrery.gateway.health.HealthApi;

/**
 * A Vert.x instance joined to the cluster's event bus through Hazelcast. Messages between members keep their Mesos
 * v1 JSON (the protocol's codecs write it on the wire), so nothing depends on Java serialization.
 */
public final class ClusterNode {

  private ClusterNode() {}

  /** A member: its Vert.x, and the Hazelcast instance under it (for leader election). */
  record Joined(Vertx vertx, HazelcastInstance hazelcast) {}

  private static final int EVENT_BUS_CONNECT_TIMEOUT_MILLIS = 5_000;
  /** The member attribute naming the member's role (registry, allocator, offers, gateway, agent). */
  static final String ROLE_ATTRIBUTE = "orrery.role";
  /**
   * Seconds without a heartbeat after which a member is taken for dead. A member killed outright is removed sooner,
   * within a second here, once its peers' connections to it are refused; this bound is for a machine or container that
   * vanished, or was cut off. Not less: on a loaded machine a member's heartbeats were seen to pause for 4.2 to 4.8 s,
   * and a member wrongly taken for dead splits the cluster for seconds (a leader on the wrong side steps down).
   */
  static final int MAX_NO_HEARTBEAT_SECONDS = 7;
  /**
   * A CP session's time to live after its last heartbeat (one a second), with the CP subsystem. It must outlast the
   * time a group of the CP subsystem may go without a Raft leader, for a new Raft leader expires every session whose
   * time is up, living members' included (Hazelcast extends them by one heartbeat only): in the container test a Raft
   * leader's container killed left its group leaderless for 6 to 8 s (noticed by missed heartbeats, or only once the
   * cluster removed the member), and at 4 and at 6 s every leader of the cluster lost its lock then. Failovers do not
   * wait for it: the sessions of a member the cluster removed are closed once they miss heartbeats ({@link
   * CpSessions}); it bounds a leader that paused, and stands in when nothing closes a session.
   */
  static final int CP_SESSION_TTL_SECONDS = 12;
  /**
   * The same without the CP subsystem, where sessions live in Hazelcast's partitions and no Raft election holds them:
   * a dead leader's lock is freed when its session expires.
   */
  static final int UNSAFE_SESSION_TTL_SECONDS = 4;
  /**
   * Hazelcast's own removal of a dead CP member, a backstop: CpMembership removes it sooner, once a member took its
   * seat. At least the CP session's time to live, as Hazelcast requires.
   */
  static final int CP_MEMBER_REMOVAL_SECONDS = CP_SESSION_TTL_SECONDS;

  /** Raft groups have an odd size from 3 to 7: the CP members, or one fewer when they are even. */
  static int cpGroupSize(int cpMembers) {
    return Math.min(7, cpMembers % 2 == 1 ? cpMembers : cpMembers - 1);
  }

  /**
   * The address this member tells the others, resolved now: a name (a container's or a pod's) that comes back with
   * a new address after a restart would otherwise be reached at its old address, which the others' resolvers cache
   * (Docker's DNS answers with a ten-minute time to live), and replies to the restarted member were lost.
   */
  static String advertisedAddress(String host) {
    try {
      return InetAddress.getByName(host).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("--cluster-host: cannot resolve '" + host + "': " + e.getMessage(), e);
    }
  }

  /**
   * The Hazelcast configuration of a member with these flags: Vert.x's own (the maps and locks it needs), with this
   * member's network and way of finding the others. Throws {@link IllegalArgumentException}, naming the flags, for
   * ways of joining that exclude each other.
   */
  public static Config hazelcastConfig(ClusterFlags flags) {
    // Vert.x's own Hazelcast configuration (the maps and locks it needs), with the network of this member.
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(flags.name);
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    // The role's own shutdown leaves the cluster in order; Hazelcast's hook would race it.
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    // A member that vanished is noticed within seconds (Hazelcast's default is a minute), so that a standby takes
    // over and its event-bus routes are dropped soon.
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", Integer.toString(MAX_NO_HEARTBEAT_SECONDS));
    // A member cut off by the network (an agent partitioned away) forms a cluster of its own; once the network heals
    // the two merge again within seconds, not after Hazelcast's default of minutes.
    config.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
    config.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
    // Members started at once may not see each other at first and form clusters of their own, each electing
    // leaders (the locks without the CP subsystem are per cluster): starting only with a majority rules that out.
    if (flags.minClusterSize > 1) {
      config.setProperty("hazelcast.initial.min.cluster.size", Integer.toString(flags.minClusterSize));
    }
    // A dead leader's lock is freed when its session expires: within seconds, not the default five minutes (with the
    // CP subsystem, sooner once the member is removed from the cluster: CpSessions).
    int cpMembers = flags.cpMembers();
    config.getCPSubsystemConfig().setSessionHeartbeatIntervalSeconds(1)
        .setSessionTimeToLiveSeconds(cpMembers >= 3 ? CP_SESSION_TTL_SECONDS : UNSAFE_SESSION_TTL_SECONDS);
    if (cpMembers >= 3) {
      // Leader locks then live in the CP subsystem (Raft among that many members): linearizable, fenced.
      config.getCPSubsystemConfig().setCPMemberCount(cpMembers).setGroupSize(cpGroupSize(cpMembers))
          // A CP member that died is replaced and removed from its Raft groups within seconds (CpMembership), not
          // after Hazelcast's four hours, so that its groups keep their majority when another dies.
          .setMissingCPMemberAutoRemovalSeconds(CP_MEMBER_REMOVAL_SECONDS);
      // A Raft leader that stopped is noticed after 6 missed heartbeats of half a second, and at once when its member
      // is removed from the cluster (the defaults, 5 of 5 s, would hold every lock of its groups for 25 s). Elections
      // then take a second or two rather than three to five: a follower turns down candidates for one election
      // timeout after it last heard the old leader (1 to 2 s here; Hazelcast's default is 2 to 3 s), and a split vote
      // is tried again after as long. A dead leader's lock is freed only once its group has a new Raft leader.
      config.getCPSubsystemConfig().getRaftAlgorithmConfig().setLeaderHeartbeatPeriodInMillis(500)
          .setMaxMissedLeaderHeartbeatCount(6).setLeaderElectionTimeoutInMillis(1_000);
    }
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(flags.port).setPortAutoIncrement(false).setPublicAddress(flags.host + ":" + flags.port);
    network.getInterfaces().setEnabled(false);
    join(network.getJoin(), flags);
    return config;
  }

  /**
   * One way of finding the members, the others off: the members listed (TCP-IP), Kubernetes (the built-in discovery
   * of Hazelcast's core jar), or multicast when neither is given.
   */
  private static void join(JoinConfig join, ClusterFlags flags) {
    String dns = flags.kubernetesServiceDns();
    String service = flags.kubernetesServiceName();
    String namespace = flags.kubernetesNamespace();
    if (flags.kubernetes() && !flags.members().isEmpty()) {
      throw new IllegalArgumentException("--cluster-members (ORRERY_CLUSTER_MEMBERS) and Kubernetes discovery ("
          + (dns != null ? "--kubernetes-service-dns" : "--kubernetes-service-name") + ") cannot both be given: a "
          + "member joins either the members listed or those Kubernetes finds; give one of them");
    }
    if (dns != null && service != null) {
      throw new IllegalArgumentException("--kubernetes-service-dns and --kubernetes-service-name cannot both be "
          + "given: the first finds the members by DNS, the second through the Kubernetes API; give one of them");
    }
    if (namespace != null && service == null) {
      throw new IllegalArgumentException("--kubernetes-namespace is the namespace of --kubernetes-service-name, "
          + "which is not given" + (dns != null ? " (--kubernetes-service-dns names the namespace in the DNS name)"
              : ""));
    }
    join.getAutoDetectionConfig().setEnabled(false);
    join.getMulticastConfig().setEnabled(flags.members().isEmpty() && !flags.kubernetes());
    join.getTcpIpConfig().setEnabled(!flags.members().isEmpty()).setMembers(flags.members());
    KubernetesConfig kubernetes = join.getKubernetesConfig().setEnabled(flags.kubernetes());
    if (!flags.kubernetes()) {
      return;
    }
    if (dns != null) {
      kubernetes.setProperty("service-dns", dns);
    } else {
      kubernetes.setProperty("service-name", service);
      if (namespace != null) {
        kubernetes.setProperty("namespace", namespace);
      }
      // The members talk only inside the Kubernetes cluster: no looking up public addresses of their pods (which
      // would read a Service per pod and the nodes, which a namespaced Role cannot grant).
      kubernetes.setProperty("expose-externally", "false");
    }
    // Every member listens on its --cluster-port, the same for all in a Kubernetes deployment (each pod has an
    // address of its own); without it Hazelcast would take the Service's port (API) or 5701 (DNS).
    kubernetes.setProperty("service-port", Integer.toString(flags.port));
  }

  /** Joins the cluster as a member of this role. */
  static Future<Joined> start(ClusterFlags flags, String role) {
    Config config = hazelcastConfig(flags);
    config.getMemberAttributeConfig().setAttribute(ROLE_ATTRIBUTE, role);
    int cpMembers = config.getCPSubsystemConfig().getCPMemberCount();
    String advertised = advertisedAddress(flags.host);
    config.getNetworkConfig().setPublicAddress(advertised + ":" + flags.port);
    VertxOptions options = new VertxOptions()
        .setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true))
        .setEventBusOptions(new EventBusOptions().setHost(flags.host).setPort(flags.eventBusPort)
            .setClusterPublicHost(advertised)
            // A member that vanished (its container gone with its address) is given up on quickly.
            .setConnectTimeout(EVENT_BUS_CONNECT_TIMEOUT_MILLIS));
    HazelcastClusterManager manager = new LiveMembersClusterManager(config);
    return Vertx.builder().with(options)
        .withMetrics(new MicrometerMetricsFactory(HealthApi.prometheusRegistry()))
        .withClusterManager(manager)
        .buildClustered()
        .map(vertx -> {
          if (cpMembers >= 3) {
            CpMembership.keep(vertx, manager.getHazelcastInstance(), cpMembers);
          }
          return new Joined(vertx, manager.getHazelcastInstance());
        });
  }
}
