package orrery.agent.process;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LaunchMechanismTest {

  @Test
  void vforkOnLinuxFromJava17To24Only() {
    assertThat(LaunchMechanism.preferred("Linux", 17, null)).isEqualTo("VFORK");
    assertThat(LaunchMechanism.preferred("Linux", 24, null)).isEqualTo("VFORK");
    assertThat(LaunchMechanism.preferred("Linux", 25, null)).as("deprecated there, removed after").isNull();
    assertThat(LaunchMechanism.preferred("Mac OS X", 17, null)).isNull();
  }

  @Test
  void aMechanismSetByTheOperatorStands() {
    assertThat(LaunchMechanism.preferred("Linux", 17, "POSIX_SPAWN")).isNull();
    assertThat(LaunchMechanism.preferred("Linux", 17, "FORK")).isNull();
  }
}
