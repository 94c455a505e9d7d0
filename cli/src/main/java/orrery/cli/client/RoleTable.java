package orrery.cli.client;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import orrery.protocol.json.MesosJson;
import orrery.protocol.mesos.Resource;
import orrery.protocol.resources.Resources;

/** Prints a GET_ROLES answer as a table, the way {@code orrery roles} shows it. */
public final class RoleTable {

  private static final String FORMAT = "%-16s %-7s %-7s %-28s %-28s %-20s %s%n";

  private RoleTable() {}

  public static void print(JsonObject getRoles, PrintStream out) {
    out.printf(FORMAT, "ROLE", "WEIGHT", "SHARE", "ALLOCATED", "OFFERED", "GUARANTEE", "LIMIT");
    JsonArray roles = getRoles.getJsonObject("get_roles", new JsonObject()).getJsonArray("roles", new JsonArray());
    for (int i = 0; i < roles.size(); i++) {
      JsonObject role = roles.getJsonObject(i);
      JsonObject quota = role.getJsonObject("quota", new JsonObject());
      out.printf(FORMAT, role.getString("name"), number(role.getDouble("weight", 1.0)),
          number(role.getDouble("dominant_share", 0.0)), resources(role.getJsonArray("allocated")),
          resources(role.getJsonArray("offered")), resources(quota.getJsonArray("guarantee")),
          resources(quota.getJsonArray("limit")));
    }
  }

  /** The scalars of Mesos resource JSON in the short text form ({@code cpus:1;mem:64}), or {@code -}. */
  static String resources(JsonArray json) {
    if (json == null || json.isEmpty()) {
      return "-";
    }
    List<Resource> list = new ArrayList<>();
    for (int i = 0; i < json.size(); i++) {
      list.add(MesosJson.fromJsonObject(json.getJsonObject(i), Resource.class));
    }
    Resources resources = Resources.of(list).scalarsOnly(); // ranges such as ports are in --json
    return resources.isEmpty() ? "-" : resources.toString();
  }

  static String number(double value) {
    return String.format(Locale.ROOT, "%.3f", value).replaceAll("0+$", "").replaceAll("\\.$", "");
  }
}
