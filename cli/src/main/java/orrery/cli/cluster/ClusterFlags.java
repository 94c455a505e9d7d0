package orrery.cli.cluster;

import java.util.List;
import picocli.CommandLine.Option;

/**
 * How a cluster role finds the others: its own address, and how to find the members to join: a list of them
 * (Hazelcast TCP-IP discovery), Hazelcast's Kubernetes discovery, or else multicast.
 */
public final class ClusterFlags {

  @Option(names = "--cluster-host", defaultValue = "${env:ORRERY_CLUSTER_HOST:-127.0.0.1}",
      description = "The address other members reach this one at, for Hazelcast and the event bus "
          + "(default: ${DEFAULT-VALUE}; environment ORRERY_CLUSTER_HOST).")
  String host;

  @Option(names = "--cluster-port", defaultValue = "${env:ORRERY_CLUSTER_PORT:-5701}",
      description = "This member's Hazelcast port (default: ${DEFAULT-VALUE}; environment ORRERY_CLUSTER_PORT).")
  int port;

  @Option(names = "--event-bus-port", defaultValue = "${env:ORRERY_EVENT_BUS_PORT:-0}",
      description = "This member's event-bus port; 0 picks a free one (default: ${DEFAULT-VALUE}; environment "
          + "ORRERY_EVENT_BUS_PORT).")
  int eventBusPort;

  @Option(names = "--cluster-members", split = ",", defaultValue = "${env:ORRERY_CLUSTER_MEMBERS}",
      description = "Members to join, host or host:port, comma-separated (environment ORRERY_CLUSTER_MEMBERS). "
          + "Without any, and without Kubernetes discovery, members find each other by multicast where the network "
          + "allows it.")
  List<String> members = List.of();

  @Option(names = "--kubernetes-service-dns", defaultValue = "${env:ORRERY_KUBERNETES_SERVICE_DNS}",
      description = "Find the members through Kubernetes by resolving this DNS name of a headless Service, e.g. "
          + "orrery-cluster.orrery.svc.cluster.local (Hazelcast's DNS lookup mode: needs no access to the Kubernetes "
          + "API; every member listens on the same --cluster-port; environment ORRERY_KUBERNETES_SERVICE_DNS).")
  String kubernetesServiceDns;

  @Option(names = "--kubernetes-service-name", defaultValue = "${env:ORRERY_KUBERNETES_SERVICE_NAME}",
      description = "Find the members through the Kubernetes API: the pods behind this Service's endpoints "
          + "(Hazelcast's Kubernetes API mode: the pod's service account must be allowed to get and list pods, "
          + "endpoints, endpointslices and services; environment ORRERY_KUBERNETES_SERVICE_NAME).")
  String kubernetesServiceName;

  @Option(names = "--kubernetes-namespace", defaultValue = "${env:ORRERY_KUBERNETES_NAMESPACE}",
      description = "The namespace of --kubernetes-service-name (default: the pod's own, from its service account; "
          + "environment ORRERY_KUBERNETES_NAMESPACE).")
  String kubernetesNamespace;

  @Option(names = "--cluster-name", defaultValue = "${env:ORRERY_CLUSTER_NAME:-orrery}",
      description = "Only members of the same name join (default: ${DEFAULT-VALUE}; environment "
          + "ORRERY_CLUSTER_NAME).")
  String name;

  @Option(names = "--cp-members", defaultValue = "${env:ORRERY_CP_MEMBERS:-0}",
      description = "How many members form Hazelcast's CP subsystem, which then keeps the leader locks (3 or more; "
          + "every member must be given the same number). 0, the default, keeps them without it: see docs/cluster.md "
          + "(environment ORRERY_CP_MEMBERS).")
  int cpMembers;

  @Option(names = "--min-cluster-size", defaultValue = "${env:ORRERY_MIN_CLUSTER_SIZE:-1}",
      description = "Join only once this many members are together (default: ${DEFAULT-VALUE}). With a majority of "
          + "the deployment's members, parts of the cluster that start apart cannot each elect leaders of their own "
          + "(environment ORRERY_MIN_CLUSTER_SIZE).")
  int minClusterSize;

  @Option(names = "--health-port", defaultValue = "${env:ORRERY_HEALTH_PORT:-0}",
      description = "Serve GET /health on this port (200 while the role runs, leading or standing by), for "
          + "liveness and readiness probes; 0, the default, serves nothing (environment ORRERY_HEALTH_PORT).")
  int healthPort;

  List<String> members() {
    return members == null ? List.of() : members.stream().map(String::trim).filter(m -> !m.isEmpty()).toList();
  }

  String kubernetesServiceDns() {
    return blankToNull(kubernetesServiceDns);
  }

  String kubernetesServiceName() {
    return blankToNull(kubernetesServiceName);
  }

  String kubernetesNamespace() {
    return blankToNull(kubernetesNamespace);
  }

  /** Whether the members are found through Kubernetes, in either of Hazelcast's modes. */
  boolean kubernetes() {
    return kubernetesServiceDns() != null || kubernetesServiceName() != null;
  }

  // An environment variable set to "" (as a ConfigMap may leave it) means "not given".
  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
