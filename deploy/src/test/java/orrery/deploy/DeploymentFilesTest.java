package orrery.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.JoinConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import orrery.cli.OrreryCommand;
import orrery.cli.cluster.ClusterFlags;
import orrery.cli.cluster.ClusterNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

/**
 * The deployment files at the root of the repository, read as what they describe: the Kubernetes manifests into
 * fabric8's typed objects, docker-compose.yml as YAML, the Dockerfile as text; and their wiring checked against each
 * other and against the orrery command itself (every role's arguments parse as that command would parse them).
 */
class DeploymentFilesTest {

  private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
  private static final List<String> ROLES = List.of("registry", "allocator", "offers", "gateway", "agent");

  private static final List<HasMetadata> objects = new ArrayList<>();

  @BeforeAll
  static void readManifests() throws Exception {
    try (Stream<Path> files = Files.list(ROOT.resolve("k8s"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        if (file.getFileName().toString().equals("kustomization.yaml")) {
          continue;
        }
        for (String document : Files.readString(file).split("(?m)^---$")) {
          if (!document.isBlank()) {
            objects.add(Serialization.unmarshal(document, HasMetadata.class));
          }
        }
      }
    }
  }

  private static <T extends HasMetadata> List<T> all(Class<T> kind) {
    return objects.stream().filter(kind::isInstance).map(kind::cast).toList();
  }

  /** Every workload's pod template, by the workload's name. */
  private static Map<String, PodTemplateSpec> podTemplates() {
    Map<String, PodTemplateSpec> templates = new LinkedHashMap<>();
    all(Deployment.class).forEach(d -> templates.put(d.getMetadata().getName(), d.getSpec().getTemplate()));
    all(DaemonSet.class).forEach(d -> templates.put(d.getMetadata().getName(), d.getSpec().getTemplate()));
    all(StatefulSet.class).forEach(s -> templates.put(s.getMetadata().getName(), s.getSpec().getTemplate()));
    return templates;
  }

  @Test
  void theKustomizationListsEveryManifestAndEverythingLivesInTheNamespace() throws Exception {
    Map<?, ?> kustomization = new Yaml().load(Files.readString(ROOT.resolve("k8s/kustomization.yaml")));
    try (Stream<Path> files = Files.list(ROOT.resolve("k8s"))) {
      @SuppressWarnings("unchecked")
      List<String> resources = (List<String>) kustomization.get("resources");
      assertThat(resources).containsExactlyInAnyOrderElementsOf(files
          .map(f -> f.getFileName().toString()).filter(n -> !n.equals("kustomization.yaml")).toList());
    }
    assertThat(objects).filteredOn(o -> !o.getKind().equals("Namespace"))
        .allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).as(o.getKind() + " " + o.getMetadata().getName())
            .isEqualTo("orrery"));
    assertThat(all(Deployment.class)).extracting(d -> d.getMetadata().getName())
        .contains("orrery-registry", "orrery-allocator", "orrery-offers", "orrery-gateway");
    assertThat(all(DaemonSet.class)).extracting(d -> d.getMetadata().getName()).containsExactly("orrery-agent");
    // Two of each singleton (one leads, one stands by), and two gateways behind their Service: they hold no state.
    assertThat(all(Deployment.class)).allSatisfy(d -> assertThat(d.getSpec().getReplicas())
        .as(d.getMetadata().getName()).isEqualTo(2));
  }

  @Test
  void servicesSelectPodsThatHaveThePortsTheyTarget() {
    Map<String, PodTemplateSpec> templates = podTemplates();
    for (Service service : all(Service.class)) {
      Map<String, String> selector = service.getSpec().getSelector();
      List<PodTemplateSpec> selected = templates.values().stream()
          .filter(t -> t.getMetadata().getLabels().entrySet().containsAll(selector.entrySet())).toList();
      assertThat(selected).as("pods selected by service %s", service.getMetadata().getName()).isNotEmpty();
      for (ServicePort port : service.getSpec().getPorts()) {
        for (PodTemplateSpec template : selected) {
          assertThat(portNames(template)).as("service %s targets port %s", service.getMetadata().getName(),
              port.getTargetPort().getStrVal()).contains(port.getTargetPort().getStrVal());
        }
      }
    }
  }

  @Test
  void workloadsMatchTheirOwnPodsAndProbeRealPorts() {
    for (Deployment deployment : all(Deployment.class)) {
      assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels().entrySet())
          .containsAll(deployment.getSpec().getSelector().getMatchLabels().entrySet());
    }
    for (DaemonSet daemonSet : all(DaemonSet.class)) {
      assertThat(daemonSet.getSpec().getTemplate().getMetadata().getLabels().entrySet())
          .containsAll(daemonSet.getSpec().getSelector().getMatchLabels().entrySet());
    }
    podTemplates().forEach((name, template) -> {
      for (Container container : template.getSpec().getContainers()) {
        for (Probe probe : Stream.of(container.getLivenessProbe(), container.getReadinessProbe())
            .filter(Objects::nonNull).toList()) {
          if (probe.getHttpGet() != null) {
            IntOrString port = probe.getHttpGet().getPort();
            assertThat(portNames(template)).as("%s probes port %s", name, port.getStrVal()).contains(port.getStrVal());
            assertThat(probe.getHttpGet().getPath()).isIn("/health", "/state");
          }
        }
      }
    });
    // The roles are probed on /health: the gateway's readiness on its own (every service up, an agent registered).
    Container gateway = container("orrery-gateway");
    assertThat(gateway.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
    for (String role : List.of("orrery-registry", "orrery-allocator", "orrery-offers", "orrery-gateway")) {
      assertThat(container(role).getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health");
    }
  }

  @Test
  void everyOrreryContainerRunsTheImageWithArgumentsTheCommandAccepts() {
    podTemplates().forEach((name, template) -> {
      for (Container container : template.getSpec().getContainers()) {
        if (!container.getImage().startsWith("orrery:")) {
          continue;
        }
        assertThat(container.getImage()).isEqualTo("orrery:latest");
        assertParses(name, container.getArgs());
        assertThat(container.getEnv()).extracting(e -> e.getName()).contains("ORRERY_CLUSTER_HOST");
      }
    });
    // Only the agent runs as root and privileged.
    Container agent = container("orrery-agent");
    assertThat(agent.getSecurityContext().getPrivileged()).isTrue();
    assertThat(agent.getSecurityContext().getRunAsUser()).isZero();
    for (String role : List.of("orrery-registry", "orrery-allocator", "orrery-offers", "orrery-gateway")) {
      assertThat(container(role).getSecurityContext()).isNull();
    }
  }

  @Test
  void configurationAndAccountsReferredToExist() {
    List<String> configMaps = all(ConfigMap.class).stream().map(c -> c.getMetadata().getName()).toList();
    List<String> secrets = all(Secret.class).stream().map(s -> s.getMetadata().getName()).toList();
    List<String> accounts = all(ServiceAccount.class).stream().map(a -> a.getMetadata().getName()).toList();
    podTemplates().forEach((name, template) -> {
      if (template.getSpec().getServiceAccountName() != null) {
        assertThat(accounts).contains(template.getSpec().getServiceAccountName());
      }
      template.getSpec().getContainers().forEach(c -> c.getEnvFrom().forEach(from -> {
        if (from.getConfigMapRef() != null) {
          assertThat(configMaps).contains(from.getConfigMapRef().getName());
        }
        if (from.getSecretRef() != null) {
          assertThat(secrets).contains(from.getSecretRef().getName());
        }
      }));
    });
    RoleBinding binding = all(RoleBinding.class).get(0);
    assertThat(all(Role.class)).extracting(r -> r.getMetadata().getName()).contains(binding.getRoleRef().getName());
    assertThat(accounts).contains(binding.getSubjects().get(0).getName());
    // Every setting the config map gives is one the orrery command reads.
    String help = commandHelp();
    all(ConfigMap.class).forEach(c -> c.getData().keySet().forEach(key -> assertThat(help).as(key).contains(key)));
  }

  @Test
  void everyMemberFindsTheOthersThroughHazelcastsKubernetesDiscoveryOfTheHeadlessService() {
    Service headless = all(Service.class).stream().filter(s -> "None".equals(s.getSpec().getClusterIP()))
        .findFirst().orElseThrow();
    // Members not ready yet must be found: a role is ready only once it has joined.
    assertThat(headless.getSpec().getPublishNotReadyAddresses()).isTrue();
    ConfigMap config = all(ConfigMap.class).get(0);
    assertThat(config.getData()).doesNotContainKey("ORRERY_CLUSTER_MEMBERS")
        .containsEntry("ORRERY_KUBERNETES_SERVICE_NAME", headless.getMetadata().getName())
        .containsEntry("ORRERY_CP_MEMBERS", "3").containsEntry("ORRERY_MIN_CLUSTER_SIZE", "5");
    RoleBinding binding = all(RoleBinding.class).get(0);
    podTemplates().forEach((name, template) -> {
      for (Container container : template.getSpec().getContainers()) {
        if (!container.getImage().startsWith("orrery:")) {
          continue;
        }
        assertThat(template.getMetadata().getLabels().entrySet()).as("%s is behind the headless service", name)
            .containsAll(headless.getSpec().getSelector().entrySet());
        assertThat(template.getSpec().getServiceAccountName()).as("%s may read the Kubernetes API", name)
            .isEqualTo(binding.getSubjects().get(0).getName());
        // The Hazelcast configuration the role builds from its arguments and its environment, as in the pod.
        JoinConfig join = ClusterNode.hazelcastConfig(clusterFlags(container.getArgs(), settings(container)))
            .getNetworkConfig().getJoin();
        assertThat(join.getKubernetesConfig().isEnabled()).as(name).isTrue();
        assertThat(join.getKubernetesConfig().getProperties()).as(name)
            .containsEntry("service-name", headless.getMetadata().getName())
            .containsEntry("service-port", hazelcastPort(container).toString());
        assertThat(join.getTcpIpConfig().isEnabled()).as(name).isFalse();
        assertThat(join.getMulticastConfig().isEnabled()).as(name).isFalse();
      }
    });
  }

  @Test
  void theRoleGrantsWhatHazelcastsKubernetesApiModeReads() {
    Role role = all(Role.class).stream()
        .filter(r -> r.getMetadata().getName().equals(all(RoleBinding.class).get(0).getRoleRef().getName()))
        .findFirst().orElseThrow();
    for (String verb : List.of("get", "list")) {
      assertThat(granted(role, "", verb)).as(verb).contains("pods", "endpoints", "services");
      // Hazelcast 5.3 reads a service's endpoint slices where the cluster has them, its endpoints elsewhere.
      assertThat(granted(role, "discovery.k8s.io", verb)).as(verb).contains("endpointslices");
    }
  }

  @Test
  void composeRunsTwoOfEachSingletonThreeAgentsAndAHealthCheckEach() throws Exception {
    Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
    Map<String, Integer> roles = new LinkedHashMap<>();
    services.forEach((name, service) -> {
      assertThat(service).as("service %s", name).containsKey("healthcheck");
      if (!service.get("image").toString().contains("orrery")) {
        return;
      }
      @SuppressWarnings("unchecked")
      List<String> command = (List<String>) service.get("command");
      assertParses(name, command);
      roles.merge(command.get(0), 1, Integer::sum);
      @SuppressWarnings("unchecked")
      Map<String, String> env = (Map<String, String>) service.get("environment");
      assertThat(env.get("ORRERY_CLUSTER_MEMBERS")).as("%s is among the members", name).contains(name + ":5701");
      // Members started at once must not form clusters of their own that each elect leaders: a majority first.
      assertThat(Integer.parseInt(env.get("ORRERY_MIN_CLUSTER_SIZE")) * 2).as("%s waits for a majority", name)
          .isGreaterThan(env.get("ORRERY_CLUSTER_MEMBERS").split(",").length);
      // The leader locks are kept by a CP subsystem of three members, no more than join before any leader is elected.
      int cpMembers = Integer.parseInt(env.get("ORRERY_CP_MEMBERS"));
      assertThat(cpMembers).as("%s's CP members", name).isEqualTo(3)
          .isLessThanOrEqualTo(Integer.parseInt(env.get("ORRERY_MIN_CLUSTER_SIZE")));
      if (command.get(0).equals("agent")) {
        assertThat(service).containsEntry("user", "root");
        assertThat((List<Object>) service.get("volumes")).as("%s sees the host's cgroups and Docker", name)
            .contains("/sys/fs/cgroup:/sys/fs/cgroup", "/var/run/docker.sock:/var/run/docker.sock");
      } else {
        assertThat(service).doesNotContainKey("user");
      }
    });
    assertThat(roles).containsEntry("registry", 2).containsEntry("allocator", 2).containsEntry("agent", 3)
        .containsEntry("offers", 2).containsEntry("gateway", 1);
    @SuppressWarnings("unchecked")
    List<String> published = (List<String>) services.get("gateway").get("ports");
    assertThat(published).contains("${ORRERY_GATEWAY_PORT:-5050}:5050");
  }

  @Test
  void theImageTakesItsBaseAsABuildArgumentAndRunsUnprivileged() throws Exception {
    String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
    assertThat(dockerfile).contains("ARG BASE_IMAGE=").contains("FROM ${BASE_IMAGE}").contains("USER orrery")
        .contains("ENTRYPOINT [\"/usr/local/bin/orrery\"]");
    assertThat(ROOT.resolve("docker/orrery")).isExecutable();
    assertThat(Files.readString(ROOT.resolve("docker/orrery"))).contains("-jar /opt/orrery/orrery.jar");
  }

  /** The role's arguments parse as `orrery` would parse them: a known role, known flags, valid values. */
  private static void assertParses(String where, List<String> args) {
    assertThat(args).as("%s runs a role", where).isNotEmpty();
    assertThat(ROLES).as("%s runs a role", where).contains(args.get(0));
    CommandLine orrery = new CommandLine(new OrreryCommand());
    orrery.parseArgs(args.toArray(String[]::new)); // throws, naming the flag, if it does not
  }

  private static String commandHelp() {
    StringBuilder help = new StringBuilder();
    CommandLine orrery = new CommandLine(new OrreryCommand());
    for (String role : ROLES) {
      orrery.getSubcommands().get(role).getCommandSpec().options()
          .forEach(o -> help.append(o.defaultValue()).append(' ').append(String.join(" ", o.description())));
    }
    return help.toString();
  }

  /** The resources of an API group on which a role grants a verb. */
  private static List<String> granted(Role role, String apiGroup, String verb) {
    return role.getRules().stream().filter(r -> r.getApiGroups().contains(apiGroup) && r.getVerbs().contains(verb))
        .map(PolicyRule::getResources).flatMap(List::stream).toList();
  }

  /**
   * The environment a container's process sees: the config maps and secrets it takes, then its own variables
   * (those the downward API fills take a pod's address).
   */
  private static Map<String, String> settings(Container container) {
    Map<String, String> settings = new LinkedHashMap<>();
    container.getEnvFrom().forEach(from -> {
      if (from.getConfigMapRef() != null) {
        all(ConfigMap.class).stream().filter(c -> c.getMetadata().getName().equals(from.getConfigMapRef().getName()))
            .forEach(c -> settings.putAll(c.getData()));
      }
      if (from.getSecretRef() != null) {
        all(Secret.class).stream().filter(c -> c.getMetadata().getName().equals(from.getSecretRef().getName()))
            .forEach(c -> settings.putAll(c.getStringData()));
      }
    });
    for (EnvVar env : container.getEnv()) {
      settings.put(env.getName(), env.getValue() != null ? env.getValue() : "10.0.0.1");
    }
    return settings;
  }

  /**
   * The cluster flags of a role run with these arguments in this environment. The environment is given as the flags
   * that read it (an option whose default is {@code ${env:NAME...}} reads NAME), since picocli reads the process's own.
   */
  private static ClusterFlags clusterFlags(List<String> args, Map<String, String> settings) {
    CommandLine raw = new CommandLine(new OrreryCommand());
    raw.setInterpolateVariables(false);
    Pattern reads = Pattern.compile("\\$\\{env:([A-Za-z0-9_]+)");
    Map<String, String> flagReading = new LinkedHashMap<>();
    for (CommandLine.Model.OptionSpec option : raw.getSubcommands().get(args.get(0)).getCommandSpec().options()) {
      Matcher matcher = reads.matcher(String.valueOf(option.defaultValue()));
      if (matcher.find()) {
        flagReading.put(matcher.group(1), option.longestName());
      }
    }
    List<String> all = new ArrayList<>(args);
    settings.forEach((name, value) -> {
      if (flagReading.containsKey(name)) {
        all.add(flagReading.get(name));
        all.add(value);
      }
    });
    CommandLine.ParseResult parsed = new CommandLine(new OrreryCommand()).parseArgs(all.toArray(String[]::new));
    return (ClusterFlags) parsed.subcommand().commandSpec().mixins().get("cluster").userObject();
  }

  private static Integer hazelcastPort(Container container) {
    return container.getPorts().stream().filter(p -> "hazelcast".equals(p.getName())).findFirst().orElseThrow()
        .getContainerPort();
  }

  private static Container container(String workload) {
    return podTemplates().get(workload).getSpec().getContainers().get(0);
  }

  private static List<String> portNames(PodTemplateSpec template) {
    return template.getSpec().getContainers().stream().flatMap(c -> c.getPorts().stream())
        .map(ContainerPort::getName).toList();
  }
}
