package orrery.protocol.scheduler;

import static orrery.protocol.json.JsonTrees.assertSameJson;
import static orrery.protocol.json.JsonTrees.tree;
import static orrery.protocol.json.JsonTrees.written;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import orrery.protocol.json.MesosJson;
import orrery.protocol.mesos.AgentId;
import orrery.protocol.mesos.CommandInfo;
import orrery.protocol.mesos.ExecutorId;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.mesos.FrameworkInfo.Capability;
import orrery.protocol.mesos.Offer;
import orrery.protocol.mesos.OfferId;
import orrery.protocol.mesos.TaskId;
import orrery.protocol.mesos.TaskInfo;
import orrery.protocol.resources.Ranges;
import orrery.protocol.resources.Resources;
import org.junit.jupiter.api.Test;

/**
 * Calls as a Mesos v1 framework sends them (shapes from the Mesos scheduler HTTP API and scheduler.proto): each
 * fixture is read into the record, its fields checked, and the record written back to the same JSON tree, so that
 * what Orrery relays or stores is what the framework sent.
 */
class CallJsonTest {

  private static Call readAndRewrite(String json) {
    Call call = MesosJson.read(json, Call.class);
    assertSameJson(written(call), tree(json));
    return call;
  }

  @Test
  void subscribeOfAMultiRoleFramework() {
    Call call = readAndRewrite("""
        {
          "type": "SUBSCRIBE",
          "subscribe": {
            "framework_info": {
              "user": "deploy",
              "name": "batch-runner",
              "roles": ["analytics", "etl"],
              "capabilities": [{"type": "MULTI_ROLE"}, {"type": "PARTITION_AWARE"}],
              "failover_timeout": 604800.0,
              "checkpoint": true,
              "hostname": "scheduler-1.example.org",
              "principal": "batch",
              "webui_url": "http://scheduler-1.example.org:8080",
              "labels": {"labels": [{"key": "team", "value": "data"}]}
            },
            "suppressed_roles": ["etl"],
            "offer_constraints": {
              "role_constraints": {
                "analytics": {
                  "groups": [{
                    "attribute_constraints": [{
                      "selector": {"attribute_name": "rack"},
                      "predicate": {"exists": {}}
                    }]
                  }]
                }
              }
            }
          }
        }
        """);

    assertThat(call.type()).isEqualTo(Call.Type.SUBSCRIBE);
    // A first SUBSCRIBE names no framework: the master assigns the id.
    assertThat(call.frameworkId()).isNull();
    var info = call.subscribe().frameworkInfo();
    assertThat(info.user()).isEqualTo("deploy");
    assertThat(info.name()).isEqualTo("batch-runner");
    assertThat(info.id()).isNull();
    assertThat(info.roles()).containsExactly("analytics", "etl");
    assertThat(info.effectiveRoles()).containsExactly("analytics", "etl");
    assertThat(info.capabilities()).extracting(Capability::type)
        .containsExactly(Capability.Type.MULTI_ROLE, Capability.Type.PARTITION_AWARE);
    assertThat(info.failoverTimeout()).isEqualTo(604800.0);
    assertThat(info.checkpoint()).isTrue();
    assertThat(info.hostname()).isEqualTo("scheduler-1.example.org");
    assertThat(info.principal()).isEqualTo("batch");
    assertThat(info.webuiUrl()).isEqualTo("http://scheduler-1.example.org:8080");
    assertThat(info.labels().labels()).singleElement()
        .satisfies(l -> assertThat(l.key() + "=" + l.value()).isEqualTo("team=data"));
    assertThat(call.subscribe().suppressedRoles()).containsExactly("etl");
    // Carried as it came, the empty {} of "exists" included.
    assertThat(call.subscribe().offerConstraints()
        .at("/role_constraints/analytics/groups/0/attribute_constraints/0/selector/attribute_name").asText())
        .isEqualTo("rack");
    assertThat(call.subscribe().offerConstraints()
        .at("/role_constraints/analytics/groups/0/attribute_constraints/0/predicate/exists").isObject()).isTrue();
  }

