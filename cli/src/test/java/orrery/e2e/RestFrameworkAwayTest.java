package orrery.e2e;

import static orrery.e2e.ClusterFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import orrery.cli.client.MasterClient;
import org.junit.jupiter.api.Test;

/**
 * The REST framework away (in a cluster: while the offer broker it runs beside fails over): the gateway answers
 * {@code /v1/tasks} with 503 and {@code Retry-After}, having done nothing, and a client such as {@code orrery run} asks
 * again until a REST framework is back, which then queues and runs the task, and knows the tasks launched before.
 */
class RestFrameworkAwayTest extends StandaloneClusterTest {

  @Test
  void aLaunchWhileTheRestFrameworkIsAwayIsAskedAgainUntilItIsBack() throws Exception {
    MasterClient client = new MasterClient(fixture.gateway());
    String before = client.launch(new JsonObject().put("cmd", "true")).getString("id");
    awaitState(client, before, "TASK_FINISHED");

    await(fixture.cluster.stopRestFramework());
    HttpResponse<String> away = fixture.post(fixture.gateway() + "/v1/tasks", "application/json",
        "{\"cmd\": \"true\"}");
    assertThat(away.statusCode()).isEqualTo(503);
    assertThat(away.headers().firstValue("Retry-After")).contains("2");
    assertThat(fixture.get(fixture.gateway() + "/health").statusCode()).isEqualTo(503);

    CompletableFuture<JsonObject> launched = CompletableFuture.supplyAsync(
        () -> client.launch(new JsonObject().put("cmd", "echo back").put("name", "asked-again")));
    // Not a timing claim: with no REST framework the launch cannot be answered, however long it waits.
    Thread.sleep(3_000);
    assertThat(launched).isNotDone();
    await(fixture.cluster.startRestFramework());

    JsonObject task = launched.get(30, TimeUnit.SECONDS);
    assertThat(task.getString("name")).isEqualTo("asked-again");
    awaitState(client, task.getString("id"), "TASK_FINISHED");
    // The new REST framework read back the task launched before it.
    assertThat(client.task(before).getString("state")).isEqualTo("TASK_FINISHED");
  }

  private static void awaitState(MasterClient client, String id, String state) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(EventLog.TIMEOUT_SECONDS);
    String last = null;
    while (System.nanoTime() < deadline) {
      last = client.task(id).getString("state");
      if (state.equals(last)) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("task " + id + " never reached " + state + "; last seen: " + last);
  }
}
