package orrery.protocol.mesos;

import orrery.protocol.json.Fields;

/** A Mesos `ContainerID`; nested containers name their parent. */
public record ContainerId(String value, ContainerId parent) {

  public ContainerId {
    Fields.requiredText(value, "value");
  }

  public static ContainerId of(String value) {
    return new ContainerId(value, null);
  }

  @Override
  public String toString() {
    return value;
  }
}
