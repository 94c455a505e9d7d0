package orrery.cli.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import orrery.gateway.health.HealthApi;

/**
 * A Vert.x instance joined to the cluster's event bus through Hazelcast. Messages between members keep their Mesos
 * v1 JSON (the protocol's codecs write it on the wire), so nothing depends on Java serialization.
 */
final class ClusterNode {

  private ClusterNode() {}

  static Future<Vertx> start(ClusterFlags flags) {
    // Vert.x's own Hazelcast configuration (the maps and locks it needs), with the network of this member.
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(flags.name);
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    // The role's own shutdown leaves the cluster in order; Hazelcast's hook would race it.
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(flags.port).setPortAutoIncrement(false).setPublicAddress(flags.host + ":" + flags.port);
    network.getInterfaces().setEnabled(false);
    JoinConfig join = network.getJoin();
    join.getAutoDetectionConfig().setEnabled(false);
    join.getMulticastConfig().setEnabled(flags.members().isEmpty());
    join.getTcpIpConfig().setEnabled(!flags.members().isEmpty()).setMembers(flags.members());
    VertxOptions options = new VertxOptions()
        .setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true))
        .setEventBusOptions(new EventBusOptions().setHost(flags.host).setPort(flags.eventBusPort)
            .setClusterPublicHost(flags.host));
    return Vertx.builder().with(options)
        .withMetrics(new MicrometerMetricsFactory(HealthApi.prometheusRegistry()))
        .withClusterManager(new HazelcastClusterManager(config))
        .buildClustered();
  }
}
