package orrery.e2e;

import java.util.List;
import orrery.protocol.mesos.CommandInfo;
import orrery.protocol.mesos.Offer;
import orrery.protocol.mesos.Resource;
import orrery.protocol.mesos.TaskId;
import orrery.protocol.mesos.TaskInfo;
import orrery.protocol.resources.Resources;

/** Task infos as a framework builds them from an offer. */
final class Tasks {

  private Tasks() {}

  static TaskInfo shell(String id, Offer offer, String command, double cpus, double mem) {
    String role = offer.allocationInfo() == null ? null : offer.allocationInfo().role();
    List<Resource> resources = Resources.cpusMem(cpus, mem).toList(role);
    return TaskInfo.command(id, TaskId.of(id), offer.agentId(), resources, CommandInfo.shell(command));
  }
}
