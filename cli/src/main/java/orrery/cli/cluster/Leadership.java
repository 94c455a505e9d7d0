package orrery.cli.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.cp.lock.FencedLock;

/**
 * Active/standby for a role of which one replica may act at a time: every replica waits for the role's Hazelcast
 * {@code FencedLock}; the one that holds it leads, with the lock's fencing token, until it dies (the lock is then
 * released and the next replica gets it, with a higher token). The registry, the allocator and the offer broker are
 * such roles: a new one rebuilds its state from the registry store, the agents' re-registration and the gateways'
 * framework connections.
 */
final class Leadership {

  private Leadership() {}

  /** Blocks until this member leads {@code role}; returns its fencing token. Not for an event loop. */
  static long await(HazelcastInstance hazelcast, String role) {
    FencedLock lock = hazelcast.getCPSubsystem().getLock("orrery-leader-" + role);
    return lock.lockAndGetFence();
  }
}
