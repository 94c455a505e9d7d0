package orrery.rest;

import orrery.protocol.mesos.AgentId;
import orrery.protocol.mesos.TaskId;
import orrery.protocol.mesos.TaskStatus;

/** A task of the REST framework: queued until an offer fits it, then launched on an agent. */
public record RestTask(TaskId id, TaskRequest request, AgentId agentId, TaskStatus status) {

  public boolean queued() {
    return agentId == null && status == null;
  }

  public boolean ended() {
    return status != null && status.state().isTerminal();
  }

  /** Back in the queue: its launch did not happen after all. */
  RestTask queuedAgain() {
    return new RestTask(id, request, null, null);
  }

  RestTask launchedOn(AgentId agent) {
    return new RestTask(id, request, agent, null);
  }

  RestTask withStatus(TaskStatus newStatus) {
    return new RestTask(id, request, agentId, newStatus);
  }
}
