package orrery.protocol.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import orrery.protocol.json.MesosJson;
import orrery.protocol.json.ProtocolException;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.messages.RoleMessages.QuotaConfig;
import orrery.protocol.messages.RoleMessages.RoleState;
import orrery.protocol.messages.RoleMessages.RoleStates;
import orrery.protocol.messages.RoleMessages.UpdateQuota;
import orrery.protocol.messages.RoleMessages.WeightInfo;
import orrery.protocol.resources.Resources;
import org.junit.jupiter.api.Test;

/** Weights and quota messages refuse what no role could have, and travel between cluster members unchanged. */
class RoleMessagesTest {

  @Test
  void weightsMustBeFinitePositiveNumbers() {
    for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
      ProtocolException e = catchThrowableOfType(ProtocolException.class, () -> new WeightInfo("eng", bad));
      assertThat(e.field()).as("%s", bad).isEqualTo("weight");
      assertThat(e.getMessage()).contains("greater than 0");
    }
    assertThat(catchThrowableOfType(ProtocolException.class, () -> new WeightInfo(" ", 1)).field())
        .isEqualTo("role");
  }

  @Test
  void quotaHoldsScalarsOnly() {
    ProtocolException e = catchThrowableOfType(ProtocolException.class,
        () -> new QuotaConfig("eng", Resources.parse("ports:[80-90]"), null));

    assertThat(e.field()).isEqualTo("guarantees");
    assertThat(new QuotaConfig("eng", null, null).removesQuota()).isTrue();
  }

  @Test
  void roundTripsThroughItsJson() {
    UpdateQuota update = new UpdateQuota(true, List.of(
        new QuotaConfig("eng", Resources.parse("cpus:1"), Resources.parse("cpus:4;mem:1024"))));
    RoleStates states = new RoleStates(List.of(new RoleState("eng", 2.5, 0.25, List.of(FrameworkId.of("f-1")),
        Resources.parse("cpus:1;mem:64"), null)));

    assertThat(MesosJson.read(MesosJson.write(update), UpdateQuota.class)).isEqualTo(update);
    assertThat(MesosJson.read(MesosJson.write(states), RoleStates.class)).isEqualTo(states);
    assertThat(MesosJson.write(update)).doesNotContain("none");
  }
}
