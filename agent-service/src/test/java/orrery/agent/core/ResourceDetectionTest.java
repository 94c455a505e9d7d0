package orrery.agent.core;

import static orrery.agent.core.ResourceDetection.GIB;
import static orrery.agent.core.ResourceDetection.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import orrery.protocol.json.ProtocolException;
import orrery.protocol.resources.Resources;
import org.junit.jupiter.api.Test;

class ResourceDetectionTest {

  // 8 cpus, 16 GiB of memory, a 100 GiB disk
  private static final MachineFacts MACHINE = new MachineFacts(8, 16 * GIB, 100 * GIB);

  @Test
  void keepsOneGibibyteOfMemoryFromTwoUpElseHalf() {
    assertThat(ResourceDetection.memoryMegabytes(16 * GIB)).isEqualTo(15 * 1024);   // 16 GiB - 1 GiB
    assertThat(ResourceDetection.memoryMegabytes(2 * GIB)).isEqualTo(1024);         // 2 GiB - 1 GiB
    assertThat(ResourceDetection.memoryMegabytes(2 * GIB - MIB)).isEqualTo(1023);   // 2047 MiB / 2 = 1023.5
    assertThat(ResourceDetection.memoryMegabytes(512 * MIB)).isEqualTo(256);
    assertThat(ResourceDetection.memoryMegabytes(0)).isZero();
  }

  @Test
  void keepsFiveGibibytesOfDiskFromTenUpElseHalf() {
    assertThat(ResourceDetection.diskMegabytes(100 * GIB)).isEqualTo(95 * 1024);
    assertThat(ResourceDetection.diskMegabytes(10 * GIB)).isEqualTo(5 * 1024);
    assertThat(ResourceDetection.diskMegabytes(8 * GIB)).isEqualTo(4 * 1024);
    assertThat(ResourceDetection.diskMegabytes(10 * GIB - 2 * MIB)).isEqualTo(5 * 1024 - 1); // half of 10238 MiB
  }

  @Test
  void detectsEverythingWithoutAFlag() {
    assertThat(ResourceDetection.resolve(null, MACHINE))
        .isEqualTo(Resources.parse("cpus:8;mem:15360;disk:97280;ports:[31000-32000]"));
    assertThat(ResourceDetection.resolve("  ", MACHINE))
        .isEqualTo(Resources.parse("cpus:8;mem:15360;disk:97280;ports:[31000-32000]"));
  }

  @Test
  void fillsWhatTheFlagLeavesOut() {
    assertThat(ResourceDetection.resolve("cpus:2;gpus:1", MACHINE))
        .isEqualTo(Resources.parse("cpus:2;gpus:1;mem:15360;disk:97280;ports:[31000-32000]"));
    assertThat(ResourceDetection.resolve("mem:512;disk:1024;ports:[8000-8010]", MACHINE))
        .isEqualTo(Resources.parse("cpus:8;mem:512;disk:1024;ports:[8000-8010]"));
    assertThat(ResourceDetection.resolve("cpus:0.5;mem:64;disk:10;ports:[1-2];zones:{a,b}", MACHINE))
        .isEqualTo(Resources.parse("cpus:0.5;mem:64;disk:10;ports:[1-2];zones:{a,b}"));
  }

  @Test
  void aBadFlagIsRefusedWithTheProtocolsMessage() {
    assertThatThrownBy(() -> ResourceDetection.resolve("cpus:lots", MACHINE))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("cpus: 'lots' is not a number");
  }

  @Test
  void detectedGpusAreOfferedUnlessTheFlagNamesThem() {
    MachineFacts withGpus = new MachineFacts(8, 16 * GIB, 100 * GIB, 2);
    assertThat(ResourceDetection.resolve(null, withGpus).scalar(Resources.GPUS)).isEqualTo(2.0);
    assertThat(ResourceDetection.resolve("gpus:1", withGpus).scalar(Resources.GPUS)).isEqualTo(1.0);
    assertThat(ResourceDetection.resolve(null, MACHINE).scalarNames()).doesNotContain(Resources.GPUS);
  }
}
