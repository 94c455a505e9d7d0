package orrery.protocol.mesos;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import orrery.protocol.json.MesosJson;
import orrery.protocol.json.ProtocolException;

/**
 * A task's {@code health_check}, with Mesos' defaults filled in: the first check {@code delay_seconds} (15) after the
 * task starts, then one every {@code interval_seconds} (10), each given {@code timeout_seconds} (20); failures in the
 * first {@code grace_period_seconds} (10) do not count until the task has once been healthy, and
 * {@code consecutive_failures} (3) in a row get the task killed.
 *
 * @param command for COMMAND: run in the task's sandbox, healthy when it exits 0
 * @param port for HTTP and TCP: the port on the agent's host to probe
 * @param path for HTTP: the path to GET (default {@code /})
 * @param scheme for HTTP: {@code http} or {@code https}
 * @param statuses for HTTP: the statuses that mean healthy; empty means 200 to 399, as in Mesos
 */
public record HealthCheck(Type type, double delaySeconds, double intervalSeconds, double timeoutSeconds,
    int consecutiveFailures, double gracePeriodSeconds, CommandInfo command, Integer port, String path,
    String scheme, List<Integer> statuses) {

  public enum Type { COMMAND, HTTP, TCP }

  public HealthCheck {
    statuses = statuses == null ? List.of() : List.copyOf(statuses);
  }

  /** Reads {@code TaskInfo.health_check}; a malformed one is refused naming the field. Null in, null out. */
  public static HealthCheck fromJson(JsonNode json) {
    if (json == null || json.isNull()) {
      return null;
    }
    String base = "health_check";
    if (!json.isObject()) {
      throw ProtocolException.invalid(base, "must be an object");
    }
    String typeName = json.path("type").asText("");
    Type type;
    try {
      type = Type.valueOf(typeName);
    } catch (IllegalArgumentException e) {
      throw ProtocolException.invalid(base + ".type", "must be COMMAND, HTTP or TCP, not '" + typeName + "'");
    }
    double delay = seconds(json, "delay_seconds", 15, base);
    double interval = seconds(json, "interval_seconds", 10, base);
    double timeout = seconds(json, "timeout_seconds", 20, base);
    double grace = seconds(json, "grace_period_seconds", 10, base);
    int failures = json.has("consecutive_failures") ? json.get("consecutive_failures").asInt(-1) : 3;
    if (failures < 1) {
      throw ProtocolException.invalid(base + ".consecutive_failures", "must be a positive whole number");
    }
    if (interval <= 0 || timeout <= 0) {
      throw ProtocolException.invalid(base + (interval <= 0 ? ".interval_seconds" : ".timeout_seconds"),
          "must be positive");
    }
    return switch (type) {
      case COMMAND -> {
        JsonNode command = json.path("command");
        if (!command.isObject()) {
          throw ProtocolException.missing(base + ".command");
        }
        CommandInfo info = MesosJson.read(command.toString(), CommandInfo.class);
        if (info.value() == null || info.value().isBlank()) {
          throw ProtocolException.missing(base + ".command.value");
        }
        yield new HealthCheck(type, delay, interval, timeout, failures, grace, info, null, null, null, null);
      }
      case HTTP -> {
        JsonNode http = json.path("http");
        int port = port(http, base + ".http.port");
        String scheme = http.path("scheme").asText("http");
        if (!scheme.equals("http") && !scheme.equals("https")) {
          throw ProtocolException.invalid(base + ".http.scheme", "must be http or https");
        }
        String path = http.path("path").asText("/");
        List<Integer> statuses = new ArrayList<>();
        http.path("statuses").forEach(s -> statuses.add(s.asInt()));
        yield new HealthCheck(type, delay, interval, timeout, failures, grace, null, port,
            path.startsWith("/") ? path : "/" + path, scheme, statuses);
      }
      case TCP -> new HealthCheck(type, delay, interval, timeout, failures, grace, null,
          port(json.path("tcp"), base + ".tcp.port"), null, null, null);
    };
  }

  /** What the check probes, for messages: {@code HTTP GET http://127.0.0.1:8080/health}. */
  public String describe() {
    return switch (type) {
      case COMMAND -> "COMMAND '" + command.value() + "'";
      case HTTP -> "HTTP GET " + scheme + "://127.0.0.1:" + port + path;
      case TCP -> "TCP 127.0.0.1:" + port;
    };
  }

  public long delayMillis() {
    return Math.round(delaySeconds * 1000);
  }

  public long intervalMillis() {
    return Math.round(intervalSeconds * 1000);
  }

  public long timeoutMillis() {
    return Math.round(timeoutSeconds * 1000);
  }

  public long gracePeriodMillis() {
    return Math.round(gracePeriodSeconds * 1000);
  }

  private static double seconds(JsonNode json, String field, double defaultValue, String base) {
    JsonNode value = json.get(field);
    if (value == null || value.isNull()) {
      return defaultValue;
    }
    if (!value.isNumber() || value.asDouble() < 0 || !Double.isFinite(value.asDouble())) {
      throw ProtocolException.invalid(base + "." + field, "must be a non-negative number of seconds");
    }
    return value.asDouble();
  }

  private static int port(JsonNode parent, String field) {
    JsonNode port = parent.path("port");
    if (!port.canConvertToInt() || port.asInt() < 1 || port.asInt() > 65_535) {
      throw ProtocolException.invalid(field, "must be a port number from 1 to 65535");
    }
    return port.asInt();
  }
}
