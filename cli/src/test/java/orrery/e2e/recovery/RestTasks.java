package orrery.e2e.recovery;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;

/** The REST API of /v1/tasks, as a person without a framework uses it, against a gateway that may restart. */
final class RestTasks {

  private static final long TIMEOUT_SECONDS = 90;

  private final String gateway;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  RestTasks(String gateway) {
    this.gateway = gateway;
  }

  /** Launches {@code cmd} (0.1 cpus, 16 MB); returns the task's id. */
  String launch(String cmd) throws Exception {
    return launch(cmd, 0.1);
  }

  /** Launches {@code cmd} on {@code cpus} and 16 MB; returns the task's id. */
  String launch(String cmd, double cpus) throws Exception {
    HttpResponse<String> created = send("POST", "/v1/tasks",
        new JsonObject().put("cmd", cmd).put("cpus", cpus).put("mem", 16).encode());
    if (created.statusCode() != 201) {
      throw new AssertionError("POST /v1/tasks answered " + created.statusCode() + ": " + created.body());
    }
    return new JsonObject(created.body()).getString("id");
  }

  int kill(String id) throws Exception {
    return send("DELETE", "/v1/tasks/" + id, null).statusCode();
  }

  /** Polls GET /v1/tasks/{id} until the task is in {@code state}; returns its JSON. */
  JsonObject awaitState(String id, String state) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    String last = "";
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> response = send("GET", "/v1/tasks/" + id, null);
        last = response.statusCode() + " " + response.body();
        if (response.statusCode() == 200 && state.equals(new JsonObject(response.body()).getString("state"))) {
          return new JsonObject(response.body());
        }
      } catch (java.io.IOException gatewayDown) {
        last = gatewayDown.toString();
      }
      Thread.sleep(200);
    }
    throw new AssertionError("task " + id + " never " + state + " within " + TIMEOUT_SECONDS + " s; last: " + last);
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(gateway + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "application/json").build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
