package orrery.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CpSessionsTest {

  @Test
  void theSessionsOfMembersThatLeftAreClosedAndNoOthers() {
    Map<Long, String> memberBySession = new LinkedHashMap<>();
    memberBySession.put(1L, "10.0.0.1:5701"); // the registry that leads
    memberBySession.put(2L, "10.0.0.2:5701"); // its standby, waiting for the lock
    memberBySession.put(3L, "10.0.0.3:5701"); // the allocator that leads, killed
    memberBySession.put(4L, "10.0.0.3:5701"); // an older session of the same member
    assertThat(CpSessions.ofMembersGone(memberBySession, List.of("10.0.0.1:5701", "10.0.0.2:5701", "10.0.0.4:5701")))
        .containsExactly(3L, 4L);
    assertThat(CpSessions.ofMembersGone(memberBySession, List.of("10.0.0.1:5701", "10.0.0.2:5701", "10.0.0.3:5701")))
        .isEmpty();
    assertThat(CpSessions.ofMembersGone(Map.of(), List.of("10.0.0.1:5701"))).isEmpty();
  }
}
