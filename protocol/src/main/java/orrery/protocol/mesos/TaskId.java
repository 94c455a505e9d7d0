package orrery.protocol.mesos;

import orrery.protocol.json.Fields;

/** A Mesos `TaskID`: `{"value": "..."}` on the wire. */
public record TaskId(String value) implements Comparable<TaskId> {

  public TaskId {
    Fields.requiredText(value, "value");
  }

  public static TaskId of(String value) {
    return new TaskId(value);
  }

  @Override
  public int compareTo(TaskId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
