package orrery.agent.core;

import orrery.protocol.mesos.ContainerId;

/** Predictable ids: status uuids 1, 2, 3 ... in the last byte; containers c1, c2 ... */
final class TestIds implements Ids {

  private int uuids;
  private int containers;

  static byte[] uuid(int n) {
    byte[] bytes = new byte[16];
    bytes[14] = (byte) (n >> 8);
    bytes[15] = (byte) n;
    return bytes;
  }

  @Override
  public byte[] statusUuid() {
    return uuid(++uuids);
  }

  @Override
  public ContainerId containerId() {
    return ContainerId.of("c" + ++containers);
  }
}
