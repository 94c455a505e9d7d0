package orrery.offers;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import java.util.List;
import orrery.protocol.bus.Addresses;
import orrery.protocol.bus.Requests;
import orrery.protocol.json.MesosJson;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.mesos.TaskInfo;
import orrery.protocol.mesos.TaskState;
import orrery.protocol.mesos.TaskStatus;
import orrery.protocol.messages.AllocatorMessages.RecoverResources;
import orrery.protocol.scheduler.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Everything offer-service sends, in one place: events to frameworks, resources back to the allocator. */
final class Outbox {

  private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

  /**
   * Short enough that a request lost with a member that died is asked again soon after its standby is up (the
   * registry answers a launch in milliseconds; one answered late is still taken once).
   */
  private static final long RETRIED_REQUEST_TIMEOUT_MILLIS = 3_000;
  private static final long RETRY_PAUSE_MILLIS = 1_000;

  private final Vertx vertx;
  private final EventBus bus;

  Outbox(Vertx vertx) {
    this.vertx = vertx;
    this.bus = vertx.eventBus();
  }

  void toFramework(FrameworkId frameworkId, Event event) {
    bus.send(Addresses.framework(frameworkId), MesosJson.toJsonObject(event));
  }

  void recover(List<RecoverResources> recoveries) {
    for (RecoverResources recovery : recoveries) {
      bus.send(Addresses.ALLOCATOR_RECOVER, recovery);
    }
  }

  /** A request whose failure is logged: the caller goes on either way. */
  Future<Object> request(String address, Object message) {
    return bus.request(address, message).map(reply -> reply.body()).onFailure(failure ->
        LOG.warn("{} did not answer: {}", address, failure.getMessage()));
  }

  /**
   * A request asked again, up to {@code attempts} times, while it goes unanswered (timed out, or nobody listening
   * yet: a service failing over); a refusal is final. For requests the receiver takes once however often asked.
   */
  Future<Object> requestAgain(String address, Object message, int attempts) {
    return Requests.askWhileUnanswered(vertx, address, message, attempts, RETRIED_REQUEST_TIMEOUT_MILLIS,
        RETRY_PAUSE_MILLIS, failure -> LOG.warn("{} did not answer ({}); asking again", address, failure.getMessage()))
        .onFailure(failure -> LOG.warn("{} did not answer: {}", address, failure.getMessage()));
  }


  /** A request whose failure is the caller's to report. */
  Future<Object> ask(String address, Object message) {
    return bus.request(address, message).map(reply -> reply.body());
  }

  void send(String address, Object message) {
    bus.send(address, message);
  }

  void publish(String address, Object message) {
    bus.publish(address, message);
  }

  /** Master-generated updates carry no uuid: frameworks must not acknowledge them. */
  void taskErrors(FrameworkId frameworkId, List<TaskInfo> tasks, String reason) {
    masterUpdates(frameworkId, tasks, TaskState.TASK_ERROR, TaskStatus.Reason.REASON_TASK_INVALID, reason);
  }

  /** Tasks launched on offers that were gone: never started, to be launched again (TASK_LOST for older frameworks). */
  void tasksDropped(FrameworkId frameworkId, List<TaskInfo> tasks, String reason, boolean partitionAware) {
    masterUpdates(frameworkId, tasks, partitionAware ? TaskState.TASK_DROPPED : TaskState.TASK_LOST,
        TaskStatus.Reason.REASON_INVALID_OFFERS, reason);
  }

  private void masterUpdates(FrameworkId frameworkId, List<TaskInfo> tasks, TaskState state,
      TaskStatus.Reason reason, String message) {
    long now = System.currentTimeMillis();
    for (TaskInfo task : tasks) {
      toFramework(frameworkId, Event.update(TaskStatus.builder(task.taskId(), state)
          .agentId(task.agentId())
          .source(TaskStatus.Source.SOURCE_MASTER)
          .reason(reason)
          .message(message)
          .timestampMillis(now)
          .build()));
    }
  }
}
