package orrery.agent.process;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import orrery.agent.core.ContainerLimits;
import orrery.agent.isolation.Isolator;
import orrery.agent.core.LaunchSpec;

/**
 * Starts a task's command as a child of the agent in its own container (the process containerizer): cgroups with the
 * task's limits when the agent has them. Blocking: call it from a worker thread.
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
  public static Process start(LaunchSpec spec, Isolator isolator, ContainerLimits limits) throws IOException {
    Path sandbox = Files.createDirectories(spec.directory());
    // The isolator's wrapper is a shell that execs the command: check the program first, so that one that cannot
    // run fails to launch (as it would without the wrapper) rather than running and exiting 127.
    checkExecutable(spec.command().get(0), sandbox, spec.environment());
    isolator.prepare(spec.containerId(), limits);
    ProcessBuilder builder = new ProcessBuilder(isolator.wrap(spec.containerId(), spec.command()))
        .directory(sandbox.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(NO_INPUT))
        .redirectOutput(sandbox.resolve(STDOUT).toFile())
        .redirectError(sandbox.resolve(STDERR).toFile());
    builder.environment().putAll(spec.environment());
    return builder.start();
  }

  private static void checkExecutable(String program, Path sandbox, Map<String, String> environment)
      throws IOException {
    if (program.contains("/")) {
      Path file = sandbox.resolve(program); // an absolute path stays as it is; a relative one is in the sandbox
      if (!Files.isExecutable(file) || Files.isDirectory(file)) {
        throw new IOException("Cannot run program \"" + program + "\": no such executable file");
      }
      return;
    }
    String path = environment.getOrDefault("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    for (String dir : path.split(":")) {
      Path file = Path.of(dir.isEmpty() ? "." : dir).resolve(program);
      if (Files.isExecutable(file) && !Files.isDirectory(file)) {
        return;
      }
    }
    throw new IOException("Cannot run program \"" + program + "\": not found on PATH " + path);
  }
}
