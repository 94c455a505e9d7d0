package orrery.cli.cluster;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/**
 * What a role says of its life in the cluster (joined, leads, is up, lost its leadership, the CP subsystem's changes):
 * one line on standard output, whatever the log level, with the time as the log lines have it, so that a failover can
 * be followed from the logs of the members.
 */
final class RoleOutput {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

  private RoleOutput() {}

  static void announce(String line) {
    System.out.println(TIME.format(LocalTime.now()) + " " + line);
  }
}
