package orrery.agent.http;

/** A {@code /files} request that cannot be served, with the HTTP status and, when one is to blame, the parameter. */
public final class FileAccessException extends Exception {

  private final int status;
  private final String parameter;

  public FileAccessException(int status, String parameter, String message) {
    super(message);
    this.status = status;
    this.parameter = parameter;
  }

  public int status() {
    return status;
  }

  /** The query parameter at fault, or null. */
  public String parameter() {
    return parameter;
  }
}
