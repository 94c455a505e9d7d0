package orrery.offers;

import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import java.util.List;
import orrery.protocol.bus.Addresses;
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

  private final EventBus bus;

  Outbox(EventBus bus) {
    this.bus = bus;
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
    long now = System.currentTimeMillis();
    for (TaskInfo task : tasks) {
      toFramework(frameworkId, Event.update(TaskStatus.builder(task.taskId(), TaskState.TASK_ERROR)
          .agentId(task.agentId())
          .source(TaskStatus.Source.SOURCE_MASTER)
          .reason(TaskStatus.Reason.REASON_TASK_INVALID)
          .message(reason)
          .timestampMillis(now)
          .build()));
    }
  }
}
