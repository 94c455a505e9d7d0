package orrery.e2e;

import static orrery.e2e.CliProcess.orrery;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import orrery.e2e.CliProcess.Result;
import java.util.List;
import orrery.protocol.mesos.Filters;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.mesos.FrameworkInfo;
import orrery.protocol.mesos.Offer;
import orrery.protocol.mesos.TaskInfo;
import orrery.protocol.mesos.TaskState;
import orrery.protocol.mesos.TaskStatus;
import orrery.protocol.scheduler.Call;
import orrery.protocol.scheduler.Event;
import orrery.sdk.SchedulerHttpClient;
import org.junit.jupiter.api.Test;

/**
 * A task's stdout and stderr through the gateway ({@code /v1/tasks/{id}/logs}, which finds the task's agent and
 * sandbox and reads it there) and through {@code orrery logs}, against a standalone cluster.
 */
class TaskLogsTest extends StandaloneClusterTest {

  private String launch(String cmd) throws Exception {
    HttpResponse<String> response = fixture.post(fixture.gateway() + "/v1/tasks", "application/json",
        new JsonObject().put("cmd", cmd).encode());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return new JsonObject(response.body()).getString("id");
  }

  private void awaitState(String id, String state) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(EventLog.TIMEOUT_SECONDS);
    String last;
    do {
      last = new JsonObject(fixture.get(fixture.gateway() + "/v1/tasks/" + id).body()).getString("state");
      if (state.equals(last)) {
        return;
      }
      Thread.sleep(50);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("task " + id + " never reached " + state + "; last seen " + last);
  }

  private HttpResponse<String> logs(String id, String query) throws Exception {
    return fixture.get(fixture.gateway() + "/v1/tasks/" + id + "/logs" + query);
  }

  @Test
  void readsAFinishedTaskStdoutAndStderrThroughTheGateway() throws Exception {
    String id = launch("echo hello from the sandbox; echo oops >&2");
    awaitState(id, "TASK_FINISHED");

    HttpResponse<String> stdout = logs(id, "");
    assertThat(stdout.statusCode()).as(stdout.body()).isEqualTo(200);
    assertThat(new JsonObject(stdout.body()).getMap()).containsEntry("data", "hello from the sandbox\n")
        .containsEntry("offset", 0);
    assertThat(stdout.headers().firstValue("Orrery-Task-State")).contains("TASK_FINISHED");

    JsonObject stderr = new JsonObject(logs(id, "?file=stderr").body());
    assertThat(stderr.getString("data")).isEqualTo("oops\n");
    // From an offset, a length; offset -1 asks for the size, as Mesos' /files/read.
    assertThat(new JsonObject(logs(id, "?offset=6&length=4").body()).getMap()).containsEntry("data", "from")
        .containsEntry("offset", 6);
    assertThat(new JsonObject(logs(id, "?offset=-1").body()).getMap()).containsEntry("data", "")
        .containsEntry("offset", 23);
  }

  @Test
  void readsTheLogsOfATaskLaunchedByAnotherFramework() throws Exception {
    SchedulerHttpClient client = new SchedulerHttpClient(fixture.clients, "127.0.0.1", fixture.cluster.httpPort());
    EventLog events = new EventLog();
    FrameworkId id = ClusterFixture.await(client.subscribe(FrameworkInfo.of("tester", "logs-elsewhere"),
        events::add)).subscribed().frameworkId();
    try {
      Offer offer = events.takeType(Event.Type.OFFERS).offers().offers().get(0);
      TaskInfo task = Tasks.shell("framework-own-task", offer, "echo written by a framework task", 0.1, 32);
      ClusterFixture.await(client.call(Call.accept(id, List.of(offer.id()),
          List.of(Offer.Operation.launch(List.of(task))), new Filters(0.0))));
      TaskStatus status;
      do {
        status = events.nextUpdate(task.taskId());
        if (status.uuid() != null) {
          ClusterFixture.await(client.call(Call.acknowledge(id, status.agentId(), status.taskId(), status.uuid())));
        }
      } while (!status.state().isTerminal());
      assertThat(status.state()).isEqualTo(TaskState.TASK_FINISHED);

      HttpResponse<String> stdout = logs(task.taskId().value(), "");
      assertThat(stdout.statusCode()).as(stdout.body()).isEqualTo(200);
      assertThat(new JsonObject(stdout.body()).getString("data")).isEqualTo("written by a framework task\n");
    } finally {
      ClusterFixture.await(client.call(Call.teardown(id)));
      ClusterFixture.await(client.close());
    }
  }

  @Test
  void refusesBadParametersNamingThemAndUnknownTasksNamingThem() throws Exception {
    String id = launch("true");
    assertField(logs(id, "?file=/etc/passwd"), 400, "file");
    assertField(logs(id, "?offset=ten"), 400, "offset");
    assertField(logs(id, "?length=-2"), 400, "length");
    HttpResponse<String> unknown = logs("no-such-task", "");
    assertField(unknown, 404, "id");
    assertThat(unknown.body()).contains("no-such-task");
  }

  @Test
  void orreryLogsPrintsAFinishedTaskOutput() throws Exception {
    String id = launch("echo first; echo second; echo err >&2");
    awaitState(id, "TASK_FINISHED");
    Result out = orrery(Map.of("ORRERY_MASTER", fixture.gateway()), "logs", id);
    assertThat(out.exitCode()).as(out.output()).isZero();
    assertThat(out.output()).isEqualTo("first\nsecond\n");
    Result err = orrery(Map.of(), "logs", "--master", fixture.gateway(), "--stderr", id);
    assertThat(err.output()).isEqualTo("err\n");

    Result unknown = orrery(Map.of(), "logs", "--master", fixture.gateway(), "no-such-task");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.output()).contains("no-such-task");
  }

  @Test
  void orreryLogsFollowPrintsWhatATaskWritesUntilItEnds() throws Exception {
    // About a second of output, followed from the moment it is launched (before it has a sandbox).
    String id = launch("for i in 1 2 3 4 5 6; do echo line $i; sleep 0.2; done; echo done");
    long started = System.nanoTime();
    Result follow = orrery(Map.of(), "logs", "--master", fixture.gateway(), "--follow", id);
    assertThat(follow.exitCode()).as(follow.output()).isZero();
    assertThat(follow.output()).isEqualTo("line 1\nline 2\nline 3\nline 4\nline 5\nline 6\ndone\n");
    assertThat(System.nanoTime() - started).as("it followed the task as it ran")
        .isGreaterThan(TimeUnit.MILLISECONDS.toNanos(1_000));
    assertThat(new JsonObject(fixture.get(fixture.gateway() + "/v1/tasks/" + id).body()).getString("state"))
        .isEqualTo("TASK_FINISHED");
  }

  private static void assertField(HttpResponse<String> response, int status, String field) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    JsonObject body = new JsonObject(response.body());
    assertThat(body.getString("field")).isEqualTo(field);
    assertThat(body.getString("error")).contains(field.equals("id") ? "task" : field);
  }
}
