package orrery.e2e;

import static orrery.e2e.ClusterFixture.await;
import static orrery.e2e.CliProcess.orrery;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import orrery.e2e.CliProcess.Result;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.mesos.FrameworkInfo;
import orrery.protocol.scheduler.Call;
import orrery.protocol.scheduler.Event;
import orrery.sdk.SchedulerHttpClient;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The Mesos operator API ({@code POST /api/v1}) for weights, quota and roles, over real HTTP against a standalone
 * cluster (4 cpus, 4096 mem), with {@code orrery roles} run as its own process. The allocator restart comes last:
 * the new allocator knows the recorded weights, but not the agent.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorApiTest extends StandaloneClusterTest {

  private HttpResponse<String> call(String json) throws Exception {
    return fixture.post(fixture.gateway() + "/api/v1", "application/json", json);
  }

  private JsonObject answer(String json) throws Exception {
    HttpResponse<String> response = call(json);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    return new JsonObject(response.body());
  }

  private static String updateWeights(String role, String weight) {
    return "{\"type\": \"UPDATE_WEIGHTS\", \"update_weights\": {\"weight_infos\": [{\"role\": \"" + role
        + "\", \"weight\": " + weight + "}]}}";
  }

  private JsonArray weights() throws Exception {
    return answer("{\"type\": \"GET_WEIGHTS\"}").getJsonObject("get_weights").getJsonArray("weight_infos");
  }

  @Test
  @Order(1)
  void weightsAreSetAndReadBackAndInvalidOnesChangeNothing() throws Exception {
    HttpResponse<String> set = call("{\"type\": \"UPDATE_WEIGHTS\", \"update_weights\": {\"weight_infos\": ["
        + "{\"role\": \"eng\", \"weight\": 2.0}, {\"role\": \"ads\", \"weight\": 0.5}]}}");
    assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
    assertThat(set.body()).isEmpty();
    JsonArray expected = new JsonArray().add(new JsonObject().put("role", "ads").put("weight", 0.5))
        .add(new JsonObject().put("role", "eng").put("weight", 2.0));
    assertThat(weights()).isEqualTo(expected);

    for (String bad : List.of("0", "-1", "\"abc\"", "\"NaN\"")) {
      HttpResponse<String> refused = call(updateWeights("eng", bad));
      assertThat(refused.statusCode()).as(bad).isEqualTo(400);
      assertThat(refused.body()).as(bad).contains("update_weights.weight_infos[0].weight");
    }
    // A bad entry refuses the whole update, its good entries too.
    HttpResponse<String> mixed = call("{\"type\": \"UPDATE_WEIGHTS\", \"update_weights\": {\"weight_infos\": ["
        + "{\"role\": \"eng\", \"weight\": 9}, {\"role\": \"/bad\", \"weight\": 1}]}}");
    assertThat(mixed.statusCode()).isEqualTo(400);
    assertThat(mixed.body()).contains("weight_infos[1].role");
    assertThat(weights()).isEqualTo(expected);

    assertThat(call("NaN").statusCode()).isEqualTo(400);
    assertThat(call("{\"type\": \"GET_STATE\"}").statusCode()).isEqualTo(501);
    assertThat(call("{\"type\": \"GET_NOTHING\"}").body()).contains("'type'");
    assertThat(fixture.post(fixture.gateway() + "/api/v1", "text/plain", "{}").statusCode()).isEqualTo(415);
  }

  @Test
  @Order(2)
  void quotaIsSetReadBackRefusedBeyondTheClusterAndRemoved() throws Exception {
    HttpResponse<String> set = call("""
        {"type": "UPDATE_QUOTA", "update_quota": {"force": false, "quota_configs": [
          {"role": "eng", "guarantees": {"cpus": {"value": 1}}, "limits": {"mem": {"value": 1024}}}]}}""");
    assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
    assertThat(answer("{\"type\": \"GET_QUOTA\"}")).isEqualTo(new JsonObject("""
        {"type": "GET_QUOTA", "get_quota": {"status": {"configs": [{"role": "eng",
          "guarantees": {"cpus": {"value": 1.0}}, "limits": {"mem": {"value": 1024.0}}}]}}}"""));

    String tooBig = """
        {"type": "UPDATE_QUOTA", "update_quota": {"force": %s, "quota_configs": [
          {"role": "ads", "guarantees": {"cpus": {"value": 8}}}]}}""";
    HttpResponse<String> refused = call(tooBig.formatted("false"));
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body()).contains("quota_configs[0].guarantees").contains("9.0 cpus")
        .contains("the cluster has 4.0");
    HttpResponse<String> aboveLimit = call("""
        {"type": "UPDATE_QUOTA", "update_quota": {"quota_configs": [
          {"role": "ads", "guarantees": {"mem": {"value": 64}}, "limits": {"mem": {"value": 32}}}]}}""");
    assertThat(aboveLimit.statusCode()).isEqualTo(400);
    assertThat(aboveLimit.body()).contains("above its limit");
    // force skips the check against the cluster, as in Mesos.
    assertThat(call(tooBig.formatted("true")).statusCode()).isEqualTo(200);

    HttpResponse<String> removed = call("""
        {"type": "UPDATE_QUOTA", "update_quota": {"quota_configs": [{"role": "eng"}, {"role": "ads"}]}}""");
    assertThat(removed.statusCode()).as(removed.body()).isEqualTo(200);
    assertThat(answer("{\"type\": \"GET_QUOTA\"}").getJsonObject("get_quota").getJsonObject("status")
        .getJsonArray("configs")).isEmpty();
  }

  @Test
  @Order(3)
  void rolesShowAFrameworksAllocationInTheApiMetricsAndCli() throws Exception {
    SchedulerHttpClient client = new SchedulerHttpClient(fixture.clients, "127.0.0.1", fixture.cluster.httpPort());
    EventLog events = new EventLog();
    FrameworkId id = await(client.subscribe(FrameworkInfo.of("tester", "operator").withRoles("eng"), events::add))
        .subscribed().frameworkId();
    try {
      events.takeType(Event.Type.OFFERS);

      JsonObject eng = role(answer("{\"type\": \"GET_ROLES\"}"), "eng");
      assertThat(eng.getDouble("weight")).isEqualTo(2.0);
      assertThat(eng.getJsonArray("frameworks")).containsExactly(new JsonObject().put("value", id.value()));
      // The whole agent is offered to the framework: allocated (offered or in use) and offered alike.
      assertThat(scalar(eng.getJsonArray("allocated"), "cpus")).isEqualTo(4.0);
      assertThat(scalar(eng.getJsonArray("offered"), "mem")).isEqualTo(4096.0);
      assertThat(eng.getDouble("dominant_share")).isEqualTo(0.5); // max(4/4, 4096/4096, ...) / weight 2

      String metrics = awaitMetrics("orrery_role_offered{resource=\"cpus\",role=\"eng\"} 4.0");
      assertThat(metrics).contains("orrery_role_allocated{resource=\"mem\",role=\"eng\"} 4096.0")
          .contains("orrery_role_dominant_share{role=\"eng\"} 0.5");

      Result table = orrery(Map.of("ORRERY_MASTER", fixture.gateway()), "roles");
      assertThat(table.exitCode()).as(table.output()).isZero();
      assertThat(table.output()).startsWith("ROLE").contains("GUARANTEE");
      assertThat(table.output().lines().filter(l -> l.startsWith("eng ")).findFirst()).get().asString()
          .contains(" 2 ").contains(" 0.5 ").contains("cpus:4;disk:4096;mem:4096");
      Result json = orrery(Map.of(), "roles", "--master", fixture.gateway(), "--json");
      assertThat(role(new JsonObject(json.output()), "eng").getJsonArray("frameworks")).hasSize(1);
      Result refused = orrery(Map.of(), "roles", "--master", fixture.gateway(), "--weight", "eng=abc");
      assertThat(refused.exitCode()).isEqualTo(2);
      assertThat(refused.output()).contains("UPDATE_WEIGHTS refused (400)").contains("weight");
    } finally {
      await(client.call(Call.teardown(id)));
      await(client.close());
    }
  }

  @Test
  @Order(4)
  void aDeactivatedAgentIsOfferedToNobodyUntilReactivated() throws Exception {
    String agent = fixture.cluster.agentId().value();
    assertThat(call("{\"type\": \"DEACTIVATE_AGENT\", \"deactivate_agent\": {\"agent_id\": {\"value\": \""
        + agent + "\"}}}").statusCode()).isEqualTo(200);
    HttpResponse<String> unknown = call("{\"type\": \"DEACTIVATE_AGENT\", \"deactivate_agent\": "
        + "{\"agent_id\": {\"value\": \"no-such-agent\"}}}");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).contains("agent_id");

    SchedulerHttpClient client = new SchedulerHttpClient(fixture.clients, "127.0.0.1", fixture.cluster.httpPort());
    EventLog events = new EventLog();
    FrameworkId id = await(client.subscribe(FrameworkInfo.of("tester", "drained"), events::add))
        .subscribed().frameworkId();
    try {
      Thread.sleep(1_500); // more than an allocation interval: a deactivated agent would have been offered by now
      assertThat(events.snapshot()).noneMatch(e -> e.type() == Event.Type.OFFERS);
      assertThat(call("{\"type\": \"REACTIVATE_AGENT\", \"reactivate_agent\": {\"agent_id\": {\"value\": \""
          + agent + "\"}}}").statusCode()).isEqualTo(200);
      assertThat(events.takeType(Event.Type.OFFERS).offers().offers().get(0).agentId().value()).isEqualTo(agent);
    } finally {
      await(client.call(Call.teardown(id)));
      await(client.close());
    }
  }

  @Test
  @Order(6)
  void weightsSurviveARestartOfTheAllocator() throws Exception {
    JsonArray before = weights();

    await(fixture.cluster.restartAllocator());

    assertThat(weights()).isEqualTo(before).isNotEmpty();
  }

  private static JsonObject role(JsonObject getRoles, String name) {
    JsonArray roles = getRoles.getJsonObject("get_roles").getJsonArray("roles");
    for (int i = 0; i < roles.size(); i++) {
      if (name.equals(roles.getJsonObject(i).getString("name"))) {
        return roles.getJsonObject(i);
      }
    }
    throw new AssertionError("no role " + name + " in " + getRoles.encode());
  }

  private static double scalar(JsonArray resources, String name) {
    for (int i = 0; i < resources.size(); i++) {
      if (name.equals(resources.getJsonObject(i).getString("name"))) {
        return resources.getJsonObject(i).getJsonObject("scalar").getDouble("value");
      }
    }
    return 0;
  }

  /** Gauges follow the allocation cycle; waits until the scrape shows {@code line}. */
  private String awaitMetrics(String line) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(EventLog.TIMEOUT_SECONDS);
    String metrics = "";
    while (System.nanoTime() < deadline) {
      metrics = fixture.get(fixture.gateway() + "/metrics").body();
      if (metrics.contains(line)) {
        return metrics;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("/metrics never showed " + line + ":\n" + metrics);
  }
}
