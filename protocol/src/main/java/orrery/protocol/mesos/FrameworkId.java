package orrery.protocol.mesos;

import orrery.protocol.json.Fields;

/** A Mesos `FrameworkID`: `{"value": "..."}` on the wire. */
public record FrameworkId(String value) implements Comparable<FrameworkId> {

  public FrameworkId {
    Fields.requiredText(value, "value");
  }

  public static FrameworkId of(String value) {
    return new FrameworkId(value);
  }

  @Override
  public int compareTo(FrameworkId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
