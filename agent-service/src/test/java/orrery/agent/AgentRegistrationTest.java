package orrery.agent;

import static orrery.agent.AgentFixture.await;
import static orrery.agent.AgentFixture.eventually;
import static orrery.agent.FakeMaster.next;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.Optional;
import orrery.protocol.mesos.AgentInfo;
import orrery.protocol.mesos.TaskId;
import orrery.protocol.mesos.TaskState;
import orrery.protocol.messages.AgentMessages.AddAgent;
import orrery.protocol.messages.AgentMessages.RegisterAgent;
import orrery.protocol.resources.Attributes;
import orrery.protocol.resources.Resources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent joining, staying in and leaving the cluster, against a stand-in registry and allocator. */
class AgentRegistrationTest {

  @TempDir
  Path workDir;
  private AgentFixture fixture;

  @BeforeEach
  void setUp() {
    fixture = new AgentFixture(workDir);
  }

  @AfterEach
  void tearDown() throws Exception {
    fixture.close();
  }

  @Test
  void registersItsMachineThenJoinsTheAllocatorThenHeartbeats() throws Exception {
    fixture.withMaster();
    AgentVerticle agent = fixture.deploy(fixture.config());

    Resources total = Resources.parse(AgentFixture.RESOURCES + ";ports:[31000-32000]");
    RegisterAgent registration = next(fixture.master.registrations, "registration");
    AgentInfo info = registration.info();
    assertThat(info.id()).isNull();
    assertThat(info.hostname()).isEqualTo("127.0.0.1");
    assertThat(info.port()).isEqualTo(agent.httpPort()).isPositive();
    assertThat(Resources.of(info.resources())).isEqualTo(total);
    assertThat(info.attributes()).isEqualTo(Attributes.parse(AgentFixture.ATTRIBUTES));

    assertThat(agent.agentId()).isEqualTo(FakeMaster.AGENT_ID);
    AddAgent added = next(fixture.master.additions, "add-agent");
    assertThat(added.info()).isEqualTo(info.withId(FakeMaster.AGENT_ID));
    assertThat(added.total()).isEqualTo(total);

    assertThat(next(fixture.master.heartbeats, "heartbeat").agentId()).isEqualTo(FakeMaster.AGENT_ID);
    assertThat(fixture.get("/health").statusCode()).isEqualTo(200);
  }

  @Test
  void keepsTryingUntilTheRegistryAnswers() throws Exception {
    Future<String> deployment = fixture.vertx.deployVerticle(new AgentVerticle(fixture.config()));
    Thread.sleep(500); // a few attempts fail with no registry on the bus
    assertThat(deployment.isComplete()).as("start completes only once registered").isFalse();

    fixture.withMaster();
    assertThat(await(deployment)).isNotNull();
    assertThat(next(fixture.master.registrations, "registration").info().id()).isNull();
    assertThat(next(fixture.master.additions, "add-agent").info().id()).isEqualTo(FakeMaster.AGENT_ID);
  }

  @Test
  void registersAgainUnderItsIdWhenTheRegistryForgetsIt() throws Exception {
    fixture.withMaster();
    fixture.deploy(fixture.config());
    next(fixture.master.registrations, "registration");
    next(fixture.master.additions, "add-agent");

    fixture.master.knowsAgent.set(false); // as if the registry had removed the agent

    RegisterAgent again = next(fixture.master.registrations, "second registration");
    assertThat(again.info().id()).isEqualTo(FakeMaster.AGENT_ID);
    assertThat(next(fixture.master.additions, "second add-agent").info().id()).isEqualTo(FakeMaster.AGENT_ID);
  }

  @Test
  void stoppingUnregistersAndEndsTheTasksProcesses() throws Exception {
    fixture.withMaster();
    fixture.deploy(fixture.config());
    fixture.launch(AgentFixture.shell("sleeper", "sleep 60"));
    fixture.awaitState(TaskId.of("sleeper"), TaskState.TASK_STARTING);
    fixture.awaitState(TaskId.of("sleeper"), TaskState.TASK_RUNNING);
    long pid = fixture.task("sleeper").getLong("pid");
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    assertThat(process).isPresent();

    await(fixture.vertx.undeploy(fixture.deploymentId));

    assertThat(next(fixture.master.unregistrations, "unregistration").agentId()).isEqualTo(FakeMaster.AGENT_ID);
    eventually("the task's process is gone", () -> !process.get().isAlive());
  }
}
