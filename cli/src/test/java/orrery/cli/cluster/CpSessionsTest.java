package orrery.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import orrery.cli.cluster.CpSessions.Session;
import org.junit.jupiter.api.Test;

class CpSessionsTest {

  private static final long TTL = 6_000;
  private static final long HEARTBEAT = 1_000;
  private static final long NOW = 100_000;

  /** A session last heartbeated {@code agoMillis} before now. */
  private static Session<String> heartbeated(long id, String member, long agoMillis) {
    return new Session<>(id, member, NOW - agoMillis + TTL);
  }

  @Test
  void aSessionIsClosedOnceItsMemberHasLeftAndItHasMissedTwoHeartbeats() {
    List<Session<String>> sessions = List.of(
        heartbeated(1, "10.0.0.1:5701", 300),    // the registry that leads
        heartbeated(2, "10.0.0.2:5701", 800),    // its standby, waiting for the lock
        heartbeated(3, "10.0.0.3:5701", 2_000),  // the allocator that leads, killed 2 s ago
        heartbeated(4, "10.0.0.3:5701", 5_500),  // an older session of the same member
        heartbeated(5, "10.0.0.5:5701", 1_500)); // an offer broker killed 1.5 s ago: one heartbeat missed
    List<String> members = List.of("10.0.0.1:5701", "10.0.0.2:5701", "10.0.0.4:5701");
    assertThat(CpSessions.toClose(sessions, members, NOW, TTL, HEARTBEAT)).extracting(Session::id)
        .containsExactly(3L, 4L);
  }

  @Test
  void aMemberThatListsTooFewMembersClosesNoSessionThatStillHeartbeats() {
    // Just merged back from its own side of a split, this member lists only itself: the others are alive and their
    // sessions heartbeat to the CP subsystem.
    List<Session<String>> sessions = List.of(heartbeated(7, "10.0.0.1:5701", 400),
        heartbeated(8, "10.0.0.2:5701", 900), heartbeated(9, "10.0.0.3:5701", 100));
    assertThat(CpSessions.toClose(sessions, List.of("10.0.0.6:5701"), NOW, TTL, HEARTBEAT)).isEmpty();
  }

  @Test
  void aMemberStillListedKeepsItsSessionsHoweverStale() {
    // Restarted at the address of one that died: the dead one's session is left to expire.
    List<Session<String>> sessions = List.of(heartbeated(1, "10.0.0.1:5701", 5_000));
    assertThat(CpSessions.toClose(sessions, List.of("10.0.0.1:5701"), NOW, TTL, HEARTBEAT)).isEmpty();
    assertThat(CpSessions.toClose(List.<Session<String>>of(), List.of("10.0.0.1:5701"), NOW, TTL, HEARTBEAT))
        .isEmpty();
  }
}
