package orrery.sdk;

/** The master refused a call: its HTTP status (or bridge failure code) and message. */
public final class SchedulerCallException extends RuntimeException {

  private final int status;

  public SchedulerCallException(int status, String message) {
    super(status + ": " + message, null, false, false);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
