package orrery.e2e.recovery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code orrery ARGS} in a JVM of its own, on the test's class path, that can be killed with SIGKILL and started
 * again with the same arguments, as after a crash. Its output is appended to a log file, one section per start.
 */
final class OrreryProcess implements AutoCloseable {

  private static final long START_TIMEOUT_SECONDS = 120;
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();

  private final List<String> args;
  private final Path log;
  private volatile Process process;
  private volatile int starts;
  /** Started again when it exits with status 3, as compose and Kubernetes start a leader again that lost its lock. */
  private volatile boolean supervised;
  private volatile boolean closing;
  private final Map<String, String> environment = new HashMap<>(Map.of("ORRERY_LOG_LEVEL", "INFO"));

  OrreryProcess(Path log, List<String> args) {
    this.log = log;
    this.args = List.copyOf(args);
  }

  /** Runs it (from its next start) with this environment variable. */
  OrreryProcess withEnvironment(String name, String value) {
    environment.put(name, value);
    return this;
  }

  /**
   * From now on, a start that ends with status 3 (a leader that lost its leadership) is followed by another, as a
   * supervisor does; other ends are left alone (a kill, a failure to look into).
   */
  OrreryProcess supervised() {
    supervised = true;
    return this;
  }

  /** Starts it (again). */
  synchronized OrreryProcess start() throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "orrery.cli.OrreryCommand"));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(environment);
    Files.writeString(log, "==== start " + ++starts + ": orrery " + String.join(" ", args) + "\n",
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    Process started = builder.start();
    process = started;
    started.onExit().thenAccept(this::ended);
    return this;
  }

  private synchronized void ended(Process ended) {
    if (ended == process && startedAgain(ended)) {
      try {
        start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Whether this start, which has ended, is followed by another: a leader that lost its lock, under supervision. */
  private boolean startedAgain(Process ended) {
    return supervised && !closing && ended.exitValue() == 3;
  }

  /** Whether it has ended and will not be started again by its supervisor. */
  private boolean endedForGood() {
    Process current = process;
    return !current.isAlive() && !startedAgain(current);
  }

  /** Whether this start of it runs, and has printed {@code text}. */
  boolean runningAndPrinted(String text) throws IOException {
    return process.isAlive() && printedSinceStart(text);
  }

  /** Whether this start of it has printed {@code text}. */
  boolean printedSinceStart(String text) throws IOException {
    String all = Files.readString(log);
    int since = all.lastIndexOf("==== start " + starts + ":");
    return since >= 0 && all.indexOf(text, since) >= 0;
  }

  /** SIGKILL: nothing of the JVM runs on, nothing is flushed or unregistered; task processes live on. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /**
   * Asks the JVM for a dump of its threads (SIGQUIT), which it prints to its output, this log: for a test that failed
   * waiting on it, to see what it was doing.
   */
  void dumpThreads() throws IOException, InterruptedException {
    if (process != null && process.isAlive()) {
      new ProcessBuilder("kill", "-QUIT", Long.toString(process.pid())).inheritIO().start().waitFor(5, TimeUnit.SECONDS);
    }
  }

  /** Waits until {@code url} answers 200, failing with the log if the process exits or time runs out. */
  void awaitHealthy(String url) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
    HttpRequest health = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET().build();
    while (System.nanoTime() < deadline) {
      if (endedForGood()) {
        throw new AssertionError("orrery " + args.get(0) + " exited with " + process.exitValue() + ":\n" + log());
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
    throw new AssertionError(url + " did not answer 200 within " + START_TIMEOUT_SECONDS + " s:\n" + log());
  }

  /** Waits until this start of it has printed {@code text} (a role prints what it is once it runs). */
  void awaitOutput(String text) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
    while (System.nanoTime() < deadline) {
      if (printedSinceStart(text)) {
        return;
      }
      if (endedForGood()) {
        throw new AssertionError("orrery " + args.get(0) + " exited with " + process.exitValue() + ":\n" + log());
      }
      Thread.sleep(100);
    }
    throw new AssertionError("orrery " + args.get(0) + " did not print '" + text + "' within "
        + START_TIMEOUT_SECONDS + " s:\n" + log());
  }

  /** How many times it has printed {@code text}, over all its starts. */
  int occurrences(String text) throws IOException {
    String all = Files.readString(log);
    int count = 0;
    for (int at = all.indexOf(text); at >= 0; at = all.indexOf(text, at + text.length())) {
      count++;
    }
    return count;
  }

  /** What it printed so far (the end of it), for failure messages. */
  String log() {
    try {
      String text = Files.readString(log);
      return text.length() > 20_000 ? text.substring(text.length() - 20_000) : text;
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** SIGTERM, and SIGKILL if it has not ended after 30 s. */
  @Override
  public void close() throws InterruptedException {
    closing = true;
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }

  /**
   * A port free now, below Linux's ephemeral range (32768 and up): members connect again and again to members not up
   * yet, and a connection to a free ephemeral port on loopback can take that port itself (a TCP self-connect), so
   * that the member then cannot bind it.
   */
  /** Ports handed out already: free when asked, but maybe not bound yet by the process they were picked for. */
  private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

  static int freePort() throws IOException {
    java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = random.nextInt(20_000, 32_000);
      if (HANDED_OUT.contains(port)) {
        continue;
      }
      try (ServerSocket socket = new ServerSocket(port)) {
        HANDED_OUT.add(port);
        return socket.getLocalPort();
      } catch (IOException taken) {
        // another one
      }
    }
    throw new IOException("no free port between 20000 and 32000 after 100 attempts");
  }
}
