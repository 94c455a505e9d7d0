package orrery.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import orrery.protocol.mesos.AgentId;
import orrery.protocol.mesos.CommandInfo;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.mesos.Offer;
import orrery.protocol.mesos.OfferId;
import orrery.protocol.mesos.Resource;
import orrery.protocol.mesos.TaskId;
import orrery.protocol.mesos.TaskInfo;
import orrery.protocol.mesos.TaskState;
import orrery.protocol.mesos.TaskStatus;
import orrery.protocol.messages.TaskMessages.TaskView;
import orrery.protocol.resources.Resources;
import org.junit.jupiter.api.Test;

class RestTaskBookTest {

  private final RestTaskBook book = new RestTaskBook();

  private static TaskRequest request(String json) {
    return TaskRequest.fromJson(new JsonObject(json));
  }

  private static Offer offer(String id, String resources) {
    return new Offer(OfferId.of(id), FrameworkId.of("F"), AgentId.of("S1"), "node", null, null,
        Resources.parse(resources).toList("*"), null, null, null, new Resource.AllocationInfo("*"));
  }

  @Test
  void packsQueuedTasksFirstFitInOrder() {
    book.submit(TaskId.of("a"), request("{\"cmd\": \"true\", \"cpus\": 1, \"mem\": 100}"));
    book.submit(TaskId.of("b"), request("{\"cmd\": \"true\", \"cpus\": 2, \"mem\": 100}"));
    book.submit(TaskId.of("c"), request("{\"cmd\": \"true\", \"cpus\": 1, \"mem\": 100}"));
    // 2.5 cpus: a (1) fits, b (2) does not fit in the 1.5 left, c (1) does.
    RestTaskBook.Plan plan = book.match(List.of(offer("o1", "cpus:2.5;mem:1000"), offer("o2", "cpus:0.5;mem:1000")));
    assertThat(plan.launches()).hasSize(1);
    assertThat(plan.launches().get(0).tasks()).extracting(TaskInfo::taskId)
        .containsExactly(TaskId.of("a"), TaskId.of("c"));
    assertThat(plan.declines()).containsExactly(OfferId.of("o2"));
    assertThat(book.get(TaskId.of("a")).agentId()).isEqualTo(AgentId.of("S1"));
    assertThat(book.get(TaskId.of("b")).queued()).isTrue();
  }

  @Test
  void aTaskLaunchedOnAnOfferThatWasGoneIsQueuedAgain() {
    book.submit(TaskId.of("a"), request("{\"cmd\": \"true\"}"));
    book.match(List.of(offer("o1", "cpus:1;mem:100")));
    assertThat(book.hasQueued()).isFalse();

    book.update(TaskStatus.builder(TaskId.of("a"), TaskState.TASK_DROPPED)
        .reason(TaskStatus.Reason.REASON_INVALID_OFFERS).build());
    assertThat(book.get(TaskId.of("a")).queued()).isTrue();
    assertThat(book.match(List.of(offer("o2", "cpus:1;mem:100"))).launches()).hasSize(1);
    // Any other end is the task's end.
    book.update(TaskStatus.builder(TaskId.of("a"), TaskState.TASK_ERROR)
        .reason(TaskStatus.Reason.REASON_TASK_INVALID).build());
    assertThat(book.get(TaskId.of("a")).queued()).isFalse();
    assertThat(book.get(TaskId.of("a")).status().state()).isEqualTo(TaskState.TASK_ERROR);
  }

  @Test
  void aTaskWithAnImageRunsInADockerContainerOnTheHostNetwork() {
    book.submit(TaskId.of("a"), request("{\"cmd\": \"echo hi\", \"image\": \"busybox:1.36\"}"));
    TaskInfo task = book.match(List.of(offer("o1", "cpus:1;mem:100"))).launches().get(0).tasks().get(0);
    assertThat(task.container().toString())
        .isEqualTo("{\"type\":\"DOCKER\",\"docker\":{\"image\":\"busybox:1.36\",\"network\":\"HOST\"}}");
    assertThat(task.command().value()).isEqualTo("echo hi");
    assertThat(task.command().isShell()).isTrue();
    book.submit(TaskId.of("b"), request("{\"cmd\": \"true\"}"));
    assertThat(book.match(List.of(offer("o2", "cpus:1;mem:100"))).launches().get(0).tasks().get(0).container())
        .isNull();
  }

