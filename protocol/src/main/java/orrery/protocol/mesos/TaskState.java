package orrery.protocol.mesos;

/** Every task state of Mesos v1, with the ones after which a task never changes again marked terminal. */
public enum TaskState {
  TASK_STAGING(false),
  TASK_STARTING(false),
  TASK_RUNNING(false),
  TASK_KILLING(false),
  TASK_FINISHED(true),
  TASK_FAILED(true),
  TASK_KILLED(true),
  TASK_ERROR(true),
  TASK_LOST(true),
  TASK_DROPPED(true),
  TASK_UNREACHABLE(false),
  TASK_GONE(true),
  TASK_GONE_BY_OPERATOR(true),
  TASK_UNKNOWN(false);

  private final boolean terminal;

  TaskState(boolean terminal) {
    this.terminal = terminal;
  }

  public boolean isTerminal() {
    return terminal;
  }
}
