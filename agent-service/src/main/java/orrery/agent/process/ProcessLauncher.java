package orrery.agent.process;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
   * What a start needs before the fork: the sandbox, the container's cgroups with its limits, no exit status left
   * from before. Fails, having created the sandbox only, when the command's program cannot run.
   */
  public static void prepare(LaunchSpec spec, Isolator isolator, ContainerLimits limits, Path exitStatus)
      throws IOException {
    Path sandbox = Files.createDirectories(spec.directory());
    // The isolator's wrapper is a shell that execs the command: check the program first, so that one that cannot
    // run fails to launch (as it would without the wrapper) rather than running and exiting 127.
    checkExecutable(spec.command().get(0), sandbox, spec.environment());
    isolator.prepare(spec.containerId(), limits);
    Files.createDirectories(exitStatus.getParent());
    Files.deleteIfExists(exitStatus);
  }

  /**
   * Starts the command in its {@link #prepare prepared} sandbox, with its output in the sandbox's {@code stdout}
   * and {@code stderr} files and nothing on its standard input. The agent's environment is inherited, as Mesos does
   * without {@code --executor_environment_variables}, with the spec's variables added.
   *
   * <p>The task's process is a small supervising shell: it enters the container's cgroups, runs the command, and
   * writes the command's exit status into {@code exitStatus} (atomically, by a rename) before exiting with it. A
   * restarted agent can no longer wait for a process it did not start, so that file is how it learns how a task
   * ended while it was down. The shell's own exit value is the command's.
   */
  public static Process start(LaunchSpec spec, Isolator isolator, Path exitStatus) throws IOException {
    Path sandbox = spec.directory();
    ProcessBuilder builder = new ProcessBuilder(supervised(isolator.enterScript(spec.containerId()), spec.command(),
        exitStatus))
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

  /**
   * The supervising shell's script. It enters the cgroups first (so the command, forked after, is born inside), runs
   * the command as its child and records how it ended. The agent sends SIGTERM to the command, never to this shell
   * (see TaskProcesses.terminate), so the status is always the command's; only SIGKILL ends the shell early.
   */
  private static List<String> supervised(String enter, List<String> command, Path exitStatus) {
    String file = exitStatus.toString();
    if (file.contains("'")) {
      throw new IllegalArgumentException("the agent's work dir must not contain a single quote: " + file);
    }
    String script = "if ! { " + enter + "true; }; then echo 'orrery: cannot enter the container cgroups' >&2; "
        + "exit 125; fi\n"
        + "\"$@\" & wait $!; status=$?\n"
        + "echo $status > '" + file + ".tmp' && mv '" + file + ".tmp' '" + file + "'\n"
        + "exit $status\n";
    List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", script, "orrery-task"));
    argv.addAll(command);
    return argv;
  }

  /** The exit status a task's supervising shell wrote; empty when it has written none (yet). */
  public static java.util.OptionalInt readExitStatus(Path exitStatus) throws IOException {
    if (!Files.isRegularFile(exitStatus)) {
      return java.util.OptionalInt.empty();
    }
    String text = Files.readString(exitStatus).strip();
    try {
      return java.util.OptionalInt.of(Integer.parseInt(text));
    } catch (NumberFormatException e) {
      throw new IOException("unreadable exit status '" + text + "' in " + exitStatus, e);
    }
  }
}
