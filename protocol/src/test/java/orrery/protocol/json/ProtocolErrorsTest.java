package orrery.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import orrery.protocol.mesos.FrameworkInfo;
import orrery.protocol.mesos.Resource;
import orrery.protocol.mesos.TaskStatus;
import orrery.protocol.mesos.Value;
import orrery.protocol.messages.AgentMessages;
import orrery.protocol.scheduler.Call;
import orrery.protocol.scheduler.Event;
import org.junit.jupiter.api.Test;

/**
 * Malformed input is refused with a {@link ProtocolException} that names the offending field by its path, so
 * the gateway can answer a framework author with something to act on.
 */
class ProtocolErrorsTest {

  private static ProtocolException readFails(String json, Class<?> type) {
    ProtocolException e = catchThrowableOfType(ProtocolException.class, () -> MesosJson.read(json, type));
    assertThat(e).as("reading %s should fail", json).isNotNull();
    return e;
  }

  /** An ACCEPT around the given task infos, to put errors deep in a realistic call. */
  private static String acceptWithTasks(String taskInfos) {
    return """
        {"framework_id": {"value": "fw-7"}, "type": "ACCEPT",
         "accept": {"offer_ids": [{"value": "O-1"}],
                    "operations": [{"type": "LAUNCH", "launch": {"task_infos": [%s]}}]}}
        """.formatted(taskInfos);
  }

  private static final String GOOD_TASK = """
      {"name": "a", "task_id": {"value": "t-a"}, "agent_id": {"value": "S-1"},
       "resources": [{"name": "cpus", "type": "SCALAR", "scalar": {"value": 1}}]}
      """;

  @Test
  void malformedJsonNamesNoFieldButSaysWhy() {
    ProtocolException e = readFails("{\"type\": \"SUBSCRIBE\", ", Call.class);

    assertThat(e.field()).isEmpty();
    assertThat(e.getMessage()).startsWith("is not valid JSON: ");
  }

  @Test
  void aJsonArrayIsNotACall() {
    ProtocolException e = readFails("[{\"type\": \"TEARDOWN\"}]", Call.class);

    assertThat(e.field()).isEmpty();
    assertThat(e.getMessage()).isEqualTo("must be an object");
  }

  @Test
  void missingRequiredFieldIsNamedByItsFullPath() {
    // The second task info lacks its task_id.
    ProtocolException e = readFails(acceptWithTasks(GOOD_TASK + ", {\"name\": \"b\", \"agent_id\": {\"value\": \"S-1\"}}"),
        Call.class);

    assertThat(e.field()).isEqualTo("accept.operations[0].launch.task_infos[1].task_id");
    assertThat(e.reason()).isEqualTo("is required");
    assertThat(e.getMessage()).isEqualTo("'accept.operations[0].launch.task_infos[1].task_id' is required");
  }

  @Test
  void numberWhereAnIdValueBelongs() {
    ProtocolException e = readFails("{\"framework_id\": {\"value\": 12220}, \"type\": \"TEARDOWN\"}", Call.class);

    assertThat(e.field()).isEqualTo("framework_id.value");
    assertThat(e.getMessage()).isEqualTo("'framework_id.value' must be a string");
  }

  @Test
  void bareStringWhereAnIdObjectBelongs() {
    ProtocolException e = readFails("{\"framework_id\": \"fw-7\", \"type\": \"TEARDOWN\"}", Call.class);

    assertThat(e.field()).isEqualTo("framework_id");
    assertThat(e.reason()).isEqualTo("must be an object");
  }

  @Test
  void emptyIdValue() {
    ProtocolException e = readFails("{\"framework_id\": {\"value\": \"\"}, \"type\": \"TEARDOWN\"}", Call.class);

    assertThat(e.field()).isEqualTo("framework_id.value");
    assertThat(e.reason()).isEqualTo("must not be empty");
  }

