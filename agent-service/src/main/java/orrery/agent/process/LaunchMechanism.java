package orrery.agent.process;

/**
 * How the JDK starts the agent's processes. On Linux the JDK's default, {@code POSIX_SPAWN}, starts every process
 * through a helper ({@code jspawnhelper}): two programs loaded per task. {@code VFORK} execs the task's program
 * straight from a vfork of the agent, which on this project's 2-core test machine took a launch's fork/exec from
 * about 6 ms to about 2.5 ms (docs/benchmarks.md, {@code launch}). The JDK deprecated VFORK in Java 25 and removes it
 * after, so the agent asks for it only on Java 17 to 24, and never when the property was set (the operator's choice
 * stands: {@code -Djdk.lang.Process.launchMechanism=POSIX_SPAWN} restores the JDK's default).
 */
public final class LaunchMechanism {

  public static final String PROPERTY = "jdk.lang.Process.launchMechanism";

  private LaunchMechanism() {}

  /**
   * The mechanism to ask for, or null to leave the JDK's choice. Pure.
   *
   * @param osName the {@code os.name} property
   * @param javaFeature the Java release ({@code Runtime.version().feature()})
   * @param configured the property as set, null if unset
   */
  static String preferred(String osName, int javaFeature, String configured) {
    if (configured != null || osName == null || !osName.startsWith("Linux") || javaFeature >= 25) {
      return null;
    }
    return "VFORK";
  }

  /**
   * Asks for VFORK where {@link #preferred} says so. The JDK reads the property once, when the JVM starts its first
   * process, so this must run before that; later it changes nothing. Returns the mechanism asked for, or null.
   */
  public static String preferVfork() {
    String chosen = preferred(System.getProperty("os.name"), Runtime.version().feature(),
        System.getProperty(PROPERTY));
    if (chosen != null) {
      System.setProperty(PROPERTY, chosen);
    }
    return chosen;
  }
}
