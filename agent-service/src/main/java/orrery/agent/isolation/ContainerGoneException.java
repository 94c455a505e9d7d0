package orrery.agent.isolation;

import java.io.IOException;
import orrery.protocol.mesos.ContainerId;

/**
 * A container's cgroup was not there to be read: removed before the read, or during it (the kernel then answers a
 * read of one of its files with "No such device"). Unlike other I/O errors, this says nothing is wrong with the
 * machine; whether it is expected depends on who removed the cgroup, which only the caller knows.
 */
public final class ContainerGoneException extends IOException {

  private final transient ContainerId container;

  public ContainerGoneException(ContainerId container, String cgroup, Throwable cause) {
    super("the cgroup " + cgroup + " of container " + container.value() + " is gone", cause);
    this.container = container;
  }

  public ContainerId container() {
    return container;
  }
}
