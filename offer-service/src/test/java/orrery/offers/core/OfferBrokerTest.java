package orrery.offers.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import orrery.protocol.mesos.AgentId;
import orrery.protocol.mesos.AgentInfo;
import orrery.protocol.mesos.Attribute;
import orrery.protocol.mesos.CommandInfo;
import orrery.protocol.mesos.Filters;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.mesos.FrameworkInfo;
import orrery.protocol.mesos.Offer;
import orrery.protocol.mesos.TaskId;
import orrery.protocol.mesos.TaskInfo;
import orrery.protocol.messages.AllocatorMessages.Allocation;
import orrery.protocol.messages.AllocatorMessages.RecoverResources;
import orrery.protocol.messages.FrameworkMessages.KnownFramework;
import orrery.protocol.resources.Resources;
import orrery.protocol.scheduler.Call;
import org.junit.jupiter.api.Test;

class OfferBrokerTest {

  private static final AgentInfo AGENT = new AgentInfo("node-1", 5051, null, List.of(Attribute.text("rack", "r1")),
      AgentId.of("S1"), null);
  private static final AgentInfo OTHER_AGENT = new AgentInfo("node-2", 5051, null, null, AgentId.of("S2"), null);

  private final OfferBroker broker = new OfferBroker("M");

  private FrameworkId subscribeAndConnect(String name, String connection) {
    OfferBroker.Subscribed subscribed = broker.subscribe(
        new Call.Subscribe(FrameworkInfo.of("u", name), null, null), connection);
    assertThat(broker.connected(subscribed.info().id(), connection)).isTrue();
    return subscribed.info().id();
  }

  private Offer offer(FrameworkId framework, AgentInfo agent, String resources) {
    OfferBroker.OfferRound round = broker.offer(List.of(new Allocation(framework, "*", agent,
        Resources.parse(resources))));
    return round.offers().get(framework).get(0);
  }

  private static TaskInfo task(String id, AgentId agent, String resources) {
    return TaskInfo.command(id, TaskId.of(id), agent, Resources.parse(resources).toList(), CommandInfo.shell("true"));
  }

  private static Call.Accept launch(List<Offer> offers, TaskInfo... tasks) {
    return new Call.Accept(offers.stream().map(Offer::id).toList(),
        List.of(Offer.Operation.launch(List.of(tasks))), new Filters(2.0));
  }

  @Test
  void aBrokerThatTookOverCarriesOnWithTheConnectionsTheGatewaysStillHold() {
    FrameworkInfo a = FrameworkInfo.of("u", "a").withId(FrameworkId.of("A"));
    FrameworkInfo b = FrameworkInfo.of("u", "b").withId(FrameworkId.of("B"));
    FrameworkInfo gone = FrameworkInfo.of("u", "gone").withId(FrameworkId.of("G"));
    broker.restore(List.of(new KnownFramework(a, false, null), new KnownFramework(b, false, null),
        new KnownFramework(gone, true, null)), 0);

    // The gateway holding A's stream says it still listens: A is active again on that connection.
    assertThat(broker.connected(a.id(), "http:1")).isTrue();
    assertThat(broker.connected(a.id(), "http:1")).isFalse();
    assertThat(broker.mayRegister(a.id(), "http:1")).isTrue();
    assertThat(broker.failoverExpired(a.id(), Long.MAX_VALUE)).isFalse();
    // B subscribed again on a new connection first: the old one's word does not take it back.
    broker.subscribe(new Call.Subscribe(b, null, null), "http:new");
    assertThat(broker.connected(b.id(), "http:old")).isFalse();
    assertThat(broker.connected(b.id(), "http:new")).isTrue();
    // A framework torn down stays down.
    assertThat(broker.connected(gone.id(), "http:2")).isFalse();
    assertThat(broker.connectedFrameworks()).containsExactlyInAnyOrder(a.id(), b.id());
  }

