package orrery.protocol.mesos;

import orrery.protocol.json.Fields;

/** A Mesos `ExecutorID`: `{"value": "..."}` on the wire. */
public record ExecutorId(String value) implements Comparable<ExecutorId> {

  public ExecutorId {
    Fields.requiredText(value, "value");
  }

  public static ExecutorId of(String value) {
    return new ExecutorId(value);
  }

  @Override
  public int compareTo(ExecutorId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
