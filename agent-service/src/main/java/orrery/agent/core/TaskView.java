package orrery.agent.core;

import java.nio.file.Path;
import java.util.List;
import orrery.protocol.mesos.ContainerId;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.mesos.Resource;
import orrery.protocol.mesos.TaskId;
import orrery.protocol.mesos.TaskState;

/**
 * One task as the agent's {@code /state} shows it.
 *
 * @param directory the sandbox; null when the task was refused before it had one
 * @param containerId null when the task was refused before it had one
 * @param pid the command's process id; null until it started
 */
public record TaskView(FrameworkId frameworkId, TaskId taskId, String name, TaskState state,
    List<Resource> resources, Path directory, ContainerId containerId, Long pid) {}
