package orrery.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The repository's docker-compose.yml brought up as one project by the real docker-compose, with the settings it
 * reads from the environment, and what the container tests do to it: kill and start services, read their logs, cut
 * a container off the project's network and connect it again.
 */
final class ComposeCluster {

  private static final long COMMAND_TIMEOUT_SECONDS = 300;

  private final Path root;
  private final String project;
  private final Map<String, String> settings;

  ComposeCluster(Path root, String project, Map<String, String> settings) {
    this.root = root;
    this.project = project;
    this.settings = Map.copyOf(settings);
  }

  /** Runs docker-compose with the project's name, file and settings; fails with its output if it fails. */
  String compose(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("docker-compose", "--ansi", "never", "-p", project, "-f",
        root.resolve("docker-compose.yml").toString()));
    command.addAll(List.of(args));
    return run(command, settings);
  }

  static String docker(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("docker"));
    command.addAll(List.of(args));
    return run(command, Map.of());
  }

  /** What the service printed so far (its container's output, as docker-compose logs gives it). */
  String logs(String service) throws IOException, InterruptedException {
    return compose("logs", "--no-color", service);
  }

  /** What every service printed so far. */
  String logs() throws IOException, InterruptedException {
    return compose("logs", "--no-color");
  }

  /** SIGKILL, as a machine dying would: no shutdown hooks run. */
  void kill(String service) throws IOException, InterruptedException {
    compose("kill", "-s", "SIGKILL", service);
  }

  void start(String service) throws IOException, InterruptedException {
    compose("start", service);
  }

  String container(String service) throws IOException, InterruptedException {
    return compose("ps", "-q", service).strip();
  }

  /**
   * Cuts the service's container off the network: its interface goes down, so that nothing reaches it and it reaches
   * nothing, while it keeps running. Not {@code docker network disconnect}: Docker gives a container connected again
   * a new address, and a cluster member whose address changed while it ran cannot rejoin (its peers dial the old
   * one); a partition keeps the address, as here.
   */
  void partition(String service) throws IOException, InterruptedException {
    inNetworkNamespace(service, "ip", "link", "set", "eth0", "down");
  }

  /** Heals the partition: the interface comes up again, with the default route it lost. */
  void heal(String service, String defaultRoute) throws IOException, InterruptedException {
    inNetworkNamespace(service, "ip", "link", "set", "eth0", "up");
    if (!defaultRoute.isBlank()) {
      List<String> add = new ArrayList<>(List.of("ip", "route", "replace"));
      add.addAll(List.of(defaultRoute.strip().split("\\s+")));
      inNetworkNamespace(service, add.toArray(String[]::new));
    }
  }

  String defaultRoute(String service) throws IOException, InterruptedException {
    return inNetworkNamespace(service, "ip", "route", "show", "default");
  }

  /** Runs a host command (iproute2) in the network namespace of the service's container. */
  private String inNetworkNamespace(String service, String... command) throws IOException, InterruptedException {
    String pid = docker("inspect", "-f", "{{.State.Pid}}", container(service)).strip();
    List<String> nsenter = new ArrayList<>(List.of("nsenter", "-t", pid, "-n"));
    nsenter.addAll(List.of(command));
    return run(nsenter, Map.of());
  }

  /** Waits until the service's output contains {@code text} {@code times} times. */
  void awaitLog(String service, String text, int times, long seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    String logs = "";
    while (System.nanoTime() < deadline) {
      logs = logs(service);
      if (occurrences(logs, text) >= times) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError(service + " did not print '" + text + "' " + times + " time(s) within " + seconds
        + " s; its output ends with:\n" + tail(logs, 3000));
  }

  static int occurrences(String text, String part) {
    int count = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
      count++;
    }
    return count;
  }

  private static String tail(String text, int chars) {
    return text.length() <= chars ? text : text.substring(text.length() - chars);
  }

  private static String run(List<String> command, Map<String, String> environment)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(environment);
    Process process = builder.start();
    // Read before waiting: a full pipe would block the command.
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException(String.join(" ", command) + " did not end within " + COMMAND_TIMEOUT_SECONDS + " s");
    }
    String text = new String(output, StandardCharsets.UTF_8);
    if (process.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed (exit " + process.exitValue() + "):\n" + text);
    }
    return text;
  }
}
