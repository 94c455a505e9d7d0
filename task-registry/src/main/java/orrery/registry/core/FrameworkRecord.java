package orrery.registry.core;

import java.util.Objects;
import orrery.protocol.mesos.FrameworkInfo;

/**
 * A framework as the registry keeps it; a removed framework's late status updates are acknowledged for it.
 *
 * @param failoverDeadlineMillis while the framework is disconnected, when it is torn down unless it subscribes again;
 *     null while it is connected
 */
public record FrameworkRecord(FrameworkInfo info, boolean removed, Long failoverDeadlineMillis) {

  public FrameworkRecord {
    Objects.requireNonNull(info.id(), "a recorded framework has an id");
  }
}
