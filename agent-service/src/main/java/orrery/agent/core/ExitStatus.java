package orrery.agent.core;

import orrery.protocol.mesos.TaskState;

/**
 * What a command's exit value means, in the words of the Mesos command executor. Java reports a process killed by
 * signal n as the exit value 128 + n, the same as a shell's {@code exit 128+n}; the two cannot be told apart, so
 * values 129 to 159 are read as signals.
 */
public final class ExitStatus {

  private static final String[] SIGNALS = {null, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT",
      "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT",
      "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ",
      "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS"};

  private ExitStatus() {}

  /** {@code "Command exited with status 3"} or {@code "Command terminated with signal SIGTERM"}. */
  public static String describe(int exitValue) {
    String signal = signalName(exitValue);
    return signal == null ? "Command exited with status " + exitValue : "Command terminated with signal " + signal;
  }

  /** The terminal state of a command that exited on its own: FINISHED only for 0. */
  public static TaskState stateOf(int exitValue) {
    return exitValue == 0 ? TaskState.TASK_FINISHED : TaskState.TASK_FAILED;
  }

  /** The signal's name when the exit value reports one, else null. */
  static String signalName(int exitValue) {
    int signal = exitValue - 128;
    return signal > 0 && signal < SIGNALS.length ? SIGNALS[signal] : null;
  }
}
