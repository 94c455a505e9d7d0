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

  @Option(names = "--cp-members", defaultValue = "${env:ORRERY_CP_MEMBERS:-auto}",
      description = "How many members form Hazelcast's CP subsystem, which keeps the leader locks: 3 or more, the same "
          + "on every member; 0 keeps them in Hazelcast's unsafe mode instead. auto, the default, takes 3 when the "
          + "flags show a cluster of three members or more (--cluster-members lists three, or --min-cluster-size is 3 "
          + "or more) and 0 otherwise: see docs/cluster.md (environment ORRERY_CP_MEMBERS).")
  String cpMembers;

  @Option(names = "--min-cluster-size", defaultValue = "${env:ORRERY_MIN_CLUSTER_SIZE:-1}",
      description = "Join only once this many members are together (default: ${DEFAULT-VALUE}). With a majority of "
          + "the deployment's members, parts of the cluster that start apart cannot each elect leaders of their own "
          + "(environment ORRERY_MIN_CLUSTER_SIZE).")
  int minClusterSize;

  @Option(names = "--health-port", defaultValue = "${env:ORRERY_HEALTH_PORT:-0}",
      description = "Serve GET /health on this port (200 while the role runs, leading or standing by), for "
          + "liveness and readiness probes; 0, the default, serves nothing (environment ORRERY_HEALTH_PORT).")
  int healthPort;

  /** The CP subsystem's size when the deployment shows three members or more. */
  static final int DEFAULT_CP_MEMBERS = 3;

  /**
   * How many CP members keep the leader locks; 0 for Hazelcast's unsafe mode. Throws {@link IllegalArgumentException}
   * naming the flag for a count the CP subsystem cannot have.
   */
  int cpMembers() {
    String given = cpMembers == null || cpMembers.isBlank() ? "auto" : cpMembers.trim();
    if (given.equalsIgnoreCase("auto")) {
      return members().size() >= DEFAULT_CP_MEMBERS || minClusterSize >= DEFAULT_CP_MEMBERS ? DEFAULT_CP_MEMBERS : 0;
    }
    int count;
    try {
      count = Integer.parseInt(given);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--cp-members: '" + given + "' is neither a number nor auto");
    }
    if (count < 0 || count == 1 || count == 2) {
      throw new IllegalArgumentException("--cp-members: " + count + " cannot be: the CP subsystem has 3 members or "
          + "more (0 keeps the leader locks without it, in Hazelcast's unsafe mode)");
    }
    return count;
  }

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
