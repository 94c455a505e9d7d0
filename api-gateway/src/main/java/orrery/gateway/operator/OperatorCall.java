package orrery.gateway.operator;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import orrery.protocol.json.ProtocolException;
import orrery.protocol.mesos.AgentId;
import orrery.protocol.messages.AgentMessages.AgentActivation;
import orrery.protocol.messages.RoleMessages.QuotaConfig;
import orrery.protocol.messages.RoleMessages.UpdateQuota;
import orrery.protocol.messages.RoleMessages.UpdateWeights;
import orrery.protocol.messages.RoleMessages.WeightInfo;
import orrery.protocol.resources.Resources;

/**
 * A call of the Mesos v1 operator API ({@code mesos.v1.master.Call}) as JSON, read and checked. Reading names the
 * first field that is wrong (a dotted path such as {@code update_weights.weight_infos[1].weight}); as on the
 * scheduler API, fields the call does not have are refused rather than ignored.
 */
public sealed interface OperatorCall {

  record GetRoles() implements OperatorCall {}

  record GetWeights() implements OperatorCall {}

  record GetQuota() implements OperatorCall {}

  record SetWeights(UpdateWeights update) implements OperatorCall {}

  record SetQuota(UpdateQuota update) implements OperatorCall {}

  /** DEACTIVATE_AGENT (active false) or REACTIVATE_AGENT (active true). */
  record SetAgentActive(AgentActivation change) implements OperatorCall {}

  /** A call of the Mesos operator API that Orrery does not serve (yet). */
  record Unsupported(String type) implements OperatorCall {}

  /** Every call type of the Mesos v1 operator API, served or not. */
  Set<String> MESOS_CALLS = Set.of("GET_HEALTH", "GET_FLAGS", "GET_VERSION", "GET_METRICS", "GET_LOGGING_LEVEL",
      "SET_LOGGING_LEVEL", "LIST_FILES", "READ_FILE", "GET_STATE", "GET_AGENTS", "GET_FRAMEWORKS", "GET_EXECUTORS",
      "GET_OPERATIONS", "GET_TASKS", "GET_ROLES", "GET_WEIGHTS", "UPDATE_WEIGHTS", "GET_MASTER", "SUBSCRIBE",
      "RESERVE_RESOURCES", "UNRESERVE_RESOURCES", "CREATE_VOLUMES", "DESTROY_VOLUMES", "GROW_VOLUME",
      "SHRINK_VOLUME", "GET_MAINTENANCE_STATUS", "GET_MAINTENANCE_SCHEDULE", "UPDATE_MAINTENANCE_SCHEDULE",
      "START_MAINTENANCE", "STOP_MAINTENANCE", "DRAIN_AGENT", "DEACTIVATE_AGENT", "REACTIVATE_AGENT", "GET_QUOTA",
      "UPDATE_QUOTA", "SET_QUOTA", "REMOVE_QUOTA", "TEARDOWN", "MARK_AGENT_GONE");

  static OperatorCall fromJson(JsonObject body) {
    if (body == null) {
      throw ProtocolException.invalid("", "the body must be a Mesos v1 operator Call as a JSON object");
    }
    Object type = body.getValue("type");
    if (type == null) {
      throw ProtocolException.missing("type");
    }
    if (!(type instanceof String name) || !MESOS_CALLS.contains(name)) {
      throw ProtocolException.invalid("type", "'" + type + "' is not a call of the Mesos v1 operator API");
    }
    return switch (name) {
      case "GET_ROLES" -> only(body, null, new GetRoles());
      case "GET_WEIGHTS" -> only(body, null, new GetWeights());
      case "GET_QUOTA" -> only(body, null, new GetQuota());
      case "UPDATE_WEIGHTS" -> only(body, "update_weights", new SetWeights(weights(body)));
      case "UPDATE_QUOTA" -> only(body, "update_quota", new SetQuota(quota(body)));
      case "DEACTIVATE_AGENT" -> only(body, "deactivate_agent", agent(body, "deactivate_agent", false));
      case "REACTIVATE_AGENT" -> only(body, "reactivate_agent", agent(body, "reactivate_agent", true));
      default -> new Unsupported(name);
    };
  }

  private static OperatorCall only(JsonObject body, String payload, OperatorCall call) {
    for (String field : body.fieldNames()) {
      if (!field.equals("type") && !field.equals(payload) && body.getValue(field) != null) {
        throw ProtocolException.invalid(field, "is not a field of a " + body.getString("type") + " call");
      }
    }
    return call;
  }

  private static SetAgentActive agent(JsonObject body, String payload, boolean active) {
    JsonObject call = object(body, payload, payload, true);
    fields(call, payload, "agent_id");
    JsonObject id = object(call, "agent_id", payload + ".agent_id", true);
    fields(id, payload + ".agent_id", "value");
    Object value = id.getValue("value");
    if (!(value instanceof String text) || text.isBlank()) {
      throw ProtocolException.invalid(payload + ".agent_id.value", "must be the agent's id, a non-empty string");
    }
    return new SetAgentActive(new AgentActivation(AgentId.of(text), active));
  }

