package orrery.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.cp.CPSubsystemConfig;
import com.hazelcast.config.properties.PropertyDefinition;
import com.hazelcast.kubernetes.HazelcastKubernetesDiscoveryStrategyFactory;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import orrery.cli.OrreryCommand;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The Hazelcast configuration the cluster flags make, built without starting Hazelcast: one way of joining on at a
 * time, and Kubernetes discovery given properties that Hazelcast's Kubernetes discovery knows.
 */
class ClusterNodeTest {

  /** The cluster flags of {@code orrery registry ARGS}, parsed as the command parses them. */
  private static ClusterFlags flags(String... args) {
    CommandLine orrery = new CommandLine(new OrreryCommand());
    CommandLine.ParseResult parsed = orrery.parseArgs(Stream.concat(Stream.of("registry"), Stream.of(args))
        .toArray(String[]::new));
    return (ClusterFlags) parsed.subcommand().commandSpec().mixins().get("cluster").userObject();
  }

  private static JoinConfig join(String... args) {
    return ClusterNode.hazelcastConfig(flags(args)).getNetworkConfig().getJoin();
  }

  @Test
  void threeCpMembersOrMoreKeepTheLocksInRaftGroupsThatReplaceADeadMemberWithinSeconds() {
    CPSubsystemConfig cp = ClusterNode.hazelcastConfig(flags("--cp-members", "3")).getCPSubsystemConfig();
    assertThat(cp.getCPMemberCount()).isEqualTo(3);
    assertThat(cp.getGroupSize()).isEqualTo(3);
    // Hazelcast refuses a removal sooner than a session's time to live.
    assertThat(cp.getMissingCPMemberAutoRemovalSeconds()).isEqualTo(12)
        .isGreaterThanOrEqualTo(cp.getSessionTimeToLiveSeconds());
    assertThat(cp.getRaftAlgorithmConfig().getLeaderHeartbeatPeriodInMillis()
        * cp.getRaftAlgorithmConfig().getMaxMissedLeaderHeartbeatCount()).isEqualTo(3_000);
    // A session outlives a group without a Raft leader for as long as the container test saw one (6 to 8 s).
    assertThat(cp.getSessionTimeToLiveSeconds()).isEqualTo(12);
    assertThat(cp.getRaftAlgorithmConfig().getLeaderElectionTimeoutInMillis()).isEqualTo(1_000);

    CPSubsystemConfig unsafe = ClusterNode.hazelcastConfig(flags()).getCPSubsystemConfig();
    assertThat(unsafe.getCPMemberCount()).isZero();
    assertThat(unsafe.getSessionTimeToLiveSeconds()).isEqualTo(4);
  }

  @Test
  void theCpSubsystemKeepsTheLocksOnceTheFlagsShowThreeMembersUnlessTurnedOff() {
    // One member, or two: Raft needs three, and the locks are kept in unsafe mode.
    assertThat(flags().cpMembers()).isZero();
    assertThat(flags("--cluster-members", "a:5701,b:5701").cpMembers()).isZero();
    // Three members listed, or a cluster that waits for three: the CP subsystem of three.
    assertThat(flags("--cluster-members", "a:5701,b:5701,c:5701").cpMembers()).isEqualTo(3);
    assertThat(flags("--kubernetes-service-dns", "orrery-cluster", "--min-cluster-size", "5").cpMembers())
        .isEqualTo(3);
    assertThat(ClusterNode.hazelcastConfig(flags("--cluster-members", "a:5701,b:5701,c:5701"))
        .getCPSubsystemConfig().getCPMemberCount()).isEqualTo(3);
    // Said outright: unsafe mode, or five.
    assertThat(flags("--cluster-members", "a,b,c", "--cp-members", "0").cpMembers()).isZero();
    assertThat(flags("--cp-members", "5").cpMembers()).isEqualTo(5);
    assertThat(flags("--cp-members", "AUTO", "--min-cluster-size", "3").cpMembers()).isEqualTo(3);
    assertThatThrownBy(() -> flags("--cp-members", "2").cpMembers()).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--cp-members: 2 cannot be");
    assertThatThrownBy(() -> flags("--cp-members", "-1").cpMembers()).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--cp-members: -1 cannot be");
    assertThatThrownBy(() -> flags("--cp-members", "three").cpMembers())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--cp-members: 'three' is neither a number nor auto");
  }

  @Test
  void aMemberIsTakenForDeadAfterSevenSecondsWithoutHeartbeats() {
    Config config = ClusterNode.hazelcastConfig(flags());
    assertThat(config.getProperty("hazelcast.heartbeat.interval.seconds")).isEqualTo("1");
    assertThat(config.getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("7");
  }

  @Test
  void kubernetesServiceDnsUsesHazelcastsDnsLookupModeAndNothingElse() {
    JoinConfig join = join("--kubernetes-service-dns", "orrery-cluster.orrery.svc.cluster.local",
        "--cluster-port", "5701");
    assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
    assertThat(join.getKubernetesConfig().getProperties()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "service-dns", "orrery-cluster.orrery.svc.cluster.local", "service-port", "5701"));
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
    assertThat(join.getAutoDetectionConfig().isEnabled()).isFalse();
  }

