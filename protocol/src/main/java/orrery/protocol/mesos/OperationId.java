package orrery.protocol.mesos;

import orrery.protocol.json.Fields;

/** A Mesos `OperationID`, set by frameworks that want feedback on offer operations. */
public record OperationId(String value) {

  public OperationId {
    Fields.requiredText(value, "value");
  }
}