  @Test
  void resubscribeNamesTheSameFrameworkTwice() {
    Call call = readAndRewrite("""
        {
          "framework_id": {"value": "5f0c7d1e-0000-fw-0007"},
          "type": "SUBSCRIBE",
          "subscribe": {
            "framework_info": {
              "user": "deploy",
              "name": "batch-runner",
              "id": {"value": "5f0c7d1e-0000-fw-0007"},
              "role": "analytics"
            }
          }
        }
        """);

    assertThat(call.frameworkId()).isEqualTo(FrameworkId.of("5f0c7d1e-0000-fw-0007"));
    assertThat(call.subscribe().frameworkInfo().id()).isEqualTo(call.frameworkId());
    // Not MULTI_ROLE: the single role is the one it is offered under.
    assertThat(call.subscribe().frameworkInfo().effectiveRoles()).containsExactly("analytics");
  }

  @Test
  void acceptWithOneLaunchOperation() {
    Call call = readAndRewrite("""
        {
          "framework_id": {"value": "fw-7"},
          "type": "ACCEPT",
          "accept": {
            "offer_ids": [{"value": "fw-7-O-17"}, {"value": "fw-7-O-18"}],
            "operations": [{
              "type": "LAUNCH",
              "launch": {
                "task_infos": [{
                  "name": "etl-shard-3",
                  "task_id": {"value": "etl-shard-3.a1b2"},
                  "agent_id": {"value": "agent-S4"},
                  "command": {
                    "shell": true,
                    "value": "python3 shard.py --index 3",
                    "environment": {"variables": [{"name": "SHARD", "value": "3"}]},
                    "uris": [{"value": "http://artifacts.local/shard.tar.gz", "extract": true}]
                  },
                  "resources": [
                    {"name": "cpus", "type": "SCALAR", "scalar": {"value": 0.5}, "role": "*",
                     "allocation_info": {"role": "analytics"}},
                    {"name": "mem", "type": "SCALAR", "scalar": {"value": 256}, "role": "*",
                     "allocation_info": {"role": "analytics"}},
                    {"name": "ports", "type": "RANGES", "ranges": {"range": [{"begin": 31000, "end": 31001}]},
                     "role": "*", "allocation_info": {"role": "analytics"}}
                  ],
                  "kill_policy": {"grace_period": {"nanoseconds": 10000000000}},
                  "limits": {"mem": {"value": 512}},
                  "data": "c2hhcmQ9Mw==",
                  "labels": {"labels": [{"key": "shard", "value": "3"}]}
                }]
              }
            }],
            "filters": {"refuse_seconds": 30.0}
          }
        }
        """);

    assertThat(call.type()).isEqualTo(Call.Type.ACCEPT);
    assertThat(call.frameworkId()).isEqualTo(FrameworkId.of("fw-7"));
    assertThat(call.accept().offerIds()).containsExactly(OfferId.of("fw-7-O-17"), OfferId.of("fw-7-O-18"));
    Offer.Operation operation = call.accept().operations().get(0);
    assertThat(operation.type()).isEqualTo(Offer.Operation.Type.LAUNCH);
    TaskInfo task = operation.launch().taskInfos().get(0);
    assertThat(task.name()).isEqualTo("etl-shard-3");
    assertThat(task.taskId()).isEqualTo(TaskId.of("etl-shard-3.a1b2"));
    assertThat(task.agentId()).isEqualTo(AgentId.of("agent-S4"));
    CommandInfo command = task.command();
    assertThat(command.isShell()).isTrue();
    assertThat(command.value()).isEqualTo("python3 shard.py --index 3");
    assertThat(command.environment().variables()).containsExactly(CommandInfo.Environment.Variable.of("SHARD", "3"));
    assertThat(command.uris()).singleElement().satisfies(uri -> {
      assertThat(uri.value()).isEqualTo("http://artifacts.local/shard.tar.gz");
      assertThat(uri.extract()).isTrue();
    });
    assertThat(Resources.of(task.resources()))
        .isEqualTo(Resources.builder().scalar("cpus", 0.5).scalar("mem", 256)
            .ranges("ports", Ranges.of(31000, 31001)).build());
    assertThat(task.resources()).allSatisfy(r -> assertThat(r.allocationInfo().role()).isEqualTo("analytics"));
    // 10 000 000 000 ns = 10 s
    assertThat(task.killPolicy().gracePeriodMillis()).isEqualTo(10_000);
    assertThat(task.limits().get("mem").value()).isEqualTo(512.0);
    assertThat(new String(task.data(), StandardCharsets.UTF_8)).isEqualTo("shard=3");
    assertThat(task.labels().labels()).extracting(l -> l.key()).containsExactly("shard");
    assertThat(call.accept().filters().effectiveRefuseSeconds()).isEqualTo(30.0);
  }

