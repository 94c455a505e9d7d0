package orrery.gateway.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.messages.RoleMessages.OfferedResources;
import orrery.protocol.messages.RoleMessages.QuotaConfig;
import orrery.protocol.messages.RoleMessages.RoleConfig;
import orrery.protocol.messages.RoleMessages.RoleResources;
import orrery.protocol.messages.RoleMessages.RoleState;
import orrery.protocol.messages.RoleMessages.WeightInfo;
import orrery.protocol.resources.Resources;
import org.junit.jupiter.api.Test;

/** The operator API's answers have the shapes of Mesos' {@code master.Response}. */
class OperatorJsonTest {

  private static final RoleConfig CONFIG = new RoleConfig(List.of(new WeightInfo("eng", 2)),
      List.of(new QuotaConfig("eng", Resources.parse("cpus:1"), Resources.parse("cpus:4;mem:1024"))));

  @Test
  void weights() {
    assertThat(OperatorJson.weights(CONFIG)).isEqualTo(new JsonObject("""
        {"type": "GET_WEIGHTS", "get_weights": {"weight_infos": [{"role": "eng", "weight": 2.0}]}}"""));
  }

  @Test
  void quotaAsMapsOfScalars() {
    assertThat(OperatorJson.quota(CONFIG)).isEqualTo(new JsonObject("""
        {"type": "GET_QUOTA", "get_quota": {"status": {"configs": [{"role": "eng",
          "guarantees": {"cpus": {"value": 1.0}},
          "limits": {"cpus": {"value": 4.0}, "mem": {"value": 1024.0}}}]}}}"""));
  }

  @Test
  void rolesWithWhatTheyHoldAndWhatIsOffered() {
    RoleState eng = new RoleState("eng", 2, 0.25, List.of(FrameworkId.of("f-1")), Resources.parse("cpus:1;mem:64"),
        CONFIG.quotas().get(0));

    JsonObject json = OperatorJson.roles(List.of(eng),
        new OfferedResources(List.of(new RoleResources("eng", Resources.parse("mem:64")))));

    JsonObject role = json.getJsonObject("get_roles").getJsonArray("roles").getJsonObject(0);
    assertThat(json.getString("type")).isEqualTo("GET_ROLES");
    assertThat(role.getString("name")).isEqualTo("eng");
    assertThat(role.getDouble("weight")).isEqualTo(2.0);
    assertThat(role.getDouble("dominant_share")).isEqualTo(0.25);
    assertThat(role.getJsonArray("frameworks").getJsonObject(0).getString("value")).isEqualTo("f-1");
    assertThat(role.getJsonArray("allocated")).hasSize(2);
    assertThat(role.getJsonArray("allocated").getJsonObject(0).encode()).isEqualTo(
        "{\"name\":\"cpus\",\"type\":\"SCALAR\",\"scalar\":{\"value\":1.0},\"role\":\"*\","
            + "\"allocation_info\":{\"role\":\"eng\"}}");
    assertThat(role.getJsonArray("resources")).isEqualTo(role.getJsonArray("allocated"));
    assertThat(role.getJsonArray("offered").getJsonObject(0).getString("name")).isEqualTo("mem");
    assertThat(role.getJsonObject("quota").getJsonArray("guarantee").getJsonObject(0).getString("name"))
        .isEqualTo("cpus");
    assertThat(role.getJsonObject("quota").getJsonArray("limit")).hasSize(2);
  }
}
