package orrery.protocol.mesos;

import orrery.protocol.json.Fields;

/** A Mesos `AgentID`: `{"value": "..."}` on the wire. */
public record AgentId(String value) implements Comparable<AgentId> {

  public AgentId {
    Fields.requiredText(value, "value");
  }

  public static AgentId of(String value) {
    return new AgentId(value);
  }

  @Override
  public int compareTo(AgentId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