  @Test
  void stringWhereAnArrayBelongs() {
    ProtocolException e = readFails(
        "{\"framework_id\": {\"value\": \"fw-7\"}, \"type\": \"REVIVE\", \"revive\": {\"roles\": \"etl\"}}", Call.class);

    assertThat(e.field()).isEqualTo("revive.roles");
    assertThat(e.reason()).isEqualTo("must be an array");
  }

  @Test
  void unknownEnumValueListsTheKnownOnes() {
    ProtocolException e = readFails("{\"framework_id\": {\"value\": \"fw-7\"}, \"type\": \"ACCEPT_ALL\"}", Call.class);

    assertThat(e.field()).isEqualTo("type");
    assertThat(e.getMessage()).startsWith("'type' has the unknown value 'ACCEPT_ALL'; expected one of [")
        .contains("ACCEPT, DECLINE");
  }

  @Test
  void enumsAreNamesNotNumbers() {
    // A number would otherwise pick a Java ordinal: 1 is TASK_STARTING here but TASK_RUNNING in mesos.proto.
    ProtocolException e = readFails("""
        {"type": "UPDATE", "update": {"status": {"task_id": {"value": "t"}, "state": 1}}}
        """, Event.class);

    assertThat(e.field()).isEqualTo("update.status.state");
    assertThat(e.getMessage()).contains("unknown value '1'");
  }

  @Test
  void lowerCaseEnumNameIsUnknown() {
    ProtocolException e = readFails("{\"type\": \"heartbeat\"}", Event.class);

    assertThat(e.field()).isEqualTo("type");
    assertThat(e.getMessage()).contains("unknown value 'heartbeat'");
  }

  @Test
  void unknownFieldIsRefusedAtItsPath() {
    ProtocolException top = readFails("{\"type\": \"HEARTBEAT\", \"heartbeat\": {}}", Event.class);
    ProtocolException nested = readFails(
        "{\"framework_id\": {\"value\": \"fw-7\", \"name\": \"x\"}, \"type\": \"TEARDOWN\"}", Call.class);
    // The docs' REVIVE example shows a singular "role"; scheduler.proto has only "roles".
    ProtocolException singularRole = readFails(
        "{\"framework_id\": {\"value\": \"fw-7\"}, \"type\": \"REVIVE\", \"revive\": {\"role\": \"etl\"}}", Call.class);

    assertThat(top.field()).isEqualTo("heartbeat");
    assertThat(top.reason()).isEqualTo("is not a known field of this message");
    assertThat(nested.field()).isEqualTo("framework_id.name");
    assertThat(singularRole.field()).isEqualTo("revive.role");
  }

  @Test
  void callTypeWithoutItsSubMessage() {
    ProtocolException accept = readFails("{\"framework_id\": {\"value\": \"fw-7\"}, \"type\": \"ACCEPT\"}", Call.class);
    ProtocolException kill = readFails("{\"framework_id\": {\"value\": \"fw-7\"}, \"type\": \"KILL\"}", Call.class);
    ProtocolException subscribe = readFails("{\"type\": \"SUBSCRIBE\"}", Call.class);
    ProtocolException update = readFails("{\"type\": \"UPDATE\"}", Event.class);

    assertThat(accept.field()).isEqualTo("accept");
    assertThat(accept.getMessage()).isEqualTo("'accept' is required");
    assertThat(kill.field()).isEqualTo("kill");
    assertThat(subscribe.field()).isEqualTo("subscribe");
    assertThat(update.field()).isEqualTo("update");
  }

  @Test
  void everyCallButSubscribeNamesItsFramework() {
    ProtocolException absent = readFails("{\"type\": \"TEARDOWN\"}", Call.class);
    ProtocolException nulled = readFails("{\"type\": \"REVIVE\", \"framework_id\": null}", Call.class);

    assertThat(absent.field()).isEqualTo("framework_id");
    assertThat(absent.reason()).isEqualTo("is required");
    assertThat(nulled.field()).isEqualTo("framework_id");
  }