  @Test
  void aNewAllocatorIsToldEveryFrameworkAsItIsNowAndTheOldOnesOffersAreRescinded() {
    FrameworkId a = subscribeAndConnect("a", "c1");
    FrameworkId b = broker.subscribe(new Call.Subscribe(FrameworkInfo.of("u", "b"), null, null), "c2").info().id();
    Offer outstanding = offer(a, AGENT, "cpus:1;mem:128");
    broker.suppressed(a, List.of(), true);

    OfferBroker.AllocatorChanged changed = broker.allocatorStarted();

    assertThat(changed.rescinded()).extracting(OutstandingOffer::id).containsExactly(outstanding.id());
    assertThat(broker.outstandingOffers()).isZero();
    assertThat(changed.frameworks()).hasSize(2);
    assertThat(changed.frameworks()).filteredOn(f -> f.frameworkId().equals(a)).singleElement().satisfies(f -> {
      assertThat(f.active()).isTrue();
      assertThat(f.suppressedRoles()).containsExactly("*");
    });
    // b never listened on its events: it stays inactive with the new allocator too.
    assertThat(changed.frameworks()).filteredOn(f -> f.frameworkId().equals(b)).singleElement()
        .satisfies(f -> assertThat(f.active()).isFalse());
    broker.suppressed(a, List.of("*"), false);
    assertThat(broker.allocatorStarted().frameworks()).filteredOn(f -> f.frameworkId().equals(a)).singleElement()
        .satisfies(f -> assertThat(f.suppressedRoles()).isEmpty());
  }

  @Test
  void newFrameworksGetSequentialIdsUnderTheMaster() {
    assertThat(subscribeAndConnect("a", "c1").value()).isEqualTo("M-0000");
    assertThat(subscribeAndConnect("b", "c2").value()).isEqualTo("M-0001");
  }

  @Test
  void offersCarryWhatAMasterFills() {
    FrameworkId f = subscribeAndConnect("a", "c1");
    Offer offer = offer(f, AGENT, "cpus:2;mem:512;ports:[31000-31009]");
    assertThat(offer.id().value()).isEqualTo("M-O0");
    assertThat(offer.hostname()).isEqualTo("node-1");
    assertThat(offer.url().address().port()).isEqualTo(5051);
    assertThat(offer.attributes()).containsExactly(Attribute.text("rack", "r1"));
    assertThat(offer.allocationInfo().role()).isEqualTo("*");
    assertThat(offer.resources()).allSatisfy(r -> assertThat(r.allocationInfo().role()).isEqualTo("*"));
    assertThat(Resources.of(offer.resources())).isEqualTo(Resources.parse("cpus:2;mem:512;ports:[31000-31009]"));
  }

  @Test
  void allocationsForAnInactiveFrameworkGoStraightBack() {
    OfferBroker.Subscribed subscribed = broker.subscribe(new Call.Subscribe(FrameworkInfo.of("u", "a"), null, null),
        "c1");
    FrameworkId f = subscribed.info().id();
    OfferBroker.OfferRound round = broker.offer(List.of(new Allocation(f, "*", AGENT, Resources.cpusMem(1, 1))));
    assertThat(round.offers()).isEmpty();
    assertThat(round.returned()).containsExactly(new RecoverResources(f, "*", AGENT.id(), Resources.cpusMem(1, 1),
        null));
  }

  @Test
  void validAcceptLaunchesAndReturnsWhatIsLeft() {
    FrameworkId f = subscribeAndConnect("a", "c1");
    Offer o1 = offer(f, AGENT, "cpus:2;mem:512");
    Offer o2 = offer(f, AGENT, "cpus:1;mem:512");
    OfferBroker.AcceptOutcome outcome = broker.accept(f, launch(List.of(o1, o2),
        task("t1", AGENT.id(), "cpus:1;mem:256"), task("t2", AGENT.id(), "cpus:1.5;mem:256")));
    assertThat(outcome).isInstanceOf(OfferBroker.Launch.class);
    OfferBroker.Launch launch = (OfferBroker.Launch) outcome;
    // offered 3 cpus and 1024 mem, used 2.5 and 512: left 0.5 cpus and 512 mem, refused for 2 s
    assertThat(launch.unused()).containsExactly(new RecoverResources(f, "*", AGENT.id(),
        Resources.cpusMem(0.5, 512), 2.0));
    assertThat(launch.tasks()).extracting(TaskInfo::taskId).containsExactly(TaskId.of("t1"), TaskId.of("t2"));
    assertThat(launch.tasks().get(0).resources()).allSatisfy(r -> assertThat(r.allocationInfo().role())
        .isEqualTo("*"));
    assertThat(broker.outstandingOffers()).isZero();
  }