  @Test
  void declineTwoOffersWithAFilter() {
    Call call = readAndRewrite("""
        {
          "framework_id": {"value": "fw-7"},
          "type": "DECLINE",
          "decline": {
            "offer_ids": [{"value": "fw-7-O-21"}, {"value": "fw-7-O-22"}],
            "filters": {"refuse_seconds": 120.0}
          }
        }
        """);

    assertThat(call.decline().offerIds()).extracting(OfferId::value).containsExactly("fw-7-O-21", "fw-7-O-22");
    assertThat(call.decline().filters().refuseSeconds()).isEqualTo(120.0);
  }

  @Test
  void reviveCarriesAnArrayOfRoles() {
    // scheduler.proto: `message Revive { repeated string roles = 1; }`, not the docs' singular "role".
    Call call = readAndRewrite("""
        {"framework_id": {"value": "fw-7"}, "type": "REVIVE", "revive": {"roles": ["analytics", "etl"]}}
        """);

    assertThat(call.revive().roles()).containsExactly("analytics", "etl");
  }

  @Test
  void reviveWithoutRolesMeansEveryRole() {
    Call call = readAndRewrite("""
        {"framework_id": {"value": "fw-7"}, "type": "REVIVE"}
        """);

    assertThat(call.revive()).isNull();
  }

  @Test
  void suppressCarriesAnArrayOfRoles() {
    Call call = readAndRewrite("""
        {"framework_id": {"value": "fw-7"}, "type": "SUPPRESS", "suppress": {"roles": ["etl"]}}
        """);

    assertThat(call.suppress().roles()).containsExactly("etl");
  }

  @Test
  void killNamesTaskAndAgent() {
    Call call = readAndRewrite("""
        {
          "framework_id": {"value": "fw-7"},
          "type": "KILL",
          "kill": {
            "task_id": {"value": "etl-shard-3.a1b2"},
            "agent_id": {"value": "agent-S4"},
            "kill_policy": {"grace_period": {"nanoseconds": 2500000000}}
          }
        }
        """);

    assertThat(call.kill().taskId()).isEqualTo(TaskId.of("etl-shard-3.a1b2"));
    assertThat(call.kill().agentId()).isEqualTo(AgentId.of("agent-S4"));
    // 2 500 000 000 ns = 2500 ms
    assertThat(call.kill().killPolicy().gracePeriodMillis()).isEqualTo(2500);
  }

