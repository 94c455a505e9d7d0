package orrery.gateway.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.TimeUnit;
import orrery.gateway.GatewayOptions;
import orrery.gateway.GatewayVerticle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A gateway with no REST framework behind it (none runs yet: the offer broker that runs it is failing over) asks for
 * its answer time (1 s here), then answers {@code /v1/tasks} with 503 saying so, and is not healthy; a body that is
 * not JSON is refused by the gateway itself.
 * The REST framework's own answers are tested end to end (RestTasksApiTest, ClusterRolesTest).
 */
class RestTasksRelayTest {

  private Vertx vertx;
  private HttpClient client;
  private int port;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    GatewayVerticle gateway = new GatewayVerticle(new GatewayOptions("127.0.0.1", 0, 0, 1_000));
    vertx.deployVerticle(gateway).await(30, TimeUnit.SECONDS);
    port = gateway.httpPort();
    client = vertx.createHttpClient();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  private record Answer(int statusCode, String body, String retryAfter) {}

  private Answer send(HttpMethod method, String uri, String body) throws Exception {
    return client.request(new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI(uri)
            .putHeader("Content-Type", "application/json"))
        .compose(request -> body == null ? request.send() : request.send(Buffer.buffer(body)))
        .compose(response -> response.body().map(b -> new Answer(response.statusCode(), b.toString(),
            response.getHeader("Retry-After"))))
        .await(30, TimeUnit.SECONDS);
  }

  @Test
  void withoutTheRestFrameworkTasksAreUnavailableAndTheGatewayUnhealthy() throws Exception {
    Answer launch = send(HttpMethod.POST, "/v1/tasks", "{\"cmd\": \"true\"}");
    assertThat(launch.statusCode()).isEqualTo(503);
    assertThat(new JsonObject(launch.body()).getString("error")).contains("REST framework is not running")
        .contains("nothing was done");
    // Nothing was queued, so a client may ask again: it is told when.
    assertThat(launch.retryAfter()).isEqualTo("2");
    assertThat(send(HttpMethod.GET, "/v1/tasks", null).statusCode()).isEqualTo(503);
    assertThat(send(HttpMethod.DELETE, "/v1/tasks/t-1", null).statusCode()).isEqualTo(503);

    Answer health = send(HttpMethod.GET, "/health", null);
    assertThat(health.statusCode()).isEqualTo(503);
    assertThat(new JsonObject(health.body()).getJsonObject("services").getString("rest")).startsWith("DOWN");
  }

  @Test
  void aBodyThatIsNotAJsonObjectIsRefusedByTheGateway() throws Exception {
    Answer launch = send(HttpMethod.POST, "/v1/tasks", "[1, 2]");
    assertThat(launch.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(launch.body()).getString("error")).contains("not a JSON object");
  }
}
