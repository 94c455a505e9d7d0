package orrery.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.Callable;
import orrery.cli.client.MasterClient;
import orrery.cli.client.RoleTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "roles", mixinStandardHelpOptions = true,
    description = "List the roles with their weight, dominant share, allocated and offered resources and quota "
        + "(GET_ROLES of the operator API).")
final class RolesCommand implements Callable<Integer> {

  @Mixin
  MasterOption master;

  @Option(names = "--json", description = "Print the JSON the operator API answers.")
  boolean json;

  @Option(names = "--weight", paramLabel = "ROLE=WEIGHT",
      description = "Set a role's weight first (UPDATE_WEIGHTS); may be repeated. All are set, or none.")
  Map<String, String> weights;

  @Override
  public Integer call() {
    MasterClient client = master.client();
    if (weights != null && !weights.isEmpty()) {
      JsonArray infos = new JsonArray();
      // The weight goes as the user typed it when it is not a number, so that the master names the fault.
      weights.forEach((role, weight) -> infos.add(new JsonObject().put("role", role).put("weight", number(weight))));
      client.operator(new JsonObject().put("type", "UPDATE_WEIGHTS")
          .put("update_weights", new JsonObject().put("weight_infos", infos)));
    }
    JsonObject roles = client.operator(new JsonObject().put("type", "GET_ROLES"));
    if (json) {
      System.out.println(roles.encodePrettily());
    } else {
      RoleTable.print(roles, System.out);
    }
    return 0;
  }

  private static Object number(String text) {
    try {
      double value = Double.parseDouble(text);
      return Double.isFinite(value) ? value : text;
    } catch (NumberFormatException e) {
      return text;
    }
  }
}
