package orrery.protocol.mesos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import orrery.protocol.json.ProtocolException;
import orrery.protocol.mesos.ContainerInfo.Mode;
import orrery.protocol.mesos.ContainerInfo.Network;
import orrery.protocol.mesos.ContainerInfo.PortMapping;
import orrery.protocol.mesos.ContainerInfo.Volume;
import org.junit.jupiter.api.Test;

class ContainerInfoTest {

  private static ContainerInfo parse(String json) throws Exception {
    return ContainerInfo.fromJson(new ObjectMapper().readTree(json));
  }

  @Test
  void readsADockerContainerWithMesosDefaults() throws Exception {
    ContainerInfo plain = parse("{\"type\": \"DOCKER\", \"docker\": {\"image\": \"busybox\"}}");
    assertThat(plain.type()).isEqualTo(ContainerInfo.Type.DOCKER);
    assertThat(plain.docker().image()).isEqualTo("busybox");
    assertThat(plain.docker().network()).isEqualTo(Network.HOST);
    assertThat(plain.docker().forcePullImage()).isFalse();
    assertThat(plain.docker().portMappings()).isEmpty();
    assertThat(plain.volumes()).isEmpty();
    assertThat(ContainerInfo.fromJson(null)).isNull();

    ContainerInfo full = parse("{\"type\": \"DOCKER\", \"hostname\": \"web\", \"docker\": {\"image\": \"nginx:1\","
        + " \"network\": \"BRIDGE\", \"force_pull_image\": true, \"port_mappings\": [{\"host_port\": 31000,"
        + " \"container_port\": 80}, {\"host_port\": 31001, \"container_port\": 53, \"protocol\": \"UDP\"}]},"
        + " \"volumes\": [{\"container_path\": \"/data\", \"host_path\": \"/srv/data\", \"mode\": \"RO\"}]}");
    assertThat(full.docker().forcePullImage()).isTrue();
    assertThat(full.docker().portMappings()).containsExactly(new PortMapping(31000, 80, "tcp"),
        new PortMapping(31001, 53, "udp"));
    assertThat(full.volumes()).containsExactly(new Volume("/data", "/srv/data", Mode.RO));
    assertThat(full.hostname()).isEqualTo("web");

    ContainerInfo user = parse("{\"type\": \"DOCKER\", \"docker\": {\"image\": \"x\", \"network\": \"USER\"},"
        + " \"network_infos\": [{\"name\": \"backend\"}]}");
    assertThat(user.networkNames()).isEqualTo(List.of("backend"));
  }

  @Test
  void refusesMalformedContainersNamingTheField() {
    assertField("{\"docker\": {\"image\": \"x\"}}", "container.type");
    assertField("{\"type\": \"VM\"}", "container.type");
    assertField("{\"type\": \"DOCKER\"}", "container.docker");
    assertField("{\"type\": \"DOCKER\", \"docker\": {\"image\": \"\"}}", "container.docker.image");
    assertField("{\"type\": \"DOCKER\", \"docker\": {\"image\": \"x\", \"network\": \"WIFI\"}}",
        "container.docker.network");
    assertField("{\"type\": \"DOCKER\", \"docker\": {\"image\": \"x\", \"network\": \"BRIDGE\", "
        + "\"port_mappings\": [{\"host_port\": 31000, \"container_port\": 70000}]}}",
        "container.docker.port_mappings[0].container_port");
    assertField("{\"type\": \"DOCKER\", \"docker\": {\"image\": \"x\", "
        + "\"port_mappings\": [{\"host_port\": 31000, \"container_port\": 80}]}}", "container.docker.port_mappings");
    assertField("{\"type\": \"DOCKER\", \"docker\": {\"image\": \"x\", \"force_pull_image\": \"yes\"}}",
        "container.docker.force_pull_image");
    assertField("{\"type\": \"DOCKER\", \"docker\": {\"image\": \"x\", \"network\": \"USER\"}}",
        "container.network_infos");
    assertField("{\"type\": \"DOCKER\", \"docker\": {\"image\": \"x\"}, \"volumes\": [{\"container_path\": \"/d\","
        + " \"host_path\": \"/h\"}]}", "container.volumes[0].mode");
    assertField("{\"type\": \"DOCKER\", \"docker\": {\"image\": \"x\"}, \"volumes\": [{\"container_path\": \"/d\","
        + " \"mode\": \"RW\"}]}", "container.volumes[0].host_path");
    assertField("{\"type\": \"DOCKER\", \"docker\": {\"image\": \"x\", \"colour\": 1}}", "container.docker.colour");
    assertField("{\"type\": \"MESOS\", \"mesos\": {\"image\": {}}}", "container.mesos.image");
  }

  private static void assertField(String json, String field) {
    assertThatThrownBy(() -> parse(json)).isInstanceOf(ProtocolException.class)
        .satisfies(e -> assertThat(((ProtocolException) e).field()).isEqualTo(field));
  }
}
