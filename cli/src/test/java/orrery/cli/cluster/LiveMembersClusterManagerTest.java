package orrery.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.spi.cluster.RegistrationInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiveMembersClusterManagerTest {

  @Test
  void registrationsOfMembersThatLeftAreNeverRoutedTo() {
    RegistrationInfo deadLeader = new RegistrationInfo("registry-1", 1, false);
    RegistrationInfo standby = new RegistrationInfo("registry-2", 1, false);
    RegistrationInfo local = new RegistrationInfo("offers-1", 7, true);

    assertThat(LiveMembersClusterManager.onLiveMembers(List.of(deadLeader, standby, local),
        List.of("registry-2", "offers-1"))).containsExactly(standby, local);
    assertThat(LiveMembersClusterManager.onLiveMembers(List.of(deadLeader), List.of("registry-2"))).isEmpty();
  }
}
