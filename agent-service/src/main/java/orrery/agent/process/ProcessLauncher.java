package orrery.agent.process;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import orrery.agent.core.LaunchSpec;

/**
 * Starts a task's command as a child of the agent (the process containerizer, without isolation so far). Blocking:
 * call it from a worker thread.
 */
public final class ProcessLauncher {

  public static final String STDOUT = "stdout";
  public static final String STDERR = "stderr";
  private static final File NO_INPUT = new File("/dev/null");

  private ProcessLauncher() {}

  /**
   * Creates the sandbox, then starts the command in it with its output in the sandbox's {@code stdout} and
   * {@code stderr} files and nothing on its standard input. The agent's environment is inherited, as Mesos does
   * without {@code --executor_environment_variables}, with the spec's variables added.
   */
  public static Process start(LaunchSpec spec) throws IOException {
    Path sandbox = Files.createDirectories(spec.directory());
    ProcessBuilder builder = new ProcessBuilder(spec.command())
        .directory(sandbox.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(NO_INPUT))
        .redirectOutput(sandbox.resolve(STDOUT).toFile())
        .redirectError(sandbox.resolve(STDERR).toFile());
    builder.environment().putAll(spec.environment());
    return builder.start();
  }
}
