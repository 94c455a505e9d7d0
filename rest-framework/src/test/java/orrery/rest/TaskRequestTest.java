package orrery.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import orrery.protocol.json.ProtocolException;
import org.junit.jupiter.api.Test;

class TaskRequestTest {

  private static TaskRequest read(String json) {
    return TaskRequest.fromJson(new JsonObject(json));
  }

  private static void refused(String json, String field) {
    assertThatThrownBy(() -> read(json)).isInstanceOf(ProtocolException.class)
        .extracting(e -> ((ProtocolException) e).field()).isEqualTo(field);
  }

  @Test
  void defaultsAndFields() {
    TaskRequest minimal = read("{\"cmd\": \"true\"}");
    assertThat(minimal.cpus()).isEqualTo(0.1);
    assertThat(minimal.mem()).isEqualTo(32);
    assertThat(minimal.name()).isNull();
    assertThat(minimal.image()).isNull();
    assertThat(read("{\"cmd\": \"x\", \"image\": \"busybox:1.36\"}").image()).isEqualTo("busybox:1.36");
    TaskRequest full = read("{\"cmd\": \"x\", \"cpus\": 2, \"mem\": 64.5, \"name\": \"n-1\", \"env\": {\"A\": \"b\"}}");
    assertThat(full.cpus()).isEqualTo(2);
    assertThat(full.mem()).isEqualTo(64.5);
    assertThat(full.env()).containsEntry("A", "b");
  }

  @Test
  void writtenAndReadBackItIsTheSameRequest() {
    TaskRequest full = read("{\"cmd\": \"x\", \"cpus\": 2, \"mem\": 64.5, \"name\": \"n-1\", \"env\": {\"A\": \"b\"}, "
        + "\"image\": \"busybox:1.36\"}");
    assertThat(TaskRequest.fromJson(full.toJson())).isEqualTo(full);
    TaskRequest minimal = read("{\"cmd\": \"true\"}");
    assertThat(minimal.toJson()).isEqualTo(new JsonObject("{\"cmd\": \"true\", \"cpus\": 0.1, \"mem\": 32.0}"));
    assertThat(TaskRequest.fromJson(minimal.toJson())).isEqualTo(minimal);
  }

  @Test
  void eachBadFieldIsNamed() {
    refused("{}", "cmd");
    refused("{\"cmd\": \"  \"}", "cmd");
    refused("{\"cmd\": 5}", "cmd");
    refused("{\"cmd\": \"x\", \"cpus\": 0}", "cpus");
    refused("{\"cmd\": \"x\", \"cpus\": \"1\"}", "cpus");
    refused("{\"cmd\": \"x\", \"mem\": -3}", "mem");
    refused("{\"cmd\": \"x\", \"name\": \"has space\"}", "name");
    refused("{\"cmd\": \"x\", \"env\": [\"A=b\"]}", "env");
    refused("{\"cmd\": \"x\", \"env\": {\"A\": true}}", "env.A");
    refused("{\"cmd\": \"x\", \"image\": \"\"}", "image");
    refused("{\"cmd\": \"x\", \"image\": 7}", "image");
    refused("{\"cmd\": \"x\", \"colour\": \"red\"}", "colour");
  }
}
