package orrery.e2e.recovery;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code orrery standalone} in a JVM of its own, on fixed ports and a fixed work dir, so that it can be killed with
 * SIGKILL and started again on the same state, as after a crash of the machine's control plane. Its output goes to
 * {@code standalone.log} beside the work dir (appended to by every start).
 */
final class StandaloneProcess implements AutoCloseable {

  private static final long START_TIMEOUT_SECONDS = 90;

  final Path workDir;
  final int httpPort;
  final int bridgePort;
  final int agentPort;
  private final String resources;
  private final Path log;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
  private Process process;
  private int starts;

  private StandaloneProcess(Path workDir, String resources) throws IOException {
    this.workDir = workDir;
    this.resources = resources;
    this.httpPort = freePort();
    this.bridgePort = freePort();
    this.agentPort = freePort();
    this.log = workDir.resolveSibling(workDir.getFileName() + "-standalone.log");
  }

  static StandaloneProcess start(Path workDir, String resources) throws Exception {
    StandaloneProcess standalone = new StandaloneProcess(workDir, resources);
    standalone.startAgain();
    return standalone;
  }

  /** Starts it (again) on the same work dir and ports; returns once /health answers 200. */
  void startAgain() throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "orrery.cli.OrreryCommand", "standalone",
        "--work-dir", workDir.toString(), "--port", Integer.toString(httpPort),
        "--bridge-port", Integer.toString(bridgePort), "--agent-port", Integer.toString(agentPort),
        "--resources", resources));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().put("ORRERY_LOG_LEVEL", "INFO");
    Files.writeString(log, "==== start " + ++starts + "\n", java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
    process = builder.start();
    awaitHealthy();
  }

  /** SIGKILL: nothing of the JVM runs on, nothing is flushed or unregistered; the tasks' processes live on. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  String gateway() {
    return "http://127.0.0.1:" + httpPort;
  }

  /** What it printed so far, for failure messages. */
  String log() {
    try {
      String text = Files.readString(log);
      return text.length() > 20_000 ? text.substring(text.length() - 20_000) : text;
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** SIGTERM: the standalone stops its agent, which kills its tasks, then everything else. */
  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }

  private void awaitHealthy() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
    HttpRequest health = HttpRequest.newBuilder(URI.create(gateway() + "/health")).timeout(Duration.ofSeconds(2))
        .GET().build();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("orrery standalone exited with " + process.exitValue() + ":\n" + log());
      }
      try {
        if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("orrery standalone was not healthy within " + START_TIMEOUT_SECONDS + " s:\n" + log());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