  private static UpdateWeights weights(JsonObject body) {
    JsonObject update = object(body, "update_weights", "update_weights", true);
    fields(update, "update_weights", "weight_infos");
    List<WeightInfo> infos = new ArrayList<>();
    JsonArray list = array(update, "weight_infos", "update_weights.weight_infos");
    for (int i = 0; i < list.size(); i++) {
      String path = "update_weights.weight_infos[" + i + "]";
      JsonObject info = element(list, i, path);
      fields(info, path, "role", "weight");
      String role = text(info, "role", path + ".role");
      Object weight = info.getValue("weight");
      if (!(weight instanceof Number number)) {
        throw weight == null ? ProtocolException.missing(path + ".weight")
            : ProtocolException.invalid(path + ".weight", "must be a number greater than 0, not " + quoted(weight));
      }
      try {
        infos.add(new WeightInfo(role, number.doubleValue()));
      } catch (ProtocolException e) {
        throw e.within(path);
      }
    }
    return new UpdateWeights(infos);
  }

  private static UpdateQuota quota(JsonObject body) {
    JsonObject update = object(body, "update_quota", "update_quota", true);
    fields(update, "update_quota", "force", "quota_configs");
    Object force = update.getValue("force");
    if (force != null && !(force instanceof Boolean)) {
      throw ProtocolException.invalid("update_quota.force", "must be true or false");
    }
    List<QuotaConfig> configs = new ArrayList<>();
    JsonArray list = array(update, "quota_configs", "update_quota.quota_configs");
    for (int i = 0; i < list.size(); i++) {
      String path = "update_quota.quota_configs[" + i + "]";
      JsonObject config = element(list, i, path);
      fields(config, path, "role", "guarantees", "limits");
      configs.add(new QuotaConfig(text(config, "role", path + ".role"),
          scalars(config, "guarantees", path + ".guarantees"), scalars(config, "limits", path + ".limits")));
    }
    return new UpdateQuota(Boolean.TRUE.equals(force), configs);
  }

  /** A protobuf map of resource name to {@code Value.Scalar}: {@code {"cpus": {"value": 1.5}}}. */
  private static Resources scalars(JsonObject parent, String field, String path) {
    JsonObject map = object(parent, field, path, false);
    Resources.Builder builder = Resources.builder();
    if (map == null) {
      return builder.build();
    }
    for (String name : map.fieldNames()) {
      String entry = path + "." + name;
      if (name.isBlank()) {
        throw ProtocolException.invalid(path, "has a resource with an empty name");
      }
      JsonObject scalar = object(map, name, entry, true);
      fields(scalar, entry, "value");
      Object value = scalar.getValue("value");
      if (!(value instanceof Number number) || !(number.doubleValue() >= 0)
          || Double.isInfinite(number.doubleValue())) {
        throw value == null ? ProtocolException.missing(entry + ".value")
            : ProtocolException.invalid(entry + ".value", "must be a finite number of at least 0, not "
                + quoted(value));
      }
      builder.scalar(name, number.doubleValue());
    }
    return builder.build();
  }

  private static JsonObject object(JsonObject parent, String field, String path, boolean required) {
    Object value = parent.getValue(field);
    if (value == null) {
      if (required) {
        throw ProtocolException.missing(path);
      }
      return null;
    }
    if (!(value instanceof JsonObject object)) {
      throw ProtocolException.invalid(path, "must be an object");
    }
    return object;
  }

  private static JsonArray array(JsonObject parent, String field, String path) {
    Object value = parent.getValue(field);
    if (value == null) {
      return new JsonArray();
    }
    if (!(value instanceof JsonArray array)) {
      throw ProtocolException.invalid(path, "must be an array");
    }
    return array;
  }

  private static JsonObject element(JsonArray array, int index, String path) {
    if (!(array.getValue(index) instanceof JsonObject object)) {
      throw ProtocolException.invalid(path, "must be an object");
    }
    return object;
  }

  private static String text(JsonObject parent, String field, String path) {
    Object value = parent.getValue(field);
    if (value == null) {
      throw ProtocolException.missing(path);
    }
    if (!(value instanceof String text) || text.isBlank()) {
      throw ProtocolException.invalid(path, "must be a non-empty string");
    }
    return text;
  }

  private static void fields(JsonObject object, String path, String... known) {
    Set<String> allowed = Set.of(known);
    for (String field : object.fieldNames()) {
      if (!allowed.contains(field)) {
        throw ProtocolException.invalid(path + "." + field, "is not a known field; expected one of "
            + String.join(", ", known));
      }
    }
  }

  private static String quoted(Object value) {
    return value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
  }
}
