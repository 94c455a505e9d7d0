package orrery.rest;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import orrery.protocol.mesos.CommandInfo;
import orrery.protocol.mesos.Offer;
import orrery.protocol.mesos.OfferId;
import orrery.protocol.mesos.TaskId;
import orrery.protocol.mesos.TaskInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import orrery.protocol.mesos.TaskState;
import orrery.protocol.mesos.TaskStatus;
import orrery.protocol.messages.TaskMessages.TaskView;
import orrery.protocol.resources.Resources;

/**
 * The REST framework's core: a FIFO queue of requested tasks, packed first-fit into the offers that come, and the
 * latest status of every task it launched. No I/O; the caller turns its plans into calls.
 */
public final class RestTaskBook {

  private final Map<TaskId, RestTask> tasks = new LinkedHashMap<>();

  public RestTask submit(TaskId id, TaskRequest request) {
    if (tasks.containsKey(id)) {
      throw new IllegalArgumentException("task id '" + id + "' is taken");
    }
    RestTask task = new RestTask(id, request, null, null);
    tasks.put(id, task);
    return task;
  }

  /** What to do with a batch of offers: launch these tasks on these offers, decline the others. */
  public record Plan(List<Launch> launches, List<OfferId> declines) {}

  public record Launch(Offer offer, List<TaskInfo> tasks) {}

  public Plan match(List<Offer> offers) {
    List<Launch> launches = new ArrayList<>();
    List<OfferId> declines = new ArrayList<>();
    for (Offer offer : offers) {
      Resources left = Resources.of(offer.resources());
      List<TaskInfo> fitted = new ArrayList<>();
      for (RestTask task : tasks.values()) {
        if (!task.queued()) {
          continue;
        }
        Resources needs = task.request().resources();
        if (left.contains(needs)) {
          left = left.minus(needs);
          fitted.add(taskInfo(task, offer));
          tasks.put(task.id(), task.launchedOn(offer.agentId()));
        }
      }
      if (fitted.isEmpty()) {
        declines.add(offer.id());
      } else {
        launches.add(new Launch(offer, fitted));
      }
    }
    return new Plan(launches, declines);
  }

  /** Records a status; returns false for tasks this framework does not know. */
  public boolean update(TaskStatus status) {
    RestTask task = tasks.get(status.taskId());
    if (task == null) {
      return false;
    }
    if (status.reason() == TaskStatus.Reason.REASON_INVALID_OFFERS && task.status() == null) {
      // Launched on an offer that was gone (rescinded, or made by an offer broker that died): it never started, so
      // it waits for the next offer, as Marathon launches such a task again.
      tasks.put(task.id(), task.queuedAgain());
      return true;
    }
    tasks.put(task.id(), task.withStatus(status));
    return true;
  }

  /** The launch did not happen after all (the ACCEPT failed to reach the master): queue the tasks again. */
  public void requeue(List<TaskInfo> launched) {
    for (TaskInfo info : launched) {
      RestTask task = tasks.get(info.taskId());
      if (task != null && task.status() == null) {
        tasks.put(task.id(), task.queuedAgain());
      }
    }
  }

  public sealed interface KillDecision permits Dequeued, KillLaunched, NothingToKill {}

  /** The task never launched: it is taken off the queue and recorded as killed. */
  public record Dequeued(RestTask task) implements KillDecision {}

  public record KillLaunched(RestTask task) implements KillDecision {}

  public record NothingToKill(RestTask task) implements KillDecision {}

  /** Decides how to kill a task; null when the id is unknown. */
  public KillDecision kill(TaskId id, long nowMillis) {
    RestTask task = tasks.get(id);
    if (task == null) {
      return null;
    }
    if (task.queued()) {
      RestTask killed = task.withStatus(TaskStatus.builder(id, TaskState.TASK_KILLED)
          .source(TaskStatus.Source.SOURCE_MASTER).message("Killed before it was launched")
          .timestampMillis(nowMillis).build());
      tasks.put(id, killed);
      return new Dequeued(killed);
    }
    if (task.ended()) {
      return new NothingToKill(task);
    }
    return new KillLaunched(task);
  }

  public boolean hasQueued() {
    return tasks.values().stream().anyMatch(RestTask::queued);
  }

  /**
   * The tasks the registry has of this framework, after a restart: each is known again as it was launched, with its
   * latest status (queued tasks are not in the registry: they are lost with the restart, as a request not yet
   * answered).
   */
  public void restore(List<TaskView> recorded) {
    for (TaskView view : recorded) {
      if (view.info() != null && !tasks.containsKey(view.taskId())) {
        tasks.put(view.taskId(), new RestTask(view.taskId(), requestOf(view.info()), view.agentId(), view.status()));
      }
    }
  }

  /**
   * A task that was queued before a restart (kept outside this book, see RestFramework): queued again, unless the
   * registry's record of it was restored first (it was launched meanwhile). Returns whether it was queued again.
   */
  public boolean restoreQueued(TaskId id, TaskRequest request) {
    if (tasks.containsKey(id)) {
      return false;
    }
    tasks.put(id, new RestTask(id, request, null, null));
    return true;
  }

  public RestTask get(TaskId id) {
    return tasks.get(id);
  }

  public Collection<RestTask> all() {
    return List.copyOf(tasks.values());
  }

  private static TaskInfo taskInfo(RestTask task, Offer offer) {
    TaskRequest request = task.request();
    List<CommandInfo.Environment.Variable> variables = new ArrayList<>();
    request.env().forEach((k, v) -> variables.add(CommandInfo.Environment.Variable.of(k, v)));
    CommandInfo command = new CommandInfo(null, variables.isEmpty() ? null : new CommandInfo.Environment(variables),
        true, request.cmd(), null, null);
    String role = offer.allocationInfo() == null ? null : offer.allocationInfo().role();
    String name = request.name() == null ? task.id().value() : request.name();
    TaskInfo info = TaskInfo.command(name, task.id(), offer.agentId(), request.resources().toList(role), command);
    return request.image() == null ? info : info.withContainer(dockerContainer(request.image()));
  }

  /** What {@link #taskInfo} made the TaskInfo from, read back. */
  private static TaskRequest requestOf(TaskInfo info) {
    Resources resources = Resources.of(info.resources());
    Map<String, String> env = new LinkedHashMap<>();
    if (info.command().environment() != null) {
      info.command().environment().variables().forEach(v -> env.put(v.name(), v.value()));
    }
    String image = info.container() == null ? null : info.container().path("docker").path("image").asText(null);
    String name = info.name() == null || info.name().equals(info.taskId().value()) ? null : info.name();
    return new TaskRequest(info.command().value(), resources.scalar(Resources.CPUS), resources.scalar(Resources.MEM),
        name, env, image);
  }

  /** The command runs in the image's shell, on the agent's network (HOST): it is reached as a process would be. */
  private static JsonNode dockerContainer(String image) {
    ObjectNode container = JsonNodeFactory.instance.objectNode().put("type", "DOCKER");
    container.putObject("docker").put("image", image).put("network", "HOST");
    return container;
  }
}
