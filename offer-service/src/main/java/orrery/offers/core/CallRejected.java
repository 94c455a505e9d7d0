package orrery.offers.core;

import orrery.protocol.bus.FailureCodes;

/** A call that must be refused as a whole, with an HTTP-like code (400 bad call, 403 wrong connection). */
public final class CallRejected extends RuntimeException {

  private final int code;

  public CallRejected(int code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public static CallRejected badRequest(String message) {
    return new CallRejected(FailureCodes.BAD_REQUEST, message);
  }

  public static CallRejected forbidden(String message) {
    return new CallRejected(FailureCodes.FORBIDDEN, message);
  }

  public int code() {
    return code;
  }
}