  @Test
  void kubernetesServiceNameUsesTheApiModeInTheNamespaceGiven() {
    JoinConfig join = join("--kubernetes-service-name", "orrery-cluster", "--kubernetes-namespace", "orrery",
        "--cluster-port", "5801");
    assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
    assertThat(join.getKubernetesConfig().getProperties()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "service-name", "orrery-cluster", "namespace", "orrery", "service-port", "5801",
        "expose-externally", "false"));
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
  }

  @Test
  void withoutANamespaceHazelcastTakesThePodsOwn() {
    // Hazelcast then reads /var/run/secrets/kubernetes.io/serviceaccount/namespace when it starts.
    assertThat(join("--kubernetes-service-name", "orrery-cluster").getKubernetesConfig().getProperties())
        .containsEntry("service-name", "orrery-cluster").doesNotContainKey("namespace");
  }

  @Test
  void everyKubernetesPropertyIsOneHazelcastsDiscoveryKnowsWithAValueItConverts() {
    // A misspelt key would only be refused when the member starts, inside a pod.
    Map<String, PropertyDefinition> known = new HazelcastKubernetesDiscoveryStrategyFactory()
        .getConfigurationProperties().stream().collect(Collectors.toMap(PropertyDefinition::key, p -> p));
    for (String[] args : new String[][] {{"--kubernetes-service-dns", "orrery-cluster.orrery.svc.cluster.local"},
        {"--kubernetes-service-name", "orrery-cluster", "--kubernetes-namespace", "orrery"}}) {
      join(args).getKubernetesConfig().getProperties().forEach((key, value) -> {
        assertThat(known).as("property %s", key).containsKey(key);
        assertThat(known.get(key).typeConverter().convert(value)).as("property %s", key).isNotNull();
      });
    }
  }

  @Test
  void clusterMembersUseTcpIpAndNothingElse() {
    JoinConfig join = join("--cluster-members", "10.0.0.1:5701, 10.0.0.2:5701");
    assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
    assertThat(join.getTcpIpConfig().getMembers()).containsExactly("10.0.0.1:5701", "10.0.0.2:5701");
    assertThat(join.getKubernetesConfig().isEnabled()).isFalse();
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
  }

  @Test
  void withNeitherMembersNorKubernetesTheMembersFindEachOtherByMulticast() {
    JoinConfig join = join();
    assertThat(join.getMulticastConfig().isEnabled()).isTrue();
    assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
    assertThat(join.getKubernetesConfig().isEnabled()).isFalse();
  }

  @Test
  void anEmptySettingCountsAsNotGiven() {
    // A ConfigMap may leave ORRERY_KUBERNETES_SERVICE_DNS set to "": that is no Kubernetes discovery.
    JoinConfig join = join("--kubernetes-service-dns", " ", "--cluster-members", "10.0.0.1:5701");
    assertThat(join.getKubernetesConfig().isEnabled()).isFalse();
    assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
  }

  @Test
  void membersAndKubernetesTogetherAreRefusedNamingBoth() {
    assertThatThrownBy(() -> join("--cluster-members", "10.0.0.1:5701", "--kubernetes-service-dns", "orrery"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--cluster-members").hasMessageContaining("--kubernetes-service-dns");
    assertThatThrownBy(() -> join("--cluster-members", "10.0.0.1:5701", "--kubernetes-service-name", "orrery"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--cluster-members").hasMessageContaining("--kubernetes-service-name");
  }

  @Test
  void theTwoKubernetesModesTogetherOrANamespaceAloneAreRefused() {
    assertThatThrownBy(() -> join("--kubernetes-service-dns", "a.b.svc", "--kubernetes-service-name", "a"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--kubernetes-service-dns").hasMessageContaining("--kubernetes-service-name");
    assertThatThrownBy(() -> join("--kubernetes-namespace", "orrery"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--kubernetes-namespace").hasMessageContaining("--kubernetes-service-name");
  }

  @Test
  void theRestOfTheNetworkIsThisMembersWhicheverWayItJoins() {
    Config config = ClusterNode.hazelcastConfig(flags("--kubernetes-service-name", "orrery-cluster",
        "--cluster-host", "10.1.2.3", "--cluster-port", "5701", "--cluster-name", "prod"));
    assertThat(config.getClusterName()).isEqualTo("prod");
    assertThat(config.getNetworkConfig().getPort()).isEqualTo(5701);
    assertThat(config.getNetworkConfig().getPublicAddress()).isEqualTo("10.1.2.3:5701");
  }
}