  @Test
  void subscribeFrameworkIdMustMatchTheFrameworkInfo() {
    ProtocolException e = readFails("""
        {"framework_id": {"value": "fw-7"}, "type": "SUBSCRIBE",
         "subscribe": {"framework_info": {"user": "u", "name": "n", "id": {"value": "fw-8"}}}}
        """, Call.class);

    assertThat(e.field()).isEqualTo("framework_id");
    assertThat(e.reason()).contains("subscribe.framework_info.id");
  }

  @Test
  void typeIsRequiredAndUnknownIsNoType() {
    ProtocolException missing = readFails("{\"framework_id\": {\"value\": \"fw-7\"}}", Call.class);
    ProtocolException unknown = readFails("{\"framework_id\": {\"value\": \"fw-7\"}, \"type\": \"UNKNOWN\"}",
        Call.class);

    assertThat(missing.field()).isEqualTo("type");
    assertThat(missing.reason()).isEqualTo("is required");
    assertThat(unknown.field()).isEqualTo("type");
    assertThat(unknown.reason()).isEqualTo("must name a call");
  }

  @Test
  void negativeScalarResourceDeepInAnAccept() {
    ProtocolException e = readFails(acceptWithTasks("""
        {"name": "a", "task_id": {"value": "t-a"}, "agent_id": {"value": "S-1"},
         "resources": [{"name": "cpus", "type": "SCALAR", "scalar": {"value": -0.5}}]}
        """), Call.class);

    assertThat(e.field()).isEqualTo("accept.operations[0].launch.task_infos[0].resources[0].scalar.value");
    assertThat(e.reason()).isEqualTo("must not be negative, was -0.5");
  }

  @Test
  void reservedRoleIsRefused() {
    ProtocolException e = readFails(acceptWithTasks("""
        {"name": "a", "task_id": {"value": "t-a"}, "agent_id": {"value": "S-1"},
         "resources": [{"name": "cpus", "type": "SCALAR", "scalar": {"value": 1}, "role": "*"},
                       {"name": "mem", "type": "SCALAR", "scalar": {"value": 64}, "role": "web"}]}
        """), Call.class);

    assertThat(e.field()).isEqualTo("accept.operations[0].launch.task_infos[0].resources[1].role");
    assertThat(e.reason()).startsWith("'web' is a reservation");
  }

  @Test
  void textIsNotAResourceType() {
    ProtocolException e = readFails("{\"name\": \"os\", \"type\": \"TEXT\"}", Resource.class);

    assertThat(e.field()).isEqualTo("type");
    assertThat(e.reason()).isEqualTo("TEXT is not a resource type");
  }

  @Test
  void scalarResourceWithoutItsScalar() {
    ProtocolException e = readFails("{\"name\": \"cpus\", \"type\": \"SCALAR\", \"ranges\": {}}", Resource.class);

    assertThat(e.field()).isEqualTo("scalar");
  }

  @Test
  void rolesWithoutTheMultiRoleCapability() {
    ProtocolException e = readFails("""
        {"type": "SUBSCRIBE",
         "subscribe": {"framework_info": {"user": "u", "name": "n", "roles": ["analytics"]}}}
        """, Call.class);

    assertThat(e.field()).isEqualTo("subscribe.framework_info.roles");
    assertThat(e.reason()).isEqualTo("needs the MULTI_ROLE capability; use 'role' otherwise");
  }

  @Test
  void nullInsideARepeatedField() {
    ProtocolException e = readFails(
        "{\"framework_id\": {\"value\": \"fw-7\"}, \"type\": \"REVIVE\", \"revive\": {\"roles\": [\"a\", null]}}",
        Call.class);

    assertThat(e.field()).isEqualTo("revive.roles[1]");
    assertThat(e.reason()).isEqualTo("must not be null");
  }

