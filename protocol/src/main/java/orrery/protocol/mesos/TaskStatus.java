package orrery.protocol.mesos;

import com.fasterxml.jackson.databind.JsonNode;
import orrery.protocol.json.Fields;
import orrery.protocol.mesos.Durations.TimeInfo;

/**
 * A task's state at one moment. Updates that carry a {@code uuid} come from an agent and must be acknowledged;
 * updates without one come from the master (reconciliation, invalid launches) and must not be.
 */
public record TaskStatus(
    TaskId taskId,
    TaskState state,
    String message,
    Source source,
    Reason reason,
    byte[] data,
    AgentId agentId,
    ExecutorId executorId,
    Double timestamp,
    byte[] uuid,
    Boolean healthy,
    JsonNode checkStatus,
    Labels labels,
    JsonNode containerStatus,
    TimeInfo unreachableTime,
    JsonNode limitation) {

  public TaskStatus {
    Fields.required(taskId, "task_id");
    Fields.required(state, "state");
  }

  public static Builder builder(TaskId taskId, TaskState state) {
    return new Builder(taskId, state);
  }

  public Builder toBuilder() {
    Builder b = new Builder(taskId, state);
    b.message = message;
    b.source = source;
    b.reason = reason;
    b.data = data;
    b.agentId = agentId;
    b.executorId = executorId;
    b.timestamp = timestamp;
    b.uuid = uuid;
    b.healthy = healthy;
    b.labels = labels;
    b.unreachableTime = unreachableTime;
    return b;
  }

  public enum Source { SOURCE_MASTER, SOURCE_AGENT, SOURCE_EXECUTOR }

  public enum Reason {
    REASON_COMMAND_EXECUTOR_FAILED,
    REASON_CONTAINER_LAUNCH_FAILED,
    REASON_CONTAINER_LIMITATION,
    REASON_CONTAINER_LIMITATION_DISK,
    REASON_CONTAINER_LIMITATION_MEMORY,
    REASON_CONTAINER_PREEMPTED,
    REASON_CONTAINER_UPDATE_FAILED,
    REASON_MAX_COMPLETION_TIME_REACHED,
    REASON_EXECUTOR_REGISTRATION_TIMEOUT,
    REASON_EXECUTOR_REREGISTRATION_TIMEOUT,
    REASON_EXECUTOR_TERMINATED,
    REASON_EXECUTOR_UNREGISTERED,
    REASON_FRAMEWORK_REMOVED,
    REASON_GC_ERROR,
    REASON_INVALID_FRAMEWORKID,
    REASON_INVALID_OFFERS,
    REASON_IO_SWITCHBOARD_EXITED,
    REASON_MASTER_DISCONNECTED,
    REASON_RECONCILIATION,
    REASON_RESOURCES_UNKNOWN,
    REASON_AGENT_DISCONNECTED,
    REASON_AGENT_DRAINING,
    REASON_AGENT_REMOVED,
    REASON_AGENT_REMOVED_BY_OPERATOR,
    REASON_AGENT_REREGISTERED,
    REASON_AGENT_RESTARTED,
    REASON_AGENT_UNKNOWN,
    REASON_TASK_KILLED_DURING_LAUNCH,
    REASON_TASK_CHECK_STATUS_UPDATED,
    REASON_TASK_HEALTH_CHECK_STATUS_UPDATED,
    REASON_TASK_GROUP_INVALID,
    REASON_TASK_GROUP_UNAUTHORIZED,
    REASON_TASK_INVALID,
    REASON_TASK_UNAUTHORIZED,
    REASON_TASK_UNKNOWN
  }

  /** Builds statuses in code; the JSON form is read directly into the record. */
  public static final class Builder {
    private final TaskId taskId;
    private final TaskState state;
    private String message;
    private Source source;
    private Reason reason;
    private byte[] data;
    private AgentId agentId;
    private ExecutorId executorId;
    private Double timestamp;
    private byte[] uuid;
    private Boolean healthy;
    private Labels labels;
    private TimeInfo unreachableTime;

    private Builder(TaskId taskId, TaskState state) {
      this.taskId = taskId;
      this.state = state;
    }

    public Builder message(String value) {
      this.message = value;
      return this;
    }

    public Builder source(Source value) {
      this.source = value;
      return this;
    }

    public Builder reason(Reason value) {
      this.reason = value;
      return this;
    }

    public Builder data(byte[] value) {
      this.data = value;
      return this;
    }

    public Builder agentId(AgentId value) {
      this.agentId = value;
      return this;
    }

    public Builder executorId(ExecutorId value) {
      this.executorId = value;
      return this;
    }

    /** Seconds since the epoch, as Mesos sends it. */
    public Builder timestampMillis(long epochMillis) {
      this.timestamp = epochMillis / 1000.0;
      return this;
    }

    public Builder uuid(byte[] value) {
      this.uuid = value;
      return this;
    }

    public Builder healthy(Boolean value) {
      this.healthy = value;
      return this;
    }

    public Builder labels(Labels value) {
      this.labels = value;
      return this;
    }

    /** When the task's agent became unreachable, as Mesos reports it on TASK_UNREACHABLE. */
    public Builder unreachableTimeMillis(long epochMillis) {
      this.unreachableTime = new TimeInfo(epochMillis * 1_000_000);
      return this;
    }

    public TaskStatus build() {
      return new TaskStatus(taskId, state, message, source, reason, data, agentId, executorId, timestamp, uuid,
          healthy, null, labels, null, unreachableTime, null);
    }
  }
}
