package orrery.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code /v1/tasks}, {@code /health} and {@code /metrics} over HTTP, against a standalone cluster. */
class RestTasksApiTest extends StandaloneClusterTest {

  private JsonObject launch(String body) throws Exception {
    HttpResponse<String> response = fixture.post(fixture.gateway() + "/v1/tasks", "application/json", body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    JsonObject task = new JsonObject(response.body());
    assertThat(response.headers().firstValue("Location")).contains("/v1/tasks/" + task.getString("id"));
    return task;
  }

  private JsonObject awaitState(String id, String state) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(EventLog.TIMEOUT_SECONDS);
    JsonObject task;
    do {
      task = new JsonObject(fixture.get(fixture.gateway() + "/v1/tasks/" + id).body());
      if (state.equals(task.getString("state"))) {
        return task;
      }
      Thread.sleep(50);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("task " + id + " never reached " + state + "; last seen: " + task.encodePrettily());
  }

  @Test
  void launchesACommandAndReportsItsStatus() throws Exception {
    JsonObject task = launch("{\"cmd\": \"echo $GREETING\", \"cpus\": 0.2, \"mem\": 48, \"name\": \"greeter\", "
        + "\"env\": {\"GREETING\": \"hi\"}}");
    assertThat(task.getString("id")).startsWith("greeter-");
    JsonObject finished = awaitState(task.getString("id"), "TASK_FINISHED");
    assertThat(finished.getString("name")).isEqualTo("greeter");
    assertThat(finished.getString("agent_id")).isEqualTo(fixture.cluster.agentId().value());
    assertThat(finished.getJsonObject("status").getString("state")).isEqualTo("TASK_FINISHED");
    assertThat(finished.getJsonArray("resources").encode()).contains("\"cpus\"").contains("0.2").contains("48");

    JsonObject list = new JsonObject(fixture.get(fixture.gateway() + "/v1/tasks").body());
    assertThat(list.getJsonArray("tasks").encode()).contains(task.getString("id"));
  }

  @Test
  void reportsAFailureWithItsExitCode() throws Exception {
    JsonObject task = launch("{\"cmd\": \"exit 7\"}");
    JsonObject failed = awaitState(task.getString("id"), "TASK_FAILED");
    assertThat(failed.getJsonObject("status").getString("message")).contains("7");
  }

  @Test
  void runsTheCommandInADockerImage() throws Exception {
    fixture.assumeDocker();

    JsonObject task = launch("{\"cmd\": \"test -d /mnt/mesos/sandbox && echo in docker\", \"image\": \""
        + ClusterFixture.DOCKER_TEST_IMAGE + "\"}");

    assertThat(task.getString("image")).isEqualTo(ClusterFixture.DOCKER_TEST_IMAGE);
    JsonObject finished = awaitState(task.getString("id"), "TASK_FINISHED");
    assertThat(finished.getJsonObject("status").getString("message")).isEqualTo("Command exited with status 0");
  }

  @Test
  void killsARunningTask() throws Exception {
    JsonObject task = launch("{\"cmd\": \"sleep 600\"}");
    awaitState(task.getString("id"), "TASK_RUNNING");
    HttpResponse<String> kill = fixture.delete(fixture.gateway() + "/v1/tasks/" + task.getString("id"));
    assertThat(kill.statusCode()).isEqualTo(202);
    awaitState(task.getString("id"), "TASK_KILLED");
    // Killing it again is a conflict: it has ended.
    assertThat(fixture.delete(fixture.gateway() + "/v1/tasks/" + task.getString("id")).statusCode()).isEqualTo(409);
  }

  @Test
  void aTaskTooBigForAnyAgentStaysQueuedAndCanBeKilled() throws Exception {
    JsonObject task = launch("{\"cmd\": \"true\", \"cpus\": 64}");
    assertThat(task.getBoolean("queued")).isTrue();
    assertThat(task.getString("state")).isEqualTo("QUEUED");
    HttpResponse<String> kill = fixture.delete(fixture.gateway() + "/v1/tasks/" + task.getString("id"));
    assertThat(kill.statusCode()).isEqualTo(202);
    assertThat(new JsonObject(kill.body()).getString("state")).isEqualTo("TASK_KILLED");
  }

  @Test
  void refusesInvalidBodiesNamingTheField() throws Exception {
    String url = fixture.gateway() + "/v1/tasks";
    assertField(fixture.post(url, "application/json", "{\"cpus\": 1}"), "cmd");
    assertField(fixture.post(url, "application/json", "{\"cmd\": \"true\", \"cpus\": -1}"), "cpus");
    assertField(fixture.post(url, "application/json", "{\"cmd\": \"true\", \"mem\": \"lots\"}"), "mem");
    assertField(fixture.post(url, "application/json", "{\"cmd\": \"true\", \"env\": {\"A\": 1}}"), "env.A");
    assertField(fixture.post(url, "application/json", "{\"cmd\": \"true\", \"colour\": \"red\"}"), "colour");
    assertField(fixture.post(url, "application/json", "{\"cmd\": \"true\", \"image\": \"\"}"), "image");
    assertThat(fixture.post(url, "application/json", "[1,2]").statusCode()).isEqualTo(400);
    assertThat(fixture.get(url + "/no-such-task").statusCode()).isEqualTo(404);
    assertThat(fixture.delete(url + "/no-such-task").statusCode()).isEqualTo(404);
  }

  @Test
  void healthAndMetrics() throws Exception {
    HttpResponse<String> health = fixture.get(fixture.gateway() + "/health");
    assertThat(health.statusCode()).isEqualTo(200);
    JsonObject body = new JsonObject(health.body());
    assertThat(body.getInteger("agents")).isEqualTo(1);
    assertThat(body.getJsonObject("services").getMap()).containsEntry("allocator", "UP")
        .containsEntry("offers", "UP").containsEntry("registry", "UP");

    HttpResponse<String> metrics = fixture.get(fixture.gateway() + "/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("orrery_allocator_cycle").contains("orrery_allocator_agents")
        .contains("vertx_http_server");
  }

  private static void assertField(HttpResponse<String> response, String field) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    JsonObject body = new JsonObject(response.body());
    assertThat(body.getString("field")).isEqualTo(field);
    assertThat(body.getString("error")).contains(field);
  }
}
