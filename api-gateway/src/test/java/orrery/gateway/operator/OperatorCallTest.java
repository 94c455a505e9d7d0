package orrery.gateway.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vertx.core.json.JsonObject;
import java.util.List;
import orrery.protocol.json.ProtocolException;
import orrery.protocol.messages.RoleMessages.QuotaConfig;
import orrery.protocol.messages.RoleMessages.UpdateQuota;
import orrery.protocol.messages.RoleMessages.UpdateWeights;
import orrery.protocol.messages.RoleMessages.WeightInfo;
import orrery.protocol.resources.Resources;
import org.junit.jupiter.api.Test;

/** Operator calls are read from Mesos JSON; every fault names its field by its path in the call. */
class OperatorCallTest {

  private static OperatorCall read(String json) {
    return OperatorCall.fromJson(new JsonObject(json));
  }

  private static ProtocolException refused(String json) {
    return catchThrowableOfType(ProtocolException.class, () -> read(json));
  }

  @Test
  void readsTheRoleCalls() {
    assertThat(read("{\"type\": \"GET_ROLES\"}")).isInstanceOf(OperatorCall.GetRoles.class);
    assertThat(read("{\"type\": \"GET_WEIGHTS\"}")).isInstanceOf(OperatorCall.GetWeights.class);
    assertThat(read("{\"type\": \"GET_QUOTA\", \"get_quota\": null}")).isInstanceOf(OperatorCall.GetQuota.class);
    assertThat(read("""
        {"type": "UPDATE_WEIGHTS", "update_weights": {"weight_infos": [
          {"role": "eng", "weight": 2}, {"role": "ads", "weight": 0.5}]}}"""))
        .isEqualTo(new OperatorCall.SetWeights(new UpdateWeights(
            List.of(new WeightInfo("eng", 2), new WeightInfo("ads", 0.5)))));
    assertThat(read("""
        {"type": "UPDATE_QUOTA", "update_quota": {"force": true, "quota_configs": [
          {"role": "eng", "guarantees": {"cpus": {"value": 1}}, "limits": {"mem": {"value": 1024.5}}},
          {"role": "ads"}]}}"""))
        .isEqualTo(new OperatorCall.SetQuota(new UpdateQuota(true, List.of(
            new QuotaConfig("eng", Resources.parse("cpus:1"), Resources.parse("mem:1024.5")),
            new QuotaConfig("ads", null, null)))));
  }

  @Test
  void readsTheAgentActivationCalls() {
    assertThat(read("{\"type\": \"DEACTIVATE_AGENT\", \"deactivate_agent\": {\"agent_id\": {\"value\": \"a1\"}}}"))
        .isEqualTo(new OperatorCall.SetAgentActive(new orrery.protocol.messages.AgentMessages.AgentActivation(
            orrery.protocol.mesos.AgentId.of("a1"), false)));
    assertThat(read("{\"type\": \"REACTIVATE_AGENT\", \"reactivate_agent\": {\"agent_id\": {\"value\": \"a1\"}}}"))
        .isEqualTo(new OperatorCall.SetAgentActive(new orrery.protocol.messages.AgentMessages.AgentActivation(
            orrery.protocol.mesos.AgentId.of("a1"), true)));
    assertThat(refused("{\"type\": \"DEACTIVATE_AGENT\", \"deactivate_agent\": {\"agent_id\": {}}}").field())
        .isEqualTo("deactivate_agent.agent_id.value");
    assertThat(refused("{\"type\": \"REACTIVATE_AGENT\"}").field()).isEqualTo("reactivate_agent");
  }

  @Test
  void otherMesosCallsAreUnsupportedAndUnknownTypesRefused() {
    assertThat(read("{\"type\": \"GET_STATE\"}")).isEqualTo(new OperatorCall.Unsupported("GET_STATE"));
    assertThat(refused("{\"type\": \"GET_EVERYTHING\"}").field()).isEqualTo("type");
    assertThat(refused("{\"type\": 3}").field()).isEqualTo("type");
    assertThat(refused("{}").getMessage()).isEqualTo("'type' is required");
  }

  @Test
  void weightsThatAreNotPositiveNumbersAreRefused() {
    for (String weight : List.of("0", "-1", "\"abc\"", "\"NaN\"", "null", "true")) {
      ProtocolException e = refused("{\"type\": \"UPDATE_WEIGHTS\", \"update_weights\": {\"weight_infos\": ["
          + "{\"role\": \"eng\", \"weight\": 1}, {\"role\": \"ads\", \"weight\": " + weight + "}]}}");
      assertThat(e.field()).as(weight).isEqualTo("update_weights.weight_infos[1].weight");
    }
    assertThat(refused("{\"type\": \"UPDATE_WEIGHTS\", \"update_weights\": {\"weight_infos\": "
        + "[{\"role\": \"eng\", \"weight\": 0}]}}").getMessage()).contains("greater than 0");
  }

  @Test
  void malformedCallsNameTheField() {
    assertThat(refused("{\"type\": \"UPDATE_WEIGHTS\"}").field()).isEqualTo("update_weights");
    assertThat(refused("{\"type\": \"UPDATE_WEIGHTS\", \"update_weights\": {\"weight_infos\": "
        + "[{\"weight\": 2}]}}").field()).isEqualTo("update_weights.weight_infos[0].role");
    assertThat(refused("{\"type\": \"UPDATE_WEIGHTS\", \"update_weights\": {\"weights\": []}}").field())
        .isEqualTo("update_weights.weights");
    assertThat(refused("{\"type\": \"GET_ROLES\", \"update_weights\": {}}").field()).isEqualTo("update_weights");
    assertThat(refused("{\"type\": \"UPDATE_QUOTA\", \"update_quota\": {\"force\": \"yes\"}}").field())
        .isEqualTo("update_quota.force");
    assertThat(refused("{\"type\": \"UPDATE_QUOTA\", \"update_quota\": {\"quota_configs\": [{\"role\": \"eng\", "
        + "\"guarantees\": {\"cpus\": {\"value\": -1}}}]}}").field())
        .isEqualTo("update_quota.quota_configs[0].guarantees.cpus.value");
    assertThat(refused("{\"type\": \"UPDATE_QUOTA\", \"update_quota\": {\"quota_configs\": [{\"role\": \"eng\", "
        + "\"limits\": {\"cpus\": 4}}]}}").field()).isEqualTo("update_quota.quota_configs[0].limits.cpus");
    assertThat(refused("{\"type\": \"UPDATE_QUOTA\", \"update_quota\": {\"quota_configs\": {}}}").field())
        .isEqualTo("update_quota.quota_configs");
  }
}
