package orrery.agent;

import java.util.UUID;
import orrery.agent.core.Ids;
import orrery.agent.core.Uuids;
import orrery.protocol.mesos.ContainerId;

/** Random (version 4) uuids for status updates and containers. */
final class RandomIds implements Ids {

  @Override
  public byte[] statusUuid() {
    return Uuids.toBytes(UUID.randomUUID());
  }

  @Override
  public ContainerId containerId() {
    return ContainerId.of(UUID.randomUUID().toString());
  }
}
