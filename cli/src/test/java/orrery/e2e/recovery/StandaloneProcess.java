package orrery.e2e.recovery;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code orrery standalone} in a JVM of its own, on fixed ports and a fixed work dir, so that it can be killed with
 * SIGKILL and started again on the same state, as after a crash of the machine's control plane. Its output goes to
 * {@code <work dir>-standalone.log}.
 */
final class StandaloneProcess implements AutoCloseable {

  final Path workDir;
  final int httpPort;
  private final OrreryProcess process;

  private StandaloneProcess(Path workDir, String resources) throws Exception {
    this.workDir = workDir;
    this.httpPort = OrreryProcess.freePort();
    this.process = new OrreryProcess(workDir.resolveSibling(workDir.getFileName() + "-standalone.log"), List.of(
        "standalone", "--work-dir", workDir.toString(), "--port", Integer.toString(httpPort),
        "--bridge-port", Integer.toString(OrreryProcess.freePort()),
        "--agent-port", Integer.toString(OrreryProcess.freePort()), "--resources", resources));
  }

  static StandaloneProcess start(Path workDir, String resources) throws Exception {
    StandaloneProcess standalone = new StandaloneProcess(workDir, resources);
    standalone.startAgain();
    return standalone;
  }

  /** Starts it (again) on the same work dir and ports; returns once /health answers 200. */
  void startAgain() throws Exception {
    process.start().awaitHealthy(gateway() + "/health");
  }

  void kill() throws InterruptedException {
    process.kill();
  }

  String gateway() {
    return "http://127.0.0.1:" + httpPort;
  }

  @Override
  public void close() throws InterruptedException {
    process.close();
  }
}
