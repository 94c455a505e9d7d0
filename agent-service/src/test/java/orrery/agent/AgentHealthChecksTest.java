package orrery.agent;

import static orrery.agent.AgentFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpServer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import orrery.protocol.mesos.TaskId;
import orrery.protocol.mesos.TaskInfo;
import orrery.protocol.mesos.TaskState;
import orrery.protocol.mesos.TaskStatus;
import orrery.protocol.messages.TaskMessages.StatusUpdate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Health checks run by a real agent against real probes: an HTTP server on a real port, a closed TCP port, and a
 * command in the task's sandbox. Checks are every 0.2 s here so that the tests are quick; the logic of timing is
 * unit-tested in HealthMonitorTest.
 */
class AgentHealthChecksTest {

  @TempDir
  Path workDir;
  private AgentFixture fixture;
  private HttpServer server;

  @AfterEach
  void tearDown() throws Exception {
    if (server != null) {
      await(server.close());
    }
    if (fixture != null) {
      fixture.close();
    }
  }

  private void start() throws Exception {
    fixture = new AgentFixture(workDir).withMaster();
    fixture.deploy(fixture.config());
  }

  private static TaskInfo withCheck(TaskInfo task, String check) throws Exception {
    return task.withHealthCheck(new ObjectMapper().readTree(check));
  }

  /** The next update of the task that is not a resend, skipping nothing: the order is part of what is tested. */
  private StatusUpdate next(String task) throws Exception {
    return fixture.master.nextUpdate(TaskId.of(task));
  }

  @Test
  void anHttpCheckReportsHealthAndKillsTheTaskWhenItFailsTooOften() throws Exception {
    AtomicInteger status = new AtomicInteger(200);
    start();
    server = await(fixture.vertx.createHttpServer()
        .requestHandler(request -> request.response().setStatusCode(status.get()).end("ok"))
        .listen(0, "127.0.0.1"));
    fixture.launch(withCheck(AgentFixture.shell("web", "sleep 600"), """
        {"type": "HTTP", "http": {"port": %d, "path": "/health"}, "delay_seconds": 0, "interval_seconds": 0.2,
         "grace_period_seconds": 0, "consecutive_failures": 2}""".formatted(server.actualPort())));
    assertThat(next("web").status().state()).isEqualTo(TaskState.TASK_STARTING);
    assertThat(next("web").status().state()).isEqualTo(TaskState.TASK_RUNNING);

    TaskStatus healthy = next("web").status();
    assertThat(healthy.state()).isEqualTo(TaskState.TASK_RUNNING);
    assertThat(healthy.healthy()).isTrue();
    assertThat(healthy.reason()).isEqualTo(TaskStatus.Reason.REASON_TASK_HEALTH_CHECK_STATUS_UPDATED);

    status.set(500);
    TaskStatus unhealthy = next("web").status();
    assertThat(unhealthy.state()).isEqualTo(TaskState.TASK_RUNNING);
    assertThat(unhealthy.healthy()).isFalse();
    assertThat(unhealthy.message()).contains("HTTP 500");
    TaskStatus killing = next("web").status();
    assertThat(killing.state()).isEqualTo(TaskState.TASK_KILLING);
    TaskStatus killed = next("web").status();
    assertThat(killed.state()).isEqualTo(TaskState.TASK_KILLED);
    assertThat(killed.healthy()).isFalse();
    assertThat(killed.message()).isEqualTo("Task killed: its HTTP GET http://127.0.0.1:" + server.actualPort()
        + "/health health check failed 2 consecutive times (last: HTTP 500)");
  }

  @Test
  void aTcpCheckOnAClosedPortKillsTheTask() throws Exception {
    start();
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort(); // free now, and nobody listens on it once closed
    }
    fixture.launch(withCheck(AgentFixture.shell("deaf", "sleep 600"), """
        {"type": "TCP", "tcp": {"port": %d}, "delay_seconds": 0, "interval_seconds": 0.2, "grace_period_seconds": 0,
         "consecutive_failures": 1, "timeout_seconds": 2}""".formatted(closedPort)));

    List<StatusUpdate> updates = fixture.updatesUntilTerminal(TaskId.of("deaf"));

    TaskStatus last = updates.get(updates.size() - 1).status();
    assertThat(last.state()).isEqualTo(TaskState.TASK_KILLED);
    assertThat(last.healthy()).isFalse();
    assertThat(last.message()).startsWith("Task killed: its TCP 127.0.0.1:" + closedPort + " health check failed 1 ");
  }

  @Test
  void aCommandCheckRunsInTheSandboxWithTheTasksEnvironment() throws Exception {
    start();
    // healthy once the task has written the file into its sandbox, named by the task's own environment
    fixture.launch(withCheck(AgentFixture.shell("writer", "sleep 0.5; touch \"$MESOS_TASK_ID.ready\"; sleep 600"), """
        {"type": "COMMAND", "command": {"value": "test -f \\"$MESOS_TASK_ID.ready\\""}, "delay_seconds": 0,
         "interval_seconds": 0.2, "grace_period_seconds": 30}"""));
    assertThat(next("writer").status().state()).isEqualTo(TaskState.TASK_STARTING);
    assertThat(next("writer").status().state()).isEqualTo(TaskState.TASK_RUNNING);
    // the failures before the file exists fall in the grace period: the first health news is "healthy"
    TaskStatus healthy = next("writer").status();
    assertThat(healthy.healthy()).isTrue();
    assertThat(healthy.message()).isEqualTo("healthy");
  }

  @Test
  void aMalformedHealthCheckIsRefusedNamingTheField() throws Exception {
    start();
    fixture.launch(withCheck(AgentFixture.shell("bad", "sleep 1"), "{\"type\": \"TCP\", \"tcp\": {\"port\": 0}}"));
    StatusUpdate refused = next("bad");
    assertThat(refused.status().state()).isEqualTo(TaskState.TASK_FAILED);
    assertThat(refused.status().reason()).isEqualTo(TaskStatus.Reason.REASON_TASK_INVALID);
    assertThat(refused.status().message()).contains("health_check.tcp.port");
  }
}
