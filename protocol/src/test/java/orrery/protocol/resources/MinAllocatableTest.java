package orrery.protocol.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import orrery.protocol.json.ProtocolException;
import orrery.protocol.mesos.FrameworkInfo;
import orrery.protocol.json.MesosJson;
import org.junit.jupiter.api.Test;

class MinAllocatableTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void readsAlternativesPerRole() throws Exception {
    var filters = JSON.readTree("""
        {"ads": {"min_allocatable_resources": {"quantities": [
            {"quantities": {"cpus": {"value": 1}, "mem": {"value": 512}}},
            {"quantities": {"gpus": {"value": 1}}}]}},
         "etl": {}}""");
    assertThat(MinAllocatable.byRole(filters)).isEqualTo(Map.of("ads", List.of(
        Resources.cpusMem(1, 512), Resources.builder().scalar("gpus", 1).build())));
    assertThat(MinAllocatable.byRole(null)).isEmpty();
  }

  @Test
  void malformedFiltersAreRefusedNamingTheField() throws Exception {
    var badValue = JSON.readTree("""
        {"ads": {"min_allocatable_resources": {"quantities": [{"quantities": {"cpus": {"value": "lots"}}}]}}}""");
    assertThatThrownBy(() -> MinAllocatable.byRole(badValue)).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("offer_filters.ads.min_allocatable_resources.quantities[0].quantities.cpus.value");
    var notAList = JSON.readTree("{\"ads\": {\"min_allocatable_resources\": {\"quantities\": 3}}}");
    assertThatThrownBy(() -> MinAllocatable.byRole(notAList))
        .hasMessageContaining("offer_filters.ads.min_allocatable_resources.quantities");
  }

  @Test
  void aSubscribingFrameworkCarriesThemAndBadOnesAreRefusedAtTheDoor() {
    FrameworkInfo info = MesosJson.read("""
        {"user": "u", "name": "n", "offer_filters": {"*": {"min_allocatable_resources":
            {"quantities": [{"quantities": {"cpus": {"value": 2}}}]}}}}""".getBytes(), FrameworkInfo.class);
    assertThat(info.minAllocatableByRole())
        .isEqualTo(Map.of("*", List.of(Resources.builder().scalar("cpus", 2).build())));
    assertThatThrownBy(() -> MesosJson.read("""
        {"user": "u", "name": "n", "offer_filters": []}""".getBytes(), FrameworkInfo.class))
        .hasMessageContaining("offer_filters");
  }
}
