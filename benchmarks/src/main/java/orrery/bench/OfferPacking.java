package orrery.bench;

import io.vertx.core.Handler;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import orrery.protocol.mesos.CommandInfo;
import orrery.protocol.mesos.Offer;
import orrery.protocol.mesos.TaskId;
import orrery.protocol.mesos.TaskInfo;
import orrery.protocol.mesos.TaskStatus;
import orrery.protocol.resources.Resources;
import orrery.protocol.scheduler.Event;

/** What the benchmarks' frameworks share: tasks packed into an offer, and events split into offers and updates. */
final class OfferPacking {

  private OfferPacking() {}

  /** Takes from {@code pending} as many tasks of {@code each} as fit in the offer, at most {@code batch}. */
  static List<TaskInfo> pack(Offer offer, Deque<TaskId> pending, int batch, Resources each, String command) {
    Resources left = Resources.of(offer.resources());
    List<TaskInfo> launch = new ArrayList<>();
    while (!pending.isEmpty() && launch.size() < batch && left.contains(each)) {
      TaskId id = pending.poll();
      launch.add(TaskInfo.command(id.value(), id, offer.agentId(), each.toList(offer.allocationInfo().role()),
          CommandInfo.shell(command)));
      left = left.minus(each);
    }
    return launch;
  }

  /** Each offer of an OFFERS event to {@code offers}, each UPDATE's status to {@code updates}; the rest ignored. */
  static Handler<Event> events(Consumer<Offer> offers, Consumer<TaskStatus> updates) {
    return event -> {
      if (event.type() == Event.Type.OFFERS) {
        event.offers().offers().forEach(offers);
      } else if (event.type() == Event.Type.UPDATE) {
        updates.accept(event.update().status());
      }
    };
  }
}
