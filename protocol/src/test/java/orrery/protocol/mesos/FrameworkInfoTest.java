package orrery.protocol.mesos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import orrery.protocol.json.ProtocolException;
import orrery.protocol.mesos.FrameworkInfo.Capability;
import org.junit.jupiter.api.Test;

/** Which roles a framework is offered resources under, and the rules on role fields Mesos enforces. */
class FrameworkInfoTest {

  private static FrameworkInfo info(String role, List<String> roles, Capability.Type... capabilities) {
    return new FrameworkInfo("deploy", "batch", null, null, null, role, roles, null, null, null,
        java.util.Arrays.stream(capabilities).map(Capability::new).toList(), null, null);
  }

  @Test
  void noRoleMeansTheDefaultRole() {
    assertThat(FrameworkInfo.of("deploy", "batch").effectiveRoles()).containsExactly("*");
  }

  @Test
  void singleRoleFramework() {
    assertThat(info("analytics", null).effectiveRoles()).containsExactly("analytics");
  }

  @Test
  void multiRoleFrameworkUsesItsRolesInOrder() {
    FrameworkInfo multi = info(null, List.of("etl", "analytics"), Capability.Type.MULTI_ROLE);

    assertThat(multi.effectiveRoles()).containsExactly("etl", "analytics");
  }

  @Test
  void withRolesAddsTheMultiRoleCapabilityOnce() {
    FrameworkInfo once = FrameworkInfo.of("deploy", "batch").withRoles("a", "b");
    FrameworkInfo twice = once.withRoles("c");

    assertThat(once.effectiveRoles()).containsExactly("a", "b");
    assertThat(once.hasCapability(Capability.Type.MULTI_ROLE)).isTrue();
    assertThat(twice.effectiveRoles()).containsExactly("c");
    assertThat(twice.capabilities()).containsExactly(new Capability(Capability.Type.MULTI_ROLE));
  }

  @Test
  void multiRoleMayKeepTheDefaultRoleBesideItsRoles() {
    FrameworkInfo multi = info("*", List.of("etl"), Capability.Type.MULTI_ROLE);

    assertThat(multi.effectiveRoles()).containsExactly("etl");
  }

  @Test
  void multiRoleMustNotNameAnotherSingleRole() {
    ProtocolException e = catchThrowableOfType(ProtocolException.class,
        () -> info("analytics", List.of("etl"), Capability.Type.MULTI_ROLE));

    assertThat(e.field()).isEqualTo("role");
  }

  @Test
  void rolesWithoutMultiRoleAreRefused() {
    ProtocolException e = catchThrowableOfType(ProtocolException.class, () -> info(null, List.of("etl")));

    assertThat(e.field()).isEqualTo("roles");
    assertThat(e.reason()).contains("MULTI_ROLE");
  }

  @Test
  void rolesMustBeDistinctAndNotBlank() {
    ProtocolException twice = catchThrowableOfType(ProtocolException.class,
        () -> info(null, List.of("etl", "etl"), Capability.Type.MULTI_ROLE));
    ProtocolException blank = catchThrowableOfType(ProtocolException.class,
        () -> info(null, List.of("etl", " "), Capability.Type.MULTI_ROLE));

    assertThat(twice.field()).isEqualTo("roles");
    assertThat(twice.reason()).isEqualTo("must not name a role twice");
    assertThat(blank.field()).isEqualTo("roles[1]");
  }

  @Test
  void failoverTimeout() {
    assertThat(FrameworkInfo.of("deploy", "batch").failoverTimeoutSeconds()).isZero();
    assertThat(FrameworkInfo.of("deploy", "batch").withFailoverTimeout(604800).failoverTimeoutSeconds())
        .isEqualTo(604800.0);
    ProtocolException negative = catchThrowableOfType(ProtocolException.class,
        () -> FrameworkInfo.of("deploy", "batch").withFailoverTimeout(-1));
    assertThat(negative.field()).isEqualTo("failover_timeout");
  }

  @Test
  void userMayBeEmptyButNameMayNot() {
    // Mesos fills an empty user with the master's; an empty name identifies nothing.
    assertThat(FrameworkInfo.of("", "batch").user()).isEmpty();
    ProtocolException e = catchThrowableOfType(ProtocolException.class, () -> FrameworkInfo.of("deploy", " "));
    assertThat(e.field()).isEqualTo("name");
  }

  @Test
  void withCapabilitiesReplacesThem() {
    FrameworkInfo info = FrameworkInfo.of("deploy", "batch")
        .withCapabilities(Capability.Type.PARTITION_AWARE, Capability.Type.TASK_KILLING_STATE);

    assertThat(info.hasCapability(Capability.Type.PARTITION_AWARE)).isTrue();
    assertThat(info.hasCapability(Capability.Type.MULTI_ROLE)).isFalse();
    assertThat(info.withId(FrameworkId.of("fw-7")).capabilities()).isEqualTo(info.capabilities());
  }
}
