package orrery.protocol.mesos;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import orrery.protocol.json.ProtocolException;

/**
 * A task's {@code container} (Mesos' {@code ContainerInfo}), the parts Orrery interprets: the Docker image and how
 * it is networked, and the volumes mounted into the container. Read from the JSON {@link TaskInfo#container()}
 * carries; a malformed one is refused naming the field.
 *
 * @param hostname the container's hostname, or null for Docker's default
 * @param networkNames the names of {@code network_infos}, for a USER network
 */
public record ContainerInfo(Type type, Docker docker, List<Volume> volumes, String hostname,
    List<String> networkNames) {

  public enum Type { DOCKER, MESOS }

  /** Mesos' {@code DockerInfo.Network}; HOST is Mesos' default. */
  public enum Network { HOST, BRIDGE, NONE, USER }

  public enum Mode { RW, RO }

  /**
   * @param forcePullImage pull the image even when the engine holds it already
   * @param parameters extra {@code docker run} options, as Mesos carries them (key without dashes, value)
   */
  public record Docker(String image, Network network, List<PortMapping> portMappings, boolean privileged,
      boolean forcePullImage, List<Parameter> parameters) {

    public Docker {
      portMappings = List.copyOf(portMappings);
      parameters = List.copyOf(parameters);
    }
  }

  /** Publishes {@code containerPort} on the agent's {@code hostPort} (BRIDGE and USER networks only). */
  public record PortMapping(int hostPort, int containerPort, String protocol) {}

  public record Parameter(String key, String value) {}

  /**
   * @param hostPath on the agent; a relative path lies in the task's sandbox, as in Mesos
   */
  public record Volume(String containerPath, String hostPath, Mode mode) {}

  private static final Set<String> FIELDS = Set.of("type", "docker", "volumes", "hostname", "network_infos",
      "mesos", "linux_info", "rlimit_info", "tty_info");
  private static final Set<String> DOCKER_FIELDS = Set.of("image", "network", "port_mappings", "privileged",
      "parameters", "force_pull_image", "volume_driver");
  private static final Set<String> PORT_MAPPING_FIELDS = Set.of("host_port", "container_port", "protocol");
  private static final Set<String> VOLUME_FIELDS = Set.of("container_path", "host_path", "mode", "image", "source");

  public ContainerInfo {
    volumes = List.copyOf(volumes);
    networkNames = List.copyOf(networkNames);
  }

  /** Reads {@code TaskInfo.container}. Null in, null out. */
  public static ContainerInfo fromJson(JsonNode json) {
    if (json == null || json.isNull()) {
      return null;
    }
    String base = "container";
    object(json, base, FIELDS);
    Type type = enumValue(Type.class, json.get("type"), base + ".type", null);
    if (type == null) {
      throw ProtocolException.missing(base + ".type");
    }
    Docker docker = null;
    JsonNode dockerJson = json.get("docker");
    if (dockerJson != null && !dockerJson.isNull()) {
      docker = docker(dockerJson, base + ".docker");
    } else if (type == Type.DOCKER) {
      throw ProtocolException.missing(base + ".docker");
    }
    if (type == Type.MESOS && json.path("mesos").has("image")) {
      throw ProtocolException.invalid(base + ".mesos.image",
          "is not supported: this agent runs images with the Docker containerizer (type DOCKER)");
    }
    List<Volume> volumes = new ArrayList<>();
    JsonNode volumesJson = array(json.get("volumes"), base + ".volumes");
    for (int i = 0; i < volumesJson.size(); i++) {
      volumes.add(volume(volumesJson.get(i), base + ".volumes[" + i + "]"));
    }
    List<String> networks = new ArrayList<>();
    JsonNode networksJson = array(json.get("network_infos"), base + ".network_infos");
    for (int i = 0; i < networksJson.size(); i++) {
      JsonNode name = networksJson.get(i).get("name");
      if (name != null && name.isTextual() && !name.asText().isBlank()) {
        networks.add(name.asText());
      }
    }
    JsonNode hostname = json.get("hostname");
    if (hostname != null && !hostname.isNull() && !hostname.isTextual()) {
      throw ProtocolException.invalid(base + ".hostname", "must be a string");
    }
    if (docker != null && docker.network() == Network.USER && networks.isEmpty()) {
      throw ProtocolException.invalid(base + ".network_infos",
          "must name the network (network_infos[0].name) when docker.network is USER");
    }
    return new ContainerInfo(type, docker, volumes, hostname == null || hostname.isNull() ? null : hostname.asText(),
        networks);
  }

  private static Docker docker(JsonNode json, String base) {
    object(json, base, DOCKER_FIELDS);
    String image = text(json.get("image"), base + ".image");
    if (image == null || image.isBlank()) {
      throw ProtocolException.missing(base + ".image");
    }
    Network network = enumValue(Network.class, json.get("network"), base + ".network", Network.HOST);
    List<PortMapping> mappings = new ArrayList<>();
    JsonNode mappingsJson = array(json.get("port_mappings"), base + ".port_mappings");
    for (int i = 0; i < mappingsJson.size(); i++) {
      String field = base + ".port_mappings[" + i + "]";
      JsonNode mapping = mappingsJson.get(i);
      object(mapping, field, PORT_MAPPING_FIELDS);
      String protocol = text(mapping.get("protocol"), field + ".protocol");
      protocol = protocol == null ? "tcp" : protocol.toLowerCase(java.util.Locale.ROOT);
      if (!protocol.equals("tcp") && !protocol.equals("udp")) {
        throw ProtocolException.invalid(field + ".protocol", "must be tcp or udp");
      }
      mappings.add(new PortMapping(port(mapping.get("host_port"), field + ".host_port"),
          port(mapping.get("container_port"), field + ".container_port"), protocol));
    }
    if (!mappings.isEmpty() && network != Network.BRIDGE && network != Network.USER) {
      throw ProtocolException.invalid(base + ".port_mappings",
          "are only possible with the BRIDGE or USER network, not " + network);
    }
    List<Parameter> parameters = new ArrayList<>();
    JsonNode parametersJson = array(json.get("parameters"), base + ".parameters");
    for (int i = 0; i < parametersJson.size(); i++) {
      String field = base + ".parameters[" + i + "]";
      object(parametersJson.get(i), field, Set.of("key", "value"));
      String key = text(parametersJson.get(i).get("key"), field + ".key");
      if (key == null || key.isBlank()) {
        throw ProtocolException.missing(field + ".key");
      }
      String value = text(parametersJson.get(i).get("value"), field + ".value");
      parameters.add(new Parameter(key, value == null ? "" : value));
    }
    return new Docker(image, network, mappings, bool(json.get("privileged"), base + ".privileged"),
        bool(json.get("force_pull_image"), base + ".force_pull_image"), parameters);
  }

  private static Volume volume(JsonNode json, String base) {
    object(json, base, VOLUME_FIELDS);
    if (json.has("image") || json.has("source")) {
      throw ProtocolException.invalid(base + (json.has("image") ? ".image" : ".source"),
          "is not supported: only host_path volumes are");
    }
    String containerPath = text(json.get("container_path"), base + ".container_path");
    if (containerPath == null || containerPath.isBlank()) {
      throw ProtocolException.missing(base + ".container_path");
    }
    String hostPath = text(json.get("host_path"), base + ".host_path");
    if (hostPath == null || hostPath.isBlank()) {
      throw ProtocolException.missing(base + ".host_path");
    }
    if (containerPath.contains(":") || hostPath.contains(":")) {
      throw ProtocolException.invalid(base + (hostPath.contains(":") ? ".host_path" : ".container_path"),
          "must not contain ':'");
    }
    Mode mode = enumValue(Mode.class, json.get("mode"), base + ".mode", null);
    if (mode == null) {
      throw ProtocolException.missing(base + ".mode");
    }
    return new Volume(containerPath, hostPath, mode);
  }

  private static void object(JsonNode json, String field, Set<String> known) {
    if (json == null || !json.isObject()) {
      throw ProtocolException.invalid(field, "must be an object");
    }
    for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!known.contains(name)) {
        throw ProtocolException.invalid(field + "." + name, "is not a known field");
      }
    }
  }

  private static JsonNode array(JsonNode json, String field) {
    if (json == null || json.isNull()) {
      return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
    }
    if (!json.isArray()) {
      throw ProtocolException.invalid(field, "must be a list");
    }
    return json;
  }

  private static String text(JsonNode json, String field) {
    if (json == null || json.isNull()) {
      return null;
    }
    if (!json.isTextual()) {
      throw ProtocolException.invalid(field, "must be a string");
    }
    return json.asText();
  }

  private static boolean bool(JsonNode json, String field) {
    if (json == null || json.isNull()) {
      return false;
    }
    if (!json.isBoolean()) {
      throw ProtocolException.invalid(field, "must be true or false");
    }
    return json.asBoolean();
  }

  private static int port(JsonNode json, String field) {
    if (json == null || json.isNull()) {
      throw ProtocolException.missing(field);
    }
    if (!json.canConvertToInt() || !json.isIntegralNumber() || json.asInt() < 1 || json.asInt() > 65_535) {
      throw ProtocolException.invalid(field, "must be a port number from 1 to 65535");
    }
    return json.asInt();
  }

  private static <E extends Enum<E>> E enumValue(Class<E> type, JsonNode json, String field, E defaultValue) {
    String name = text(json, field);
    if (name == null) {
      return defaultValue;
    }
    try {
      return Enum.valueOf(type, name);
    } catch (IllegalArgumentException e) {
      throw ProtocolException.invalid(field, "must be one of " + java.util.Arrays.toString(type.getEnumConstants())
          + ", not '" + name + "'");
    }
  }
}
