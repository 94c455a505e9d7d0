package orrery.protocol.json;

import static orrery.protocol.json.JsonTrees.assertWrites;
import static orrery.protocol.json.JsonTrees.written;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import orrery.protocol.mesos.AgentId;
import orrery.protocol.mesos.AgentInfo;
import orrery.protocol.mesos.CommandInfo;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.mesos.FrameworkInfo;
import orrery.protocol.mesos.TaskId;
import orrery.protocol.mesos.TaskInfo;
import orrery.protocol.mesos.TaskState;
import orrery.protocol.mesos.TaskStatus;
import orrery.protocol.messages.AgentMessages;
import orrery.protocol.resources.Resources;
import orrery.protocol.scheduler.Call;
import org.junit.jupiter.api.Test;

/** The conventions of the one JSON mapping, each on its own: names, enums, ids, bytes, absent fields. */
class MesosJsonTest {

  @Test
  void fieldNamesAreSnakeCase() {
    FrameworkInfo info = new FrameworkInfo("deploy", "batch", FrameworkId.of("fw-7"), 60.0, true, null, null,
        "host-1", "batch", "http://host-1:8080", null, null, null);

    JsonNode json = written(info);

    assertThat(fieldNames(json)).containsExactlyInAnyOrder("user", "name", "id", "value", "failover_timeout",
        "checkpoint", "hostname", "principal", "webui_url");
  }

  @Test
  void enumsAreWrittenByName() {
    JsonNode json = written(TaskStatus.builder(TaskId.of("t"), TaskState.TASK_GONE_BY_OPERATOR)
        .source(TaskStatus.Source.SOURCE_MASTER).reason(TaskStatus.Reason.REASON_AGENT_REMOVED_BY_OPERATOR).build());

    assertThat(json.get("state").isTextual()).isTrue();
    assertThat(json.get("state").asText()).isEqualTo("TASK_GONE_BY_OPERATOR");
    assertThat(json.get("source").asText()).isEqualTo("SOURCE_MASTER");
    assertThat(json.get("reason").asText()).isEqualTo("REASON_AGENT_REMOVED_BY_OPERATOR");
  }

  @Test
  void idsAreObjectsWithAValue() {
    assertWrites(AgentId.of("agent-S4"), "{\"value\": \"agent-S4\"}");
    assertWrites(Call.teardown(FrameworkId.of("fw-7")), "{\"framework_id\": {\"value\": \"fw-7\"}, \"type\": \"TEARDOWN\"}");
  }

  @Test
  void bytesAreStandardBase64WithPadding() {
    // 0xfb 0xff = 11111011 11111111 -> 111110 111111 1111(00) -> '+' '/' '8' and one '=' of padding
    JsonNode json = written(TaskStatus.builder(TaskId.of("t"), TaskState.TASK_RUNNING)
        .uuid(new byte[] {(byte) 0xfb, (byte) 0xff}).data("hello".getBytes(StandardCharsets.US_ASCII)).build());

    assertThat(json.get("uuid").asText()).isEqualTo("+/8=");
    assertThat(json.get("data").asText()).isEqualTo("aGVsbG8=");
  }

  @Test
  void absentAndEmptyRepeatedFieldsAreLeftOut() {
    assertWrites(FrameworkInfo.of("deploy", "batch"), "{\"user\": \"deploy\", \"name\": \"batch\"}");
    assertWrites(Call.revive(FrameworkId.of("fw-7"), List.of()),
        "{\"framework_id\": {\"value\": \"fw-7\"}, \"type\": \"REVIVE\", \"revive\": {}}");
    assertWrites(CommandInfo.shell("true"), "{\"shell\": true, \"value\": \"true\"}");
  }

