package orrery.protocol.scheduler;

import static orrery.protocol.json.JsonTrees.assertSameJson;
import static orrery.protocol.json.JsonTrees.tree;
import static orrery.protocol.json.JsonTrees.written;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.charset.StandardCharsets;
import orrery.protocol.json.MesosJson;
import orrery.protocol.mesos.AgentId;
import orrery.protocol.mesos.Attribute;
import orrery.protocol.mesos.ExecutorId;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.mesos.Offer;
import orrery.protocol.mesos.OfferId;
import orrery.protocol.mesos.TaskId;
import orrery.protocol.mesos.TaskState;
import orrery.protocol.mesos.TaskStatus;
import orrery.protocol.mesos.Value;
import orrery.protocol.resources.Ranges;
import orrery.protocol.resources.Resources;
import org.junit.jupiter.api.Test;

/**
 * Events as a Mesos master sends them (scheduler.proto shapes; OFFERS nests its list in a message). Existing
 * framework libraries parse exactly these trees, so what Orrery writes must equal them.
 */
class EventJsonTest {

  private static Event readAndRewrite(String json) {
    Event event = MesosJson.read(json, Event.class);
    assertSameJson(written(event), tree(json));
    return event;
  }

  @Test
  void subscribedWithMasterInfo() {
    Event event = readAndRewrite("""
        {
          "type": "SUBSCRIBED",
          "subscribed": {
            "framework_id": {"value": "fw-7"},
            "heartbeat_interval_seconds": 15.0,
            "master_info": {
              "id": "master-0001",
              "ip": 16777343,
              "port": 5050,
              "hostname": "localhost",
              "version": "1.11.0",
              "address": {"hostname": "localhost", "ip": "127.0.0.1", "port": 5050}
            }
          }
        }
        """);

    assertThat(event.type()).isEqualTo(Event.Type.SUBSCRIBED);
    assertThat(event.subscribed().frameworkId()).isEqualTo(FrameworkId.of("fw-7"));
    assertThat(event.subscribed().heartbeatIntervalSeconds()).isEqualTo(15.0);
    // ip is IPv4 as a little-endian uint32: 127.0.0.1 = 127 + 1 * 2^24 = 16777343
    assertThat(event.subscribed().masterInfo().ip()).isEqualTo(127L + (1L << 24));
    assertThat(event.subscribed().masterInfo().port()).isEqualTo(5050);
    assertThat(event.subscribed().masterInfo().address().ip()).isEqualTo("127.0.0.1");
  }

  @Test
  void offersNestTheirListInAMessage() {
    Event event = readAndRewrite("""
        {
          "type": "OFFERS",
          "offers": {
            "offers": [{
              "id": {"value": "fw-7-O-17"},
              "framework_id": {"value": "fw-7"},
              "agent_id": {"value": "agent-S4"},
              "hostname": "agent-4.example.org",
              "url": {
                "scheme": "http",
                "address": {"hostname": "agent-4.example.org", "ip": "10.0.0.4", "port": 5051},
                "path": "/slave(1)"
              },
              "allocation_info": {"role": "analytics"},
              "resources": [
                {"name": "cpus", "type": "SCALAR", "scalar": {"value": 4}, "role": "*",
                 "allocation_info": {"role": "analytics"}},
                {"name": "mem", "type": "SCALAR", "scalar": {"value": 8192}, "role": "*",
                 "allocation_info": {"role": "analytics"}},
                {"name": "ports", "type": "RANGES",
                 "ranges": {"range": [{"begin": 31000, "end": 31099}, {"begin": 31200, "end": 32000}]},
                 "role": "*", "allocation_info": {"role": "analytics"}},
                {"name": "disks", "type": "SET", "set": {"item": ["ssd0", "ssd1"]}, "role": "*",
                 "allocation_info": {"role": "analytics"}}
              ],
              "attributes": [
                {"name": "rack", "type": "TEXT", "text": {"value": "r7"}},
                {"name": "level", "type": "SCALAR", "scalar": {"value": 3}}
              ],
              "executor_ids": [{"value": "exec-1"}]
            }]
          }
        }
        """);

    assertThat(event.offers().offers()).hasSize(1);
    Offer offer = event.offers().offers().get(0);
    assertThat(offer.id()).isEqualTo(OfferId.of("fw-7-O-17"));
    assertThat(offer.frameworkId()).isEqualTo(FrameworkId.of("fw-7"));
    assertThat(offer.agentId()).isEqualTo(AgentId.of("agent-S4"));
    assertThat(offer.hostname()).isEqualTo("agent-4.example.org");
    assertThat(offer.url().address().port()).isEqualTo(5051);
    assertThat(offer.url().path()).isEqualTo("/slave(1)");
    assertThat(offer.allocationInfo().role()).isEqualTo("analytics");
    Resources offered = Resources.of(offer.resources());
    assertThat(offered.scalar("cpus")).isEqualTo(4.0);
    assertThat(offered.scalar("mem")).isEqualTo(8192.0);
    assertThat(offered.ranges("ports")).isEqualTo(Ranges.of(31000, 31099).union(Ranges.of(31200, 32000)));
    // 31099 - 31000 + 1 = 100 ports, plus 32000 - 31200 + 1 = 801
    assertThat(offered.ranges("ports").size()).isEqualTo(901);
    assertThat(offered.set("disks")).containsExactly("ssd0", "ssd1");
    assertThat(offer.attributes()).extracting(Attribute::name, Attribute::type)
        .containsExactly(tuple("rack", Value.Type.TEXT),
            tuple("level", Value.Type.SCALAR));
    assertThat(offer.executorIds()).containsExactly(ExecutorId.of("exec-1"));
  }

