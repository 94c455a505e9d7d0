package orrery.bench;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * {@code orrery ARGS} in a JVM of its own, run from the orrery jar with the JVM flags of the image's entry point
 * (docker/orrery), as a deployment runs it. Its output goes to a log file; the lines the role prints itself
 * ({@code orrery registry leads ...}, {@code ... is up}) are also kept with the time they were read, so that the
 * benchmark can tell who leads and when a standby took over.
 */
final class RoleProcess implements AutoCloseable {

  /** What docker/orrery passes: the access Hazelcast asks for. */
  private static final List<String> JVM_FLAGS = List.of("--add-modules", "java.se",
      "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens", "java.management/sun.management=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");
  private static final long START_TIMEOUT_SECONDS = 180;
  /**
   * A line the role says of its life ("12:00:01.250 orrery registry leads ...", "... orrery: the CP subsystem is whole
   * again ..."), not a log line.
   */
  private static final Pattern ROLE_OUTPUT =
      Pattern.compile("(\\d\\d:\\d\\d:\\d\\d\\.\\d{3} )?orrery[ :]");
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
  /** Ports handed out in this run, so that two roles are never given the same one. */
  private static final Set<Integer> GIVEN = new HashSet<>();

  /** A line the role printed, and when it was read ({@link System#nanoTime()}). */
  record Line(long nanos, String text) {}

  final String name;
  private final Path jar;
  private final Path log;
  private final List<String> args;
  private final List<Line> lines = new CopyOnWriteArrayList<>();
  private Process process;

  RoleProcess(String name, Path jar, Path log, List<String> args) {
    this.name = name;
    this.jar = jar;
    this.log = log;
    this.args = List.copyOf(args);
  }

  RoleProcess start() throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(JVM_FLAGS);
    command.addAll(List.of("-jar", jar.toString()));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    // Warnings only, as the benchmark's own in-process clusters log: logging is not what is measured.
    builder.environment().putIfAbsent("ORRERY_LOG_LEVEL", "WARN");
    process = builder.start();
    Thread reader = new Thread(this::copyOutput, "output of " + name);
    reader.setDaemon(true);
    reader.start();
    return this;
  }

  private void copyOutput() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8));
        BufferedWriter out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
      out.write("orrery " + String.join(" ", args));
      out.newLine();
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (ROLE_OUTPUT.matcher(line).lookingAt()) {
          lines.add(new Line(System.nanoTime(), line));
        }
        out.write(line);
        out.newLine();
        out.flush();
      }
    } catch (IOException e) {
      // the process ended or the log could not be written; what was read is kept
    }
  }

  /** When the role printed a line containing {@code text}, or -1 if it has not (yet). */
  long printedAt(String text) {
    return lines.stream().filter(l -> l.text().contains(text)).mapToLong(Line::nanos).findFirst().orElse(-1);
  }

  /** How many lines containing {@code text} the role has printed. */
  long count(String text) {
    return lines.stream().filter(l -> l.text().contains(text)).count();
  }

  /** Waits until the role has printed a line containing {@code text}; returns when it was read. */
  long awaitLine(String text) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
    while (System.nanoTime() < deadline) {
      long at = printedAt(text);
      if (at >= 0) {
        return at;
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with " + process.exitValue() + " before printing '" + text
            + "'; see " + log);
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException(name + " did not print '" + text + "' within " + START_TIMEOUT_SECONDS
        + " s; see " + log);
  }

  /** Waits until {@code url} answers 200 (a gateway's /health: every service answers, an agent is registered). */
  void awaitHealthy(String url) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
    HttpRequest health = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET().build();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
      }
      try {
        if (HTTP.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(url + " did not answer 200 within " + START_TIMEOUT_SECONDS + " s; see " + log);
  }

  /** The CPU time the process has used so far (its own threads, not its children's: a task's is the task's). */
  long cpuNanos() {
    return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
  }

  boolean alive() {
    return process != null && process.isAlive();
  }

  /** SIGKILL, as a crash: nothing of the JVM runs on, nothing is flushed or unregistered. Does not wait. */
  void kill() {
    process.destroyForcibly();
  }

  /** SIGTERM (the role leaves the cluster in order; an agent kills its tasks), and SIGKILL after 30 s. */
  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }

  /**
   * A port free now, picked at random below Linux's ephemeral range (32768 and up): members connect again and again to
   * members not up yet, and a connection to a free ephemeral port on loopback can take that very port (a TCP
   * self-connect), so that the member then cannot bind it.
   */
  static synchronized int freePort() throws IOException {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = random.nextInt(20_000, 32_000);
      if (GIVEN.contains(port)) {
        continue;
      }
      try (ServerSocket socket = new ServerSocket(port)) {
        GIVEN.add(port);
        return socket.getLocalPort();
      } catch (IOException taken) {
        // another one
      }
    }
    throw new IOException("no free port between 20000 and 32000 after 200 attempts");
  }
}
