package orrery.cli.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.cp.lock.FencedLock;
import com.hazelcast.cp.lock.exception.LockOwnershipLostException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Active/standby for a role of which one replica may act at a time: every replica waits for the role's Hazelcast
 * {@code FencedLock}; the one that holds it leads, with the lock's fencing token, until it dies (the lock is then
 * released and the next replica gets it, with a higher token). The registry, the allocator and the offer broker are
 * such roles: a new one rebuilds its state from the registry store, the agents' re-registration and the gateways'
 * framework connections.
 *
 * <p>A leader can also lose the lock while it runs: its session expires when its heartbeats stop for longer than the
 * session's time to live (a long pause, or cut off from the CP subsystem), is closed once the cluster has removed it
 * ({@link CpSessions}), or is lost with the member that kept it (without the CP subsystem). Another replica then
 * leads; the one that lost the lock must stop acting at once, as a Mesos master that loses its ZooKeeper leadership
 * aborts. {@link #held()} tells; it is asked on the thread that took the lock.
 */
final class Leadership {

  private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);

  private final FencedLock lock;
  private final long sessionTtlMillis;
  private volatile LeaderTenure tenure;

  Leadership(HazelcastInstance hazelcast, String role) {
    this.lock = hazelcast.getCPSubsystem().getLock("orrery-leader-" + role);
    this.sessionTtlMillis = hazelcast.getConfig().getCPSubsystemConfig().getSessionTimeToLiveSeconds() * 1_000L;
  }

  /** Blocks until this member leads; returns its fencing token. Not for an event loop. */
  long await() {
    long fence = lock.lockAndGetFence();
    tenure = new LeaderTenure(sessionTtlMillis, nowMillis());
    return fence;
  }

  /**
   * Whether this member still leads. A lock lost that no other replica has taken meanwhile is taken again at once:
   * without the CP subsystem a session is now and then lost in Hazelcast's partition moves when another member dies,
   * and nobody else leads then. When nobody can say whose the lock is, {@link LeaderTenure} decides.
   */
  boolean held() {
    try {
      if (lock.isLockedByCurrentThread()) {
        return tenure.held(nowMillis());
      }
    } catch (LockOwnershipLostException lost) {
      LOG.warn("the leader lock {} is lost: {}", lock.getName(), lost.getMessage());
    } catch (RuntimeException unanswered) {
      boolean leadOn = tenure.unknown(nowMillis());
      LOG.warn("could not tell whether this member still holds the leader lock {} ({}); {}", lock.getName(),
          unanswered.toString(), leadOn ? "leading on while its session may live"
              : "stepping down: unanswered for longer than a session lives");
      return leadOn;
    }
    try {
      if (lock.tryLock()) {
        RoleOutput.announce("orrery: the leader lock " + lock.getName() + " was lost and taken again (nobody else "
            + "held it)");
        return tenure.held(nowMillis());
      }
      return false;
    } catch (RuntimeException unanswered) {
      LOG.warn("could not take the leader lock {} again: {}", lock.getName(), unanswered.toString());
      return false;
    }
  }

  /**
   * Whether this member has gone too long without finding the lock its own to lead on, whether or not a check is
   * under way (one can block while the CP subsystem is out of reach). False before it leads.
   */
  boolean overdue() {
    LeaderTenure current = tenure;
    return current != null && current.overdue(nowMillis());
  }

  private static long nowMillis() {
    return System.nanoTime() / 1_000_000;
  }
}
