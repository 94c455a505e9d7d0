package orrery.registry.core;

import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.mesos.TaskStatus;

/** A status update the master itself sends a framework (no uuid: it is not acknowledged). */
public record Notice(FrameworkId frameworkId, TaskStatus status) {}
