package orrery.gateway.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import orrery.protocol.json.ProtocolException;
import orrery.protocol.mesos.AgentId;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.mesos.TaskId;
import orrery.protocol.messages.TaskMessages.TaskView;
import org.junit.jupiter.api.Test;

class LogRequestTest {

  private static final FrameworkId REST = FrameworkId.of("rest");
  private static final FrameworkId OTHER = FrameworkId.of("other");

  @Test
  void defaultsToStdoutFromTheStartAsMuchAsTheAgentGives() {
    assertThat(LogRequest.parse(null, null, null)).isEqualTo(new LogRequest("stdout", 0, -1));
    assertThat(LogRequest.parse("stderr", "-1", "100")).isEqualTo(new LogRequest("stderr", -1, 100));
  }

  @Test
  void refusesOtherFilesAndBadNumbersNamingTheField() {
    assertThatThrownBy(() -> LogRequest.parse("../../etc/passwd", null, null)).isInstanceOf(ProtocolException.class)
        .extracting(e -> ((ProtocolException) e).field()).isEqualTo("file");
    assertThatThrownBy(() -> LogRequest.parse(null, "x", null)).hasMessageContaining("'offset'")
        .hasMessageContaining("integer");
    assertThatThrownBy(() -> LogRequest.parse(null, null, "-2")).hasMessageContaining("'length'")
        .hasMessageContaining("-1 or more");
  }

  private static TaskView task(FrameworkId framework, String id, String agent) {
    return new TaskView(framework, TaskId.of(id), id, AgentId.of(agent), null, null, null);
  }

  @Test
  void anIdMeansTheRestFrameworksTaskElseTheLastLaunched() {
    List<TaskView> tasks = List.of(task(OTHER, "t", "a1"), task(REST, "t", "a2"), task(OTHER, "t", "a3"),
        task(OTHER, "u", "a1"), task(OTHER, "u", "a4"));
    assertThat(LogRequest.choose(tasks, TaskId.of("t"), REST).agentId()).isEqualTo(AgentId.of("a2"));
    assertThat(LogRequest.choose(tasks, TaskId.of("u"), REST).agentId()).isEqualTo(AgentId.of("a4"));
    assertThat(LogRequest.choose(tasks, TaskId.of("v"), REST)).isNull();
  }

  @Test
  void theSandboxIsTheTasksDirectoryInTheAgentsState() {
    JsonObject state = new JsonObject()
        .put("tasks", new JsonArray().add(entry("t", "rest", "/w/run2")).add(entry("t", "other", "/w/other")))
        .put("completed_tasks", new JsonArray().add(entry("t", "rest", "/w/run1")).add(entry("u", "rest", null)));
    assertThat(LogRequest.sandbox(state, TaskId.of("t"), REST)).isEqualTo("/w/run2");
    assertThat(LogRequest.sandbox(state, TaskId.of("t"), OTHER)).isEqualTo("/w/other");
    assertThat(LogRequest.sandbox(state, TaskId.of("u"), REST)).as("refused before it had one").isNull();
    assertThat(LogRequest.sandbox(new JsonObject(), TaskId.of("t"), REST)).isNull();
  }

  private static JsonObject entry(String task, String framework, String directory) {
    return new JsonObject().put("task_id", task).put("framework_id", framework).put("directory", directory);
  }
}
