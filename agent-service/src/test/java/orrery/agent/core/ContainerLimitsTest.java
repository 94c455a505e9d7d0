package orrery.agent.core;

import static org.assertj.core.api.Assertions.assertThat;

import orrery.protocol.resources.Resources;
import org.junit.jupiter.api.Test;

class ContainerLimitsTest {

  @Test
  void sharesQuotaAndMemoryFollowTheTasksResources() {
    ContainerLimits limits = ContainerLimits.of(Resources.cpusMem(0.5, 64), true, 100L);
    // 0.5 cpus: 512 shares, 50 ms of every 100 ms; 64 MB = 67108864 bytes.
    assertThat(limits).isEqualTo(new ContainerLimits(512, 50_000L, 67_108_864, 100L));
    // v2: weight 1 + (512 - 2) * 9999 / 262142 = 1 + 19.45 = 20; "50000 100000".
    assertThat(limits.cpuWeight()).isEqualTo(20);
    assertThat(limits.cpuMax()).isEqualTo("50000 100000");
    assertThat(limits.memoryMegabytes()).isEqualTo(64);
  }

  @Test
  void floorsAndDefaults() {
    ContainerLimits tiny = ContainerLimits.of(Resources.cpusMem(0.001, 1), true, null);
    // 0.001 cpus: 1 share is below the kernel's 2; a 100 us quota below its 1 ms; 1 MB below Mesos' 32 MB floor.
    assertThat(tiny).isEqualTo(new ContainerLimits(2, 1_000L, 32L << 20, null));
    assertThat(tiny.cpuWeight()).isEqualTo(1);
    ContainerLimits noQuota = ContainerLimits.of(Resources.cpusMem(1, 128), false, null);
    // one cpu: 1024 shares, weight 1 + 1022 * 9999 / 262142 = 1 + 38.98 = 39; no quota: "max 100000".
    assertThat(noQuota.cfsQuotaMicros()).isNull();
    assertThat(noQuota.cpuWeight()).isEqualTo(39);
    assertThat(noQuota.cpuMax()).isEqualTo("max 100000");
  }
}
