package orrery.agent.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import orrery.agent.core.HealthMonitor.Decision;
import orrery.protocol.mesos.HealthCheck;
import org.junit.jupiter.api.Test;

class HealthMonitorTest {

  private static HealthCheck check(String json) throws Exception {
    return HealthCheck.fromJson(new ObjectMapper().readTree(json));
  }

  @Test
  void followsMesosTimingGraceAndConsecutiveFailures() throws Exception {
    // delay 15 s, interval 10 s, grace 10 s, 3 failures in a row (Mesos' defaults)
    HealthMonitor health = new HealthMonitor(check("{\"type\": \"TCP\", \"tcp\": {\"port\": 8080}}"), 1_000);
    assertThat(health.nextCheckAtMillis()).isEqualTo(16_000);      // started at 1 s + 15 s delay
    assertThat(health.startIfDue(15_999)).isFalse();
    assertThat(health.startIfDue(16_000)).isTrue();
    assertThat(health.nextCheckAtMillis()).isEqualTo(Long.MAX_VALUE); // one in flight
    assertThat(health.startIfDue(20_000)).isFalse();

    // 16.5 s is past the 11 s end of the grace period: the failure counts, and the task turns unhealthy.
    assertThat(health.record(false, "refused", 16_500)).isEqualTo(new Decision.HealthChanged(false));
    assertThat(health.nextCheckAtMillis()).isEqualTo(26_500);
    health.startIfDue(26_500);
    assertThat(health.record(false, "refused", 26_600)).isEqualTo(new Decision.Unchanged());
    health.startIfDue(36_600);
    assertThat(health.record(true, "connected", 36_700)).isEqualTo(new Decision.HealthChanged(true));
    // the success reset the count: three more failures are needed
    health.startIfDue(46_700);
    assertThat(health.record(false, "refused", 46_800)).isEqualTo(new Decision.HealthChanged(false));
    health.startIfDue(56_800);
    assertThat(health.record(false, "refused", 56_900)).isEqualTo(new Decision.Unchanged());
    health.startIfDue(66_900);
    assertThat(health.record(false, "refused", 67_000)).isEqualTo(new Decision.Kill(
        "Task killed: its TCP 127.0.0.1:8080 health check failed 3 consecutive times (last: refused)"));
    assertThat(health.healthy()).isFalse();
  }

  @Test
  void failuresInTheGracePeriodDoNotCountUntilTheFirstSuccess() throws Exception {
    HealthMonitor health = new HealthMonitor(check("""
        {"type": "TCP", "tcp": {"port": 1}, "delay_seconds": 0, "interval_seconds": 1, "grace_period_seconds": 5,
         "consecutive_failures": 1}"""), 0);
    health.startIfDue(0);
    assertThat(health.record(false, "refused", 100)).isEqualTo(new Decision.Unchanged()); // in grace
    assertThat(health.healthy()).isNull();
    health.startIfDue(1_100);
    assertThat(health.record(true, "connected", 1_200)).isEqualTo(new Decision.HealthChanged(true));
    // once healthy, the grace period is over: one failure (consecutive_failures 1) kills, even at 2.3 s
    health.startIfDue(2_200);
    assertThat(health.record(false, "refused", 2_300)).isInstanceOf(Decision.Kill.class);
  }
}