  @Test
  void tooManyResourcesRejectsEveryTaskAndReturnsTheOffer() {
    FrameworkId f = subscribeAndConnect("a", "c1");
    Offer offer = offer(f, AGENT, "cpus:1;mem:512");
    OfferBroker.AcceptOutcome outcome = broker.accept(f, launch(List.of(offer),
        task("t1", AGENT.id(), "cpus:1;mem:256"), task("t2", AGENT.id(), "cpus:1;mem:256")));
    OfferBroker.Rejected rejected = (OfferBroker.Rejected) outcome;
    assertThat(rejected.tasks()).hasSize(2);
    assertThat(rejected.reason()).isEqualTo("the tasks need cpus:2;mem:512 but the offers hold cpus:1;mem:512 "
        + "(short by cpus:1)");
    assertThat(rejected.recovered()).containsExactly(new RecoverResources(f, "*", AGENT.id(),
        Resources.cpusMem(1, 512), 2.0));
  }

  @Test
  void acceptRulesNameWhatIsWrong() {
    FrameworkId f = subscribeAndConnect("a", "c1");
    FrameworkId g = subscribeAndConnect("b", "c2");
    Offer mine = offer(f, AGENT, "cpus:4;mem:1024");
    Offer elsewhere = offer(f, OTHER_AGENT, "cpus:4;mem:1024");
    Offer theirs = offer(g, AGENT, "cpus:4;mem:1024");

    assertThat(reason(f, launch(List.of(mine, elsewhere), task("t", AGENT.id(), "cpus:1"))))
        .contains("different agents");
    assertThat(reason(f, launch(List.of(theirs), task("t", AGENT.id(), "cpus:1"))))
        .contains("made to another framework");
    // the rejected accepts used up 'mine' and 'elsewhere'; a used offer is no longer outstanding, which is not the
    // tasks' fault: they are dropped (to be launched again), not in error
    assertThat(reason(f, launch(List.of(mine), task("t", AGENT.id(), "cpus:1")))).contains("is not outstanding");
    assertThat(((OfferBroker.Rejected) broker.accept(f, launch(List.of(mine), task("t", AGENT.id(), "cpus:1"))))
        .offersGone()).isTrue();
    assertThat(((OfferBroker.Rejected) broker.accept(f, launch(List.of(theirs), task("t", AGENT.id(), "cpus:1"))))
        .offersGone()).isFalse();

    Offer fresh = offer(f, AGENT, "cpus:4;mem:1024");
    assertThat(reason(f, launch(List.of(fresh), task("t", AGENT.id(), "cpus:1"), task("t", AGENT.id(), "cpus:1"))))
        .contains("task id 't' is used by more than one task");
    Offer fresh2 = offer(f, AGENT, "cpus:4;mem:1024");
    assertThat(reason(f, launch(List.of(fresh2), task("t", OTHER_AGENT.id(), "cpus:1"))))
        .contains("names agent S2 but the offers are on agent S1");
    Offer fresh3 = offer(f, AGENT, "cpus:4;mem:1024");
    assertThat(reason(f, new Call.Accept(List.of(fresh3.id()), List.of(), null))).isNull();
    assertThat(reason(f, new Call.Accept(List.of(), List.of(), null))).contains("names no offers");
  }

  private String reason(FrameworkId f, Call.Accept accept) {
    OfferBroker.AcceptOutcome outcome = broker.accept(f, accept);
    return outcome instanceof OfferBroker.Rejected rejected ? rejected.reason() : null;
  }

  @Test
  void declineReturnsTheFrameworksOwnOffersWithItsFilter() {
    FrameworkId f = subscribeAndConnect("a", "c1");
    FrameworkId g = subscribeAndConnect("b", "c2");
    Offer mine = offer(f, AGENT, "cpus:1");
    Offer theirs = offer(g, AGENT, "cpus:1");
    List<RecoverResources> back = broker.decline(f, new Call.Decline(List.of(mine.id(), theirs.id()), null));
    assertThat(back).containsExactly(new RecoverResources(f, "*", AGENT.id(), Resources.parse("cpus:1"), 5.0));
    assertThat(broker.outstandingOffers()).isEqualTo(1);
  }

