package orrery.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs {@code orrery ARGS} in a JVM of its own, on the test's class path, as {@code bin/orrery} runs it. */
final class CliProcess {

  record Result(int exitCode, String output) { }

  private CliProcess() {}

  /** Runs it with {@code env} added to this environment less ORRERY_MASTER; collects all it prints. */
  static Result orrery(Map<String, String> env, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "orrery.cli.OrreryCommand"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().remove("ORRERY_MASTER");
    builder.environment().putAll(env);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(EventLog.TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("orrery " + String.join(" ", args) + " did not end; it printed:\n" + output);
    }
    return new Result(process.exitValue(), output);
  }
}
