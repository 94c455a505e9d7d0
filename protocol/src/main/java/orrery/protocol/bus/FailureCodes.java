package orrery.protocol.bus;

/** Failure codes of event-bus replies; they follow HTTP so that the gateway can pass them straight on. */
public final class FailureCodes {

  private FailureCodes() {}

  public static final int BAD_REQUEST = 400;
  public static final int FORBIDDEN = 403;
  public static final int NOT_FOUND = 404;
  public static final int CONFLICT = 409;
  public static final int UNAVAILABLE = 503;
}
