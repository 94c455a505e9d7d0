package orrery.gateway.operator;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import orrery.protocol.json.MesosJson;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.messages.RoleMessages.OfferedResources;
import orrery.protocol.messages.RoleMessages.QuotaConfig;
import orrery.protocol.messages.RoleMessages.RoleConfig;
import orrery.protocol.messages.RoleMessages.RoleResources;
import orrery.protocol.messages.RoleMessages.RoleState;
import orrery.protocol.resources.Resources;

/** The answers of the operator API ({@code mesos.v1.master.Response}) as Mesos JSON. */
public final class OperatorJson {

  private OperatorJson() {}

  /**
   * GET_ROLES. Each role is Mesos' {@code Role}: {@code allocated} is what the allocator has handed the role,
   * offered or in use ({@code resources} repeats it, as Mesos' deprecated field), and {@code offered} the part of
   * it in outstanding offers. {@code dominant_share} (the role's weighted DRF share) is Orrery's own.
   */
  public static JsonObject roles(List<RoleState> roles, OfferedResources offered) {
    Map<String, Resources> offeredByRole = offered.roles().stream()
        .collect(Collectors.toMap(RoleResources::role, RoleResources::resources));
    JsonArray list = new JsonArray();
    for (RoleState role : roles) {
      JsonArray frameworks = new JsonArray();
      role.frameworks().stream().map(FrameworkId::value).forEach(id -> frameworks.add(new JsonObject().put("value", id)));
      JsonObject quota = new JsonObject().put("role", role.name())
          .put("guarantee", resources(role.quota().guarantees(), null))
          .put("limit", resources(role.quota().limits(), null));
      list.add(new JsonObject()
          .put("name", role.name())
          .put("weight", role.weight())
          .put("dominant_share", role.share())
          .put("frameworks", frameworks)
          .put("resources", resources(role.allocated(), role.name()))
          .put("allocated", resources(role.allocated(), role.name()))
          .put("offered", resources(offeredByRole.getOrDefault(role.name(), Resources.empty()), role.name()))
          .put("quota", quota));
    }
    return response("GET_ROLES", "get_roles", new JsonObject().put("roles", list));
  }

  public static JsonObject weights(RoleConfig config) {
    JsonArray infos = new JsonArray();
    config.weights().forEach(w -> infos.add(new JsonObject().put("role", w.role()).put("weight", w.weight())));
    return response("GET_WEIGHTS", "get_weights", new JsonObject().put("weight_infos", infos));
  }

  /** GET_QUOTA: {@code status.configs}, each a Mesos {@code QuotaConfig} with maps of scalars. */
  public static JsonObject quota(RoleConfig config) {
    JsonArray configs = new JsonArray();
    for (QuotaConfig quota : config.quotas()) {
      JsonObject json = new JsonObject().put("role", quota.role());
      if (!quota.guarantees().isEmpty()) {
        json.put("guarantees", scalarMap(quota.guarantees()));
      }
      if (!quota.limits().isEmpty()) {
        json.put("limits", scalarMap(quota.limits()));
      }
      configs.add(json);
    }
    return response("GET_QUOTA", "get_quota", new JsonObject().put("status", new JsonObject().put("configs", configs)));
  }

  private static JsonObject response(String type, String field, JsonObject payload) {
    return new JsonObject().put("type", type).put(field, payload);
  }

  private static JsonArray resources(Resources resources, String allocationRole) {
    return new JsonArray(MesosJson.write(resources.toList(allocationRole)));
  }

  private static JsonObject scalarMap(Resources resources) {
    JsonObject map = new JsonObject();
    resources.scalarNames().forEach(name -> map.put(name, new JsonObject().put("value", resources.scalar(name))));
    return map;
  }
}
