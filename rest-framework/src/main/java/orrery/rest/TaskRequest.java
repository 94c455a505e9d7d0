package orrery.rest;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import orrery.protocol.json.ProtocolException;
import orrery.protocol.resources.Resources;

/**
 * A task asked for through {@code POST /v1/tasks}: {@code {"cmd": "...", "cpus": 0.1, "mem": 32}} with optional
 * {@code name}, {@code env} and {@code image}. Reading one checks every field and names the first that is wrong.
 *
 * @param image a Docker image to run the command in (by the agent's Docker containerizer), or null for a plain process
 */
public record TaskRequest(String cmd, double cpus, double mem, String name, Map<String, String> env, String image) {

  public static final double DEFAULT_CPUS = 0.1;
  public static final double DEFAULT_MEM = 32;

  private static final Set<String> FIELDS = Set.of("cmd", "cpus", "mem", "name", "env", "image");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

  public TaskRequest {
    env = Map.copyOf(env);
  }

  public static TaskRequest fromJson(JsonObject body) {
    if (body == null) {
      throw ProtocolException.invalid("", "the body must be a JSON object");
    }
    for (String field : body.fieldNames()) {
      if (!FIELDS.contains(field)) {
        throw ProtocolException.invalid(field, "is not a known field; expected cmd, cpus, mem, name, env, image");
      }
    }
    Object cmd = body.getValue("cmd");
    if (!(cmd instanceof String text) || text.isBlank()) {
      throw cmd == null ? ProtocolException.missing("cmd") : ProtocolException.invalid("cmd", "must be a non-empty string");
    }
    double cpus = positive(body, "cpus", DEFAULT_CPUS);
    double mem = positive(body, "mem", DEFAULT_MEM);
    Object name = body.getValue("name");
    if (name != null && (!(name instanceof String n) || !NAME.matcher(n).matches())) {
      throw ProtocolException.invalid("name", "must be 1-63 letters, digits, '.', '_' or '-', starting with a letter "
          + "or digit");
    }
    Map<String, String> env = new LinkedHashMap<>();
    Object rawEnv = body.getValue("env");
    if (rawEnv != null) {
      if (!(rawEnv instanceof JsonObject vars)) {
        throw ProtocolException.invalid("env", "must be an object of names to string values");
      }
      for (String key : vars.fieldNames()) {
        if (!(vars.getValue(key) instanceof String value)) {
          throw ProtocolException.invalid("env." + key, "must be a string");
        }
        if (key.isEmpty() || key.contains("=")) {
          throw ProtocolException.invalid("env." + key, "is not a valid environment variable name");
        }
        env.put(key, value);
      }
    }
    Object image = body.getValue("image");
    if (image != null && (!(image instanceof String i) || i.isBlank() || i.chars().anyMatch(Character::isWhitespace))) {
      throw ProtocolException.invalid("image", "must be a non-empty Docker image name, such as busybox:1.36");
    }
    return new TaskRequest((String) cmd, cpus, mem, (String) name, env, (String) image);
  }

  /** The request as {@link #fromJson} reads it: {@code fromJson(toJson())} is this request again. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("cmd", cmd).put("cpus", cpus).put("mem", mem);
    if (name != null) {
      json.put("name", name);
    }
    if (!env.isEmpty()) {
      json.put("env", new JsonObject(new LinkedHashMap<>(env)));
    }
    if (image != null) {
      json.put("image", image);
    }
    return json;
  }

  public Resources resources() {
    return Resources.cpusMem(cpus, mem);
  }

  private static double positive(JsonObject body, String field, double fallback) {
    Object value = body.getValue(field);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Number number) || !(number.doubleValue() > 0)
        || Double.isInfinite(number.doubleValue())) {
      throw ProtocolException.invalid(field, "must be a number greater than 0");
    }
    return number.doubleValue();
  }
}