  @Test
  void rescindNamesTheOffer() {
    Event event = readAndRewrite("""
        {"type": "RESCIND", "rescind": {"offer_id": {"value": "fw-7-O-17"}}}
        """);

    assertThat(event.rescind().offerId()).isEqualTo(OfferId.of("fw-7-O-17"));
  }

  @Test
  void updateCarriesAStatusWithBase64UuidAndData() {
    Event event = readAndRewrite("""
        {
          "type": "UPDATE",
          "update": {
            "status": {
              "task_id": {"value": "etl-shard-3.a1b2"},
              "state": "TASK_RUNNING",
              "source": "SOURCE_EXECUTOR",
              "message": "started",
              "agent_id": {"value": "agent-S4"},
              "executor_id": {"value": "etl-shard-3.a1b2"},
              "timestamp": 1718000000.25,
              "uuid": "++++Pn0aTCufPgobLD3+/w==",
              "data": "eyJwcm9ncmVzcyI6MC41fQ==",
              "healthy": true,
              "container_status": {"network_infos": [{"ip_addresses": [{"ip_address": "10.0.0.4"}]}]}
            }
          }
        }
        """);

    TaskStatus status = event.update().status();
    assertThat(status.taskId()).isEqualTo(TaskId.of("etl-shard-3.a1b2"));
    assertThat(status.state()).isEqualTo(TaskState.TASK_RUNNING);
    assertThat(status.source()).isEqualTo(TaskStatus.Source.SOURCE_EXECUTOR);
    assertThat(status.message()).isEqualTo("started");
    assertThat(status.timestamp()).isEqualTo(1718000000.25);
    // "++++" decodes to 0xfb 0xef 0xbe: the first three bytes of uuid fbefbe3e-...
    assertThat(status.uuid()).hasSize(16).startsWith((byte) 0xfb, (byte) 0xef, (byte) 0xbe, (byte) 0x3e);
    assertThat(new String(status.data(), StandardCharsets.UTF_8)).isEqualTo("{\"progress\":0.5}");
    assertThat(status.healthy()).isTrue();
    assertThat(status.containerStatus().at("/network_infos/0/ip_addresses/0/ip_address").asText())
        .isEqualTo("10.0.0.4");
  }

  @Test
  void reconciliationUpdateFromTheMasterHasNoUuid() {
    // Updates without uuid must not be acknowledged; the field is absent, not empty.
    Event event = readAndRewrite("""
        {
          "type": "UPDATE",
          "update": {
            "status": {
              "task_id": {"value": "etl-shard-4.c3d4"},
              "state": "TASK_LOST",
              "source": "SOURCE_MASTER",
              "reason": "REASON_RECONCILIATION",
              "message": "Reconciliation: Task is unknown"
            }
          }
        }
        """);

    assertThat(event.update().status().uuid()).isNull();
    assertThat(event.update().status().reason()).isEqualTo(TaskStatus.Reason.REASON_RECONCILIATION);
    assertThat(event.update().status().state().isTerminal()).isTrue();
  }

  @Test
  void heartbeatIsOnlyItsType() {
    Event event = readAndRewrite("""
        {"type": "HEARTBEAT"}
        """);

    assertThat(event).isEqualTo(Event.heartbeat());
  }

  @Test
  void errorCarriesAMessage() {
    Event event = readAndRewrite("""
        {"type": "ERROR", "error": {"message": "Framework has been removed"}}
        """);

    assertThat(event.error().message()).isEqualTo("Framework has been removed");
  }

  @Test
  void failureAndMessageEvents() {
    Event failure = readAndRewrite("""
        {"type": "FAILURE", "failure": {"agent_id": {"value": "agent-S4"}, "executor_id": {"value": "exec-1"},
                                        "status": 137}}
        """);
    Event message = readAndRewrite("""
        {"type": "MESSAGE", "message": {"agent_id": {"value": "agent-S4"}, "executor_id": {"value": "exec-1"},
                                        "data": "cGluZw=="}}
        """);

    assertThat(failure.failure().status()).isEqualTo(137);
    assertThat(new String(message.message().data(), StandardCharsets.UTF_8)).isEqualTo("ping");
  }
}
