package orrery.cli.client;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The REST and operator APIs as the client commands use them. Blocking on purpose: a command does one thing and exits. Failures
 * become {@link ClientException}s with a message fit for a terminal.
 */
public final class MasterClient {

  /** The header of {@code /v1/tasks/{id}/logs} with the task's state (the gateway's TaskLogsApi.STATE_HEADER). */
  static final String TASK_STATE_HEADER = "Orrery-Task-State";

  private final URI master;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public MasterClient(String master) {
    String base = master.endsWith("/") ? master.substring(0, master.length() - 1) : master;
    this.master = URI.create(base);
  }

  public JsonObject launch(JsonObject task) {
    return send(HttpRequest.newBuilder(uri("/v1/tasks")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(task.encode())).build());
  }

  public JsonArray tasks() {
    return send(HttpRequest.newBuilder(uri("/v1/tasks")).GET().build()).getJsonArray("tasks");
  }

  public JsonObject task(String id) {
    return send(HttpRequest.newBuilder(uri("/v1/tasks/" + id)).GET().build());
  }

  public JsonObject kill(String id) {
    return send(HttpRequest.newBuilder(uri("/v1/tasks/" + id)).DELETE().build());
  }

  /**
   * One read of a task's stdout or stderr through {@code /v1/tasks/{id}/logs}, from {@code offset}. A task that has
   * no sandbox yet (queued, or its launch still on the way) is {@link LogChunk#pending()}, not a failure.
   */
  public LogChunk logs(String id, String file, long offset) {
    HttpResponse<String> response = exchange(HttpRequest.newBuilder(uri("/v1/tasks/"
        + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20") + "/logs?file=" + file + "&offset="
        + offset)).GET().build());
    String state = response.headers().firstValue(TASK_STATE_HEADER).orElse(null);
    if (response.statusCode() == 409) {
      return new LogChunk("", offset, state, true);
    }
    JsonObject body = json(response);
    if (response.statusCode() >= 400) {
      throw new ClientException(body.getString("error", "the master answered " + response.statusCode()));
    }
    return new LogChunk(body.getString("data", ""), body.getLong("offset", offset), state, false);
  }

  /** Mesos' {@code /files/read} answer, with the task's state as the master knew it just before the read. */
  public record LogChunk(String data, long offset, String taskState, boolean pending) {}

  public JsonObject health() {
    return send(HttpRequest.newBuilder(uri("/health")).GET().build(), true);
  }

  /** A call of the Mesos operator API ({@code POST /api/v1}); its JSON answer, empty for an update. */
  public JsonObject operator(JsonObject call) {
    HttpResponse<String> response = exchange(HttpRequest.newBuilder(uri("/api/v1"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(call.encode())).build());
    if (response.statusCode() >= 400) {
      // The operator API answers refusals in plain text, as Mesos does.
      throw new ClientException(call.getString("type") + " refused (" + response.statusCode() + "): "
          + response.body());
    }
    return response.body().isEmpty() ? new JsonObject() : new JsonObject(response.body());
  }

  private URI uri(String path) {
    return URI.create(master + path);
  }

  private JsonObject send(HttpRequest request) {
    return send(request, false);
  }

  private JsonObject send(HttpRequest request, boolean anyStatus) {
    HttpResponse<String> response = exchange(request);
    JsonObject body = json(response);
    if (!anyStatus && response.statusCode() >= 400) {
      throw new ClientException(body.getString("error", "the master answered " + response.statusCode()));
    }
    return body;
  }

  private JsonObject json(HttpResponse<String> response) {
    try {
      return response.body().isEmpty() ? new JsonObject() : new JsonObject(response.body());
    } catch (RuntimeException e) {
      throw new ClientException(master + " answered " + response.statusCode() + " with: " + response.body());
    }
  }

  /** How long a request is asked again while the master says to retry (503 with Retry-After). */
  static final Duration RETRY_FOR = Duration.ofSeconds(30);

  /**
   * Sends the request; a 503 with {@code Retry-After} (the gateway's answer while the REST framework is failing over
   * with the offer broker: nothing was done) is sent again after the time it says, for up to {@link #RETRY_FOR}.
   */
  private HttpResponse<String> exchange(HttpRequest request) {
    long deadline = System.nanoTime() + RETRY_FOR.toNanos();
    HttpResponse<String> response = exchangeOnce(request);
    while (response.statusCode() == 503 && response.headers().firstValue("Retry-After").isPresent()
        && System.nanoTime() < deadline) {
      long seconds = parseSeconds(response.headers().firstValue("Retry-After").get());
      try {
        Thread.sleep(Duration.ofSeconds(seconds).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ClientException("interrupted");
      }
      response = exchangeOnce(request);
    }
    return response;
  }

  /** Retry-After in seconds, from 1 to 10 (an HTTP date, or nonsense, is taken as 1). */
  static long parseSeconds(String retryAfter) {
    try {
      return Math.max(1, Math.min(10, Long.parseLong(retryAfter.trim())));
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  private HttpResponse<String> exchangeOnce(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      throw new ClientException("cannot reach the master at " + master + " (is 'orrery standalone' running? "
          + "set --master or ORRERY_MASTER)");
    } catch (IOException e) {
      throw new ClientException("talking to " + master + " failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClientException("interrupted");
    }
  }

  /** A failure to show the user as it is, without a stack trace. */
  public static final class ClientException extends RuntimeException {
    public ClientException(String message) {
      super(message, null, false, false);
    }
  }
}