  @Test
  void onlyTheSubscribingConnectionMayCallOrListen() {
    FrameworkId f = subscribeAndConnect("a", "c1");
    assertThat(broker.authorize(f, "c1").name()).isEqualTo("a");
    assertThatThrownBy(() -> broker.authorize(f, "c2")).isInstanceOf(CallRejected.class)
        .hasMessageContaining("another stream").extracting(e -> ((CallRejected) e).code()).isEqualTo(403);
    assertThatThrownBy(() -> broker.authorize(FrameworkId.of("nobody"), "c1"))
        .hasMessageContaining("not subscribed");
    assertThat(broker.mayRegister(f, "c1")).isTrue();
    assertThat(broker.mayRegister(f, "c2")).isFalse();
  }

  @Test
  void disconnectGivesOffersBackAndStartsTheFailoverTimeout() {
    OfferBroker.Subscribed s = broker.subscribe(new Call.Subscribe(
        FrameworkInfo.of("u", "a").withFailoverTimeout(10), null, null), "c1");
    FrameworkId f = s.info().id();
    broker.connected(f, "c1");
    offer(f, AGENT, "cpus:1");
    List<OfferBroker.Disconnected> gone = broker.disconnected("c1", 1_000);
    assertThat(gone).hasSize(1);
    // failover_timeout 10 s from t = 1 s
    assertThat(gone.get(0).failoverDeadlineMillis()).isEqualTo(11_000);
    assertThat(gone.get(0).recovered()).hasSize(1);
    assertThat(broker.failoverExpired(f, 10_999)).isFalse();
    assertThat(broker.failoverExpired(f, 11_000)).isTrue();

    // Subscribing again in time keeps the framework and its id.
    OfferBroker.Subscribed again = broker.subscribe(new Call.Subscribe(
        FrameworkInfo.of("u", "a").withId(f).withFailoverTimeout(10), null, null), "c2");
    assertThat(again.failedOver()).isTrue();
    assertThat(again.supersededConnection()).isEqualTo("c1");
    assertThat(broker.failoverExpired(f, 20_000)).isFalse();
  }

  @Test
  void aTornDownFrameworkCannotComeBack() {
    FrameworkId f = subscribeAndConnect("a", "c1");
    offer(f, AGENT, "cpus:1");
    assertThat(broker.teardown(f)).hasSize(1);
    assertThatThrownBy(() -> broker.subscribe(new Call.Subscribe(FrameworkInfo.of("u", "a").withId(f), null, null),
        "c1")).hasMessageContaining("torn down");
  }

  @Test
  void agentLossRescindsItsOffersOnly() {
    FrameworkId f = subscribeAndConnect("a", "c1");
    offer(f, AGENT, "cpus:1");
    offer(f, OTHER_AGENT, "cpus:1");
    assertThat(broker.agentRemoved(AGENT.id())).extracting(OutstandingOffer::agentId).containsExactly(AGENT.id());
    assertThat(broker.outstandingOffers()).isEqualTo(1);
  }

  @Test
  void offeredResourcesAreSummedPerRoleUntilTheOffersEnd() {
    FrameworkId f = subscribeAndConnect("f", "c1");
    Offer star = offer(f, AGENT, "cpus:1;mem:128");
    offer(f, OTHER_AGENT, "cpus:0.5;ports:[31000-31001]");
    broker.offer(List.of(new Allocation(f, "eng", AGENT, Resources.parse("mem:64"))));

    assertThat(broker.offeredByRole()).containsExactly(
        java.util.Map.entry("*", Resources.parse("cpus:1.5;mem:128;ports:[31000-31001]")),
        java.util.Map.entry("eng", Resources.parse("mem:64")));

    broker.decline(f, new Call.Decline(List.of(star.id()), null));
    assertThat(broker.offeredByRole().get("*")).isEqualTo(Resources.parse("cpus:0.5;ports:[31000-31001]"));
  }
}
