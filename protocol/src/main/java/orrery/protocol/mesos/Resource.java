package orrery.protocol.mesos;

import orrery.protocol.json.Fields;
import orrery.protocol.json.ProtocolException;

/**
 * One Mesos {@code Resource} as it travels on the wire. Arithmetic happens on
 * {@link orrery.protocol.resources.Resources}, never on this record.
 *
 * <p>Only unreserved resources exist in Orrery so far: {@code role} may be absent or {@code "*"}.
 */
public record Resource(
    String name,
    Value.Type type,
    Value.Scalar scalar,
    Value.Ranges ranges,
    Value.Set set,
    String role,
    AllocationInfo allocationInfo) {

  public static final String UNRESERVED = "*";

  public Resource {
    Fields.requiredText(name, "name");
    Fields.required(type, "type");
    switch (type) {
      case SCALAR -> {
        Fields.required(scalar, "scalar");
        if (scalar.value() < 0) {
          throw ProtocolException.invalid("scalar.value", "must not be negative, was " + scalar.value());
        }
      }
      case RANGES -> Fields.required(ranges, "ranges");
      case SET -> Fields.required(set, "set");
      case TEXT -> throw ProtocolException.invalid("type", "TEXT is not a resource type");
    }
    if (role != null && !role.equals(UNRESERVED)) {
      throw ProtocolException.invalid("role", "'" + role + "' is a reservation; only unreserved ('*') resources "
          + "exist in this cluster");
    }
  }

  /** Which role a resource was allocated to, as the master marks offered resources for MULTI_ROLE frameworks. */
  public record AllocationInfo(String role) {}

  public static Resource scalar(String name, double value) {
    return new Resource(name, Value.Type.SCALAR, new Value.Scalar(value), null, null, null, null);
  }

  public Resource withAllocationRole(String allocationRole) {
    return new Resource(name, type, scalar, ranges, set, UNRESERVED,
        allocationRole == null ? null : new AllocationInfo(allocationRole));
  }
}