  @Test
  void uuidThatIsNotStandardBase64() {
    String ack = """
        {"framework_id": {"value": "fw-7"}, "type": "ACKNOWLEDGE",
         "acknowledge": {"agent_id": {"value": "S-1"}, "task_id": {"value": "t"}, "uuid": %s}}
        """;
    ProtocolException garbage = readFails(ack.formatted("\"not base64!\""), Call.class);
    // "-_8=" is "+/8=" in the URL-safe alphabet, which protobuf's JSON does not use.
    ProtocolException urlSafe = readFails(ack.formatted("\"-_8=\""), Call.class);
    ProtocolException number = readFails(ack.formatted("42"), Call.class);

    assertThat(garbage.field()).isEqualTo("acknowledge.uuid");
    assertThat(garbage.reason()).isEqualTo("must be base64 text (standard alphabet, with padding)");
    assertThat(urlSafe.field()).isEqualTo("acknowledge.uuid");
    assertThat(number.field()).isEqualTo("acknowledge.uuid");
  }

  @Test
  void numbersOutOfTheirType() {
    ProtocolException fraction = readFails("{\"begin\": 1.5, \"end\": 3}", Value.Range.class);
    ProtocolException overflow = readFails("{\"hostname\": \"h\", \"port\": 99999999999}",
        orrery.protocol.mesos.AgentInfo.class);
    ProtocolException backwards = readFails("{\"begin\": 5, \"end\": 3}", Value.Range.class);

    assertThat(fraction.field()).isEqualTo("begin");
    assertThat(fraction.reason()).isEqualTo("must be a number");
    assertThat(overflow.field()).isEqualTo("port");
    assertThat(backwards.field()).isEqualTo("end");
    assertThat(backwards.reason()).isEqualTo("must not be below begin (5), was 3");
  }

  @Test
  void numberWhereTextBelongsIsNotCoerced() {
    ProtocolException e = readFails("{\"user\": \"u\", \"name\": 42}", FrameworkInfo.class);

    assertThat(e.field()).isEqualTo("name");
    assertThat(e.reason()).isEqualTo("must be a string");
  }

  @Test
  void launchOperationWithoutItsLaunch() {
    ProtocolException e = readFails("""
        {"framework_id": {"value": "fw-7"}, "type": "ACCEPT",
         "accept": {"offer_ids": [{"value": "O-1"}], "operations": [{"type": "LAUNCH"}]}}
        """, Call.class);

    assertThat(e.field()).isEqualTo("accept.operations[0].launch");
  }

  @Test
  void statusWithoutState() {
    ProtocolException e = readFails("""
        {"type": "UPDATE", "update": {"status": {"task_id": {"value": "t"}}}}
        """, Event.class);

    assertThat(e.field()).isEqualTo("update.status.state");
    assertThat(e.reason()).isEqualTo("is required");
  }

  @Test
  void internalMessagesNameTheirFieldsToo() {
    ProtocolException e = readFails("{\"info\": {\"hostname\": \"h\"}, \"total\": []}", AgentMessages.AddAgent.class);

    assertThat(e.field()).isEqualTo("info.id");
  }

  @Test
  void fromJsonObjectRefusesNoBody() {
    ProtocolException e = catchThrowableOfType(ProtocolException.class,
        () -> MesosJson.fromJsonObject(null, Call.class));

    assertThat(e.field()).isEmpty();
    assertThat(e.getMessage()).isEqualTo("the message body must be a JSON object");
  }

  @Test
  void withinPrefixesTheParentPath() {
    ProtocolException inner = ProtocolException.missing("task_id");

    assertThat(inner.within("kill").field()).isEqualTo("kill.task_id");
    assertThat(inner.within("").field()).isEqualTo("task_id");
    assertThat(ProtocolException.invalid("", "is bad").within("accept").field()).isEqualTo("accept");
    assertThat(inner.within("kill").getMessage()).isEqualTo("'kill.task_id' is required");
  }

  @Test
  void recordsBuiltInCodeAreCheckedLikeParsedOnes() {
    ProtocolException e = catchThrowableOfType(ProtocolException.class,
        () -> TaskStatus.builder(null, orrery.protocol.mesos.TaskState.TASK_RUNNING).build());

    assertThat(e.field()).isEqualTo("task_id");
  }
}
