package orrery.agent.core;

import orrery.protocol.mesos.ContainerId;

/** The agent's source of fresh identifiers, passed in so that tests can predict them. */
public interface Ids {

  /** A fresh 16-byte uuid for one status update. */
  byte[] statusUuid();

  /** A fresh id for one run of a task. */
  ContainerId containerId();
}