  @Test
  void nullIsReadAsAbsentEverywhere() {
    Call call = MesosJson.read("""
        {
          "framework_id": null,
          "type": "SUBSCRIBE",
          "accept": null,
          "subscribe": {
            "framework_info": {"user": "u", "name": "n", "id": null, "role": null, "roles": null,
                               "capabilities": null, "labels": null, "failover_timeout": null,
                               "offer_filters": null},
            "suppressed_roles": null,
            "offer_constraints": null
          }
        }
        """, Call.class);

    assertThat(call.frameworkId()).isNull();
    assertThat(call.accept()).isNull();
    assertThat(call.subscribe().frameworkInfo().roles()).isEmpty();
    assertThat(call.subscribe().frameworkInfo().effectiveRoles()).containsExactly("*");
    assertThat(call.subscribe().suppressedRoles()).isEmpty();
    // A JSON null in a pass-through field is Java null, not a NullNode that looks present.
    assertThat(call.subscribe().offerConstraints()).isNull();
    assertThat(call.subscribe().frameworkInfo().offerFilters()).isNull();
    // And none of the nulls is written back.
    assertWrites(call, "{\"type\": \"SUBSCRIBE\", \"subscribe\": {\"framework_info\": {\"user\": \"u\", \"name\": \"n\"}}}");
  }

  @Test
  void nullExecutorMeansACommandTask() {
    // Offer-service refuses tasks whose executor is set; "executor": null must not count as set.
    TaskInfo task = MesosJson.read("""
        {"name": "a", "task_id": {"value": "t"}, "agent_id": {"value": "S-1"},
         "executor": null, "container": null, "health_check": null, "command": {"value": "true"}}
        """, TaskInfo.class);

    assertThat(task.executor()).isNull();
    assertThat(task.container()).isNull();
    assertThat(task.healthCheck()).isNull();
  }

  @Test
  void passThroughJsonKeepsItsInnerNulls() {
    // Only the field itself becomes absent; what a framework nested inside is carried unchanged.
    TaskInfo task = MesosJson.read("""
        {"name": "a", "task_id": {"value": "t"}, "agent_id": {"value": "S-1"},
         "container": {"type": "MESOS", "mesos": null}}
        """, TaskInfo.class);

    assertThat(task.container().has("mesos")).isTrue();
    assertThat(task.container().get("mesos").isNull()).isTrue();
  }

  @Test
  void anEmptyResourcesValueIsWrittenSoItReadsBack() {
    // A Resources field is required in internal messages; leaving out "[]" would make the message unreadable.
    AgentInfo agent = new AgentInfo("agent-4", null, null, null, AgentId.of("S-4"), null);
    AgentMessages.AddAgent message = new AgentMessages.AddAgent(agent, Resources.empty(), List.of(), false);

    assertWrites(message, "{\"info\": {\"hostname\": \"agent-4\", \"id\": {\"value\": \"S-4\"}}, \"total\": [], \"draining\": false}");
    assertThat(MesosJson.read(MesosJson.write(message), AgentMessages.AddAgent.class)).isEqualTo(message);
  }

  @Test
  void aMissingResourcesValueStaysMissing() {
    AgentMessages.AgentSummary summary = new AgentMessages.AgentSummary(AgentId.of("S-4"), "agent-4", 5051, null,
        true);

    assertWrites(summary, "{\"agent_id\": {\"value\": \"S-4\"}, \"hostname\": \"agent-4\", \"port\": 5051, "
        + "\"active\": true}");
  }

  @Test
  void mapKeysAreKeptAsTheyAre() {
    // limits is a protobuf map: its keys are resource names, never renamed.
    TaskInfo task = MesosJson.read("""
        {"name": "a", "task_id": {"value": "t"}, "agent_id": {"value": "S-1"},
         "limits": {"cpus": {"value": 2}, "ephemeralStorage": {"value": 10}}}
        """, TaskInfo.class);

    assertThat(task.limits()).containsOnlyKeys("cpus", "ephemeralStorage");
    assertThat(written(task).get("limits").has("ephemeralStorage")).isTrue();
    assertThat(task.limits()).isInstanceOf(Map.class);
  }

  @Test
  void primitiveFalseIsWritten() {
    assertWrites(new AgentMessages.HeartbeatReply(false), "{\"known\": false}");
  }

  /** Every field name of an object tree, at any depth. */
  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> entry : node.properties()) {
        names.add(entry.getKey());
        names.addAll(fieldNames(entry.getValue()));
      }
    } else if (node.isArray()) {
      node.forEach(child -> names.addAll(fieldNames(child)));
    }
    return names;
  }
}
