package orrery.agent.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  @Test
  void doublesFromTheInitialDelayUpToTheCap() {
    RetryPolicy policy = new RetryPolicy(2_000, 60_000);
    // 2, 4, 8, 16, 32 s, then 64 s is capped at 60 s, and stays there
    assertThat(policy.delayAfter(1)).isEqualTo(2_000);
    assertThat(policy.delayAfter(2)).isEqualTo(4_000);
    assertThat(policy.delayAfter(3)).isEqualTo(8_000);
    assertThat(policy.delayAfter(4)).isEqualTo(16_000);
    assertThat(policy.delayAfter(5)).isEqualTo(32_000);
    assertThat(policy.delayAfter(6)).isEqualTo(60_000);
    assertThat(policy.delayAfter(1_000)).isEqualTo(60_000);
  }

  @Test
  void neverOverflowsNearLongMax() {
    RetryPolicy policy = new RetryPolicy(Long.MAX_VALUE / 3, Long.MAX_VALUE);
    assertThat(policy.delayAfter(2)).isEqualTo(Long.MAX_VALUE / 3 * 2);
    assertThat(policy.delayAfter(3)).isEqualTo(Long.MAX_VALUE);
    assertThat(policy.delayAfter(64)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void refusesNonsense() {
    assertThatThrownBy(() -> new RetryPolicy(0, 10)).hasMessageContaining("initialMillis");
    assertThatThrownBy(() -> new RetryPolicy(100, 10)).hasMessageContaining("maxMillis");
    assertThatThrownBy(() -> new RetryPolicy(100, 100).delayAfter(0)).hasMessageContaining("attempts");
  }
}
