package orrery.cli.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.cp.lock.FencedLock;

/**
 * Active/standby for a role of which one replica may act at a time: every replica waits for the role's Hazelcast
 * {@code FencedLock}; the one that holds it leads, with the lock's fencing token, until it dies (the lock is then
 * released and the next replica gets it, with a higher token). The registry, the allocator and the offer broker are
 * such roles: a new one rebuilds its state from the registry store, the agents' re-registration and the gateways'
 * framework connections.
 *
 * <p>A leader can also lose the lock while it runs: its session expires when its heartbeats stop for longer than the
 * session's time to live (a long pause), or is lost with the member that kept it (without the CP subsystem). Another
 * replica then leads; the one that lost the lock must stop acting at once, as a Mesos master that loses its
 * ZooKeeper leadership aborts. {@link #held()} tells; it is asked on the thread that took the lock.
 */
final class Leadership {

  private final FencedLock lock;

  Leadership(HazelcastInstance hazelcast, String role) {
    this.lock = hazelcast.getCPSubsystem().getLock("orrery-leader-" + role);
  }

  /** Blocks until this member leads; returns its fencing token. Not for an event loop. */
  long await() {
    return lock.lockAndGetFence();
  }

  /**
   * Whether this member still holds the lock. A lock lost that no other replica has taken meanwhile is taken again at
   * once: without the CP subsystem a session is now and then lost in Hazelcast's partition moves when another member
   * dies, and nobody else leads then. False when another replica leads, or when that cannot be known.
   */
  boolean held() {
    try {
      if (lock.isLockedByCurrentThread()) {
        return true;
      }
      boolean retaken = lock.tryLock();
      if (retaken) {
        RoleOutput.announce("orrery: the leader lock " + lock.getName() + " was lost and taken again (nobody else "
            + "held it)");
      }
      return retaken;
    } catch (RuntimeException sessionLost) {
      return false;
    }
  }
}
