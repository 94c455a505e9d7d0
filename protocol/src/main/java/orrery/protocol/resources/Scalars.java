package orrery.protocol.resources;

/**
 * Fixed-point scalar arithmetic with three decimals, as Mesos does it: values are kept as whole thousandths so that
 * adding and subtracting {@code 0.1} a thousand times ends exactly where it started.
 */
public final class Scalars {

  public static final long ONE = 1000;

  private Scalars() {}

  public static long toMillis(double value) {
    return Math.round(value * ONE);
  }

  public static double fromMillis(long millis) {
    return millis / (double) ONE;
  }

  /** Prints a scalar the way an operator typed it: {@code 4}, {@code 0.5}, {@code 0.125}. */
  public static String format(long millis) {
    if (millis % ONE == 0) {
      return Long.toString(millis / ONE);
    }
    return java.math.BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString();
  }
}