  @Test
  void acknowledgeCarriesTheUpdateUuidAsBase64() {
    Call call = readAndRewrite("""
        {
          "framework_id": {"value": "fw-7"},
          "type": "ACKNOWLEDGE",
          "acknowledge": {
            "agent_id": {"value": "agent-S4"},
            "task_id": {"value": "etl-shard-3.a1b2"},
            "uuid": "++++Pn0aTCufPgobLD3+/w=="
          }
        }
        """);

    // The sixteen bytes of UUID fbefbe3e-7d1a-4c2b-9f3e-0a1b2c3dfeff; their base64 uses '+', '/' and '=='
    // padding, so the standard alphabet is what was decoded.
    UUID uuid = UUID.fromString("fbefbe3e-7d1a-4c2b-9f3e-0a1b2c3dfeff");
    byte[] expected = ByteBuffer.allocate(16)
        .putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits()).array();
    assertThat(call.acknowledge().uuid()).containsExactly(expected);
    assertThat(call.acknowledge().agentId()).isEqualTo(AgentId.of("agent-S4"));
    assertThat(call.acknowledge().taskId()).isEqualTo(TaskId.of("etl-shard-3.a1b2"));
  }

  @Test
  void reconcileListsTasks() {
    Call call = readAndRewrite("""
        {
          "framework_id": {"value": "fw-7"},
          "type": "RECONCILE",
          "reconcile": {
            "tasks": [
              {"task_id": {"value": "etl-shard-3.a1b2"}, "agent_id": {"value": "agent-S4"}},
              {"task_id": {"value": "etl-shard-4.c3d4"}}
            ]
          }
        }
        """);

    assertThat(call.reconcile().tasks()).containsExactly(
        new Call.Reconcile.Task(TaskId.of("etl-shard-3.a1b2"), AgentId.of("agent-S4")),
        new Call.Reconcile.Task(TaskId.of("etl-shard-4.c3d4"), null));
  }

  @Test
  void implicitReconcileHasNoTasks() {
    // An empty list asks for every task the master knows of the framework.
    Call call = readAndRewrite("""
        {"framework_id": {"value": "fw-7"}, "type": "RECONCILE", "reconcile": {}}
        """);

    assertThat(call.reconcile().tasks()).isEmpty();
  }

  @Test
  void teardownIsJustTheFrameworkAndType() {
    Call call = readAndRewrite("""
        {"framework_id": {"value": "fw-7"}, "type": "TEARDOWN"}
        """);

    assertThat(call).isEqualTo(Call.teardown(FrameworkId.of("fw-7")));
  }

  @Test
  void shutdownAndMessageNameAnExecutor() {
    Call shutdown = readAndRewrite("""
        {
          "framework_id": {"value": "fw-7"},
          "type": "SHUTDOWN",
          "shutdown": {"executor_id": {"value": "exec-1"}, "agent_id": {"value": "agent-S4"}}
        }
        """);
    Call message = readAndRewrite("""
        {
          "framework_id": {"value": "fw-7"},
          "type": "MESSAGE",
          "message": {"agent_id": {"value": "agent-S4"}, "executor_id": {"value": "exec-1"},
                      "data": "aGVsbG8gZXhlY3V0b3I="}
        }
        """);

    assertThat(shutdown.shutdown().executorId()).isEqualTo(ExecutorId.of("exec-1"));
    assertThat(new String(message.message().data(), StandardCharsets.UTF_8)).isEqualTo("hello executor");
  }

  @Test
  void callsOrreryDoesNotRunAreStillReadAndKeptAsTheyCame() {
    // ACCEPT_INVERSE_OFFERS is read (and refused later by the service) rather than failing as unknown JSON.
    Call call = readAndRewrite("""
        {
          "framework_id": {"value": "fw-7"},
          "type": "ACCEPT_INVERSE_OFFERS",
          "accept_inverse_offers": {"inverse_offer_ids": [{"value": "inv-1"}]}
        }
        """);

    assertThat(call.acceptInverseOffers().at("/inverse_offer_ids/0/value").asText()).isEqualTo("inv-1");
  }

  @Test
  void readsTheSameFromBytesBuffersAndVertxJson() {
    String json = """
        {"framework_id": {"value": "fw-7"}, "type": "REVIVE", "revive": {"roles": ["etl"]}}
        """;
    Call expected = Call.revive(FrameworkId.of("fw-7"), List.of("etl"));

    assertThat(MesosJson.read(json, Call.class)).isEqualTo(expected);
    assertThat(MesosJson.read(json.getBytes(StandardCharsets.UTF_8), Call.class)).isEqualTo(expected);
    assertThat(MesosJson.read(io.vertx.core.buffer.Buffer.buffer(json), Call.class)).isEqualTo(expected);
    assertThat(MesosJson.fromJsonObject(new io.vertx.core.json.JsonObject(json), Call.class)).isEqualTo(expected);
    assertThat(MesosJson.toJsonObject(expected).getJsonObject("revive").getJsonArray("roles").getString(0))
        .isEqualTo("etl");
  }
}