  @Test
  void tasksCarryTheCommandEnvironmentAndRole() {
    book.submit(TaskId.of("a"), request("{\"cmd\": \"echo $X\", \"env\": {\"X\": \"1\"}, \"name\": \"web\"}"));
    TaskInfo task = book.match(List.of(offer("o1", "cpus:1;mem:100"))).launches().get(0).tasks().get(0);
    assertThat(task.name()).isEqualTo("web");
    assertThat(task.command().value()).isEqualTo("echo $X");
    assertThat(task.command().environment().variables()).extracting(v -> v.name() + "=" + v.value())
        .containsExactly("X=1");
    assertThat(Resources.of(task.resources())).isEqualTo(Resources.cpusMem(0.1, 32));
    assertThat(task.resources()).allSatisfy(r -> assertThat(r.allocationInfo().role()).isEqualTo("*"));
  }

  @Test
  void killingDependsOnWhereTheTaskIs() {
    book.submit(TaskId.of("queued"), request("{\"cmd\": \"true\", \"cpus\": 99}"));
    book.submit(TaskId.of("running"), request("{\"cmd\": \"true\"}"));
    book.match(List.of(offer("o1", "cpus:1;mem:100")));
    book.update(TaskStatus.builder(TaskId.of("running"), TaskState.TASK_RUNNING).build());

    RestTaskBook.KillDecision queued = book.kill(TaskId.of("queued"), 0);
    assertThat(queued).isInstanceOf(RestTaskBook.Dequeued.class);
    assertThat(book.get(TaskId.of("queued")).status().state()).isEqualTo(TaskState.TASK_KILLED);
    assertThat(book.hasQueued()).isFalse();
    assertThat(book.kill(TaskId.of("running"), 0)).isInstanceOf(RestTaskBook.KillLaunched.class);
    book.update(TaskStatus.builder(TaskId.of("running"), TaskState.TASK_KILLED).build());
    assertThat(book.kill(TaskId.of("running"), 0)).isInstanceOf(RestTaskBook.NothingToKill.class);
    assertThat(book.kill(TaskId.of("nobody"), 0)).isNull();
  }

  @Test
  void aFailedAcceptQueuesTheTasksAgain() {
    book.submit(TaskId.of("a"), request("{\"cmd\": \"true\"}"));
    List<TaskInfo> launched = book.match(List.of(offer("o1", "cpus:1;mem:100"))).launches().get(0).tasks();
    assertThat(book.hasQueued()).isFalse();
    book.requeue(launched);
    assertThat(book.get(TaskId.of("a")).queued()).isTrue();
  }

  @Test
  void aTaskQueuedBeforeARestartIsQueuedAgainUnlessTheRegistryHadItLaunched() {
    // The registry's record comes first: "launched" was launched before the restart, "waiting" never was.
    TaskInfo launchedInfo = TaskInfo.command("launched", TaskId.of("launched"), AgentId.of("S1"),
        Resources.parse("cpus:0.1;mem:32").toList("*"), CommandInfo.shell("true"));
    book.restore(List.of(new TaskView(FrameworkId.of("F"), TaskId.of("launched"), "launched", AgentId.of("S1"),
        null, TaskStatus.builder(TaskId.of("launched"), TaskState.TASK_RUNNING).build(), launchedInfo)));

    assertThat(book.restoreQueued(TaskId.of("launched"), request("{\"cmd\": \"true\"}"))).isFalse();
    assertThat(book.get(TaskId.of("launched")).status().state()).isEqualTo(TaskState.TASK_RUNNING);
    assertThat(book.restoreQueued(TaskId.of("waiting"), request("{\"cmd\": \"true\", \"cpus\": 0.5}"))).isTrue();
    assertThat(book.get(TaskId.of("waiting")).queued()).isTrue();
    assertThat(book.match(List.of(offer("o1", "cpus:1;mem:100"))).launches().get(0).tasks())
        .extracting(TaskInfo::taskId).containsExactly(TaskId.of("waiting"));
  }
}
