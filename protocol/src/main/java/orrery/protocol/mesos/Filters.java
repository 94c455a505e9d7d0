package orrery.protocol.mesos;

/** Sent with DECLINE and ACCEPT: how long the declined resources should not be offered again. */
public record Filters(Double refuseSeconds) {

  public static final double DEFAULT_REFUSE_SECONDS = 5.0;

  /** Mesos treats an absent, negative or non-numeric value as the default of 5 seconds. */
  public double effectiveRefuseSeconds() {
    if (refuseSeconds == null || refuseSeconds.isNaN() || refuseSeconds < 0) {
      return DEFAULT_REFUSE_SECONDS;
    }
    return refuseSeconds;
  }

  public static double effectiveRefuseSeconds(Filters filters) {
    return filters == null ? DEFAULT_REFUSE_SECONDS : filters.effectiveRefuseSeconds();
  }
}
