package orrery.protocol.json;

/**
 * A message that does not follow the protocol. It always names the offending field (a dotted path such as
 * {@code accept.operations[0].launch.task_infos[1].task_id}) and says what is wrong with it, so that the
 * caller can answer with a message a framework author can act on.
 */
public final class ProtocolException extends IllegalArgumentException {

  private final String field;
  private final String reason;

  public ProtocolException(String field, String reason) {
    super(field.isEmpty() ? reason : "'" + field + "' " + reason);
    this.field = field;
    this.reason = reason;
  }

  public static ProtocolException missing(String field) {
    return new ProtocolException(field, "is required");
  }

  public static ProtocolException invalid(String field, String reason) {
    return new ProtocolException(field, reason);
  }

  /** The same problem seen from a parent message: {@code task_id} inside {@code task_infos[1]}. */
  public ProtocolException within(String parentPath) {
    if (parentPath == null || parentPath.isEmpty()) {
      return this;
    }
    return new ProtocolException(field.isEmpty() ? parentPath : parentPath + "." + field, reason);
  }

  public String field() {
    return field;
  }

  public String reason() {
    return reason;
  }
}
