package orrery.protocol.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import orrery.protocol.mesos.Value;
import org.junit.jupiter.api.Test;

/** Port ranges: cut where a task takes a port, merged back when it is returned. */
class RangesTest {

  private static Ranges ranges(long... pairs) {
    Ranges result = Ranges.empty();
    for (int i = 0; i < pairs.length; i += 2) {
      result = result.union(Ranges.of(pairs[i], pairs[i + 1]));
    }
    return result;
  }

  @Test
  void takingOnePortSplitsTheRange() {
    Ranges left = Ranges.of(31000, 32000).subtract(Ranges.of(31005, 31005));

    assertThat(left.toString()).isEqualTo("[31000-31004,31006-32000]");
    assertThat(left).isEqualTo(ranges(31000, 31004, 31006, 32000));
    // 1001 ports less the one taken
    assertThat(left.size()).isEqualTo(1000);
  }

  @Test
  void adjacentRangesMerge() {
    assertThat(Ranges.of(1, 2).union(Ranges.of(3, 5))).isEqualTo(Ranges.of(1, 5));
    assertThat(Ranges.of(1, 2).union(Ranges.of(3, 5)).toString()).isEqualTo("[1-5]");
  }

  @Test
  void unionOfDisjointOverlappingAndFillingRanges() {
    Ranges gap = Ranges.of(1, 3).union(Ranges.of(7, 9));

    assertThat(gap.toString()).isEqualTo("[1-3,7-9]");
    assertThat(gap.union(Ranges.of(4, 6))).isEqualTo(Ranges.of(1, 9));
    assertThat(gap.union(Ranges.of(2, 8))).isEqualTo(Ranges.of(1, 9));
    assertThat(gap.union(Ranges.empty())).isSameAs(gap);
  }

  @Test
  void returningThePortMergesItBack() {
    Ranges split = Ranges.of(31000, 32000).subtract(Ranges.of(31005, 31005));

    assertThat(split.union(Ranges.of(31005, 31005))).isEqualTo(Ranges.of(31000, 32000));
  }

  @Test
  void containsAcrossSplitRanges() {
    Ranges split = ranges(31000, 31004, 31006, 32000);

    assertThat(split.contains(ranges(31000, 31002, 31010, 31020))).isTrue();
    assertThat(split.contains(ranges(31004, 31004, 31006, 31006))).isTrue();
    // 31003-31007 crosses the hole at 31005
    assertThat(split.contains(Ranges.of(31003, 31007))).isFalse();
    assertThat(split.contains(Ranges.of(31990, 32001))).isFalse();
    assertThat(split.contains(31005)).isFalse();
    assertThat(split.contains(31006)).isTrue();
    assertThat(split.contains(Ranges.empty())).isTrue();
    assertThat(Ranges.empty().contains(Ranges.of(1, 1))).isFalse();
  }

  @Test
  void subtractingAcrossSeveralRanges() {
    Ranges three = ranges(10, 19, 30, 39, 50, 59);

    // [15-55] takes the top of the first, all of the second and the bottom of the third
    assertThat(three.subtract(Ranges.of(15, 55))).isEqualTo(ranges(10, 14, 56, 59));
    // two holes in one range
    assertThat(Ranges.of(0, 9).subtract(ranges(2, 3, 6, 7))).isEqualTo(ranges(0, 1, 4, 5, 8, 9));
    assertThat(three.subtract(Ranges.of(0, 100)).isEmpty()).isTrue();
    assertThat(three.subtract(Ranges.of(20, 29))).isEqualTo(three);
    assertThat(three.subtract(Ranges.of(10, 10))).isEqualTo(ranges(11, 19, 30, 39, 50, 59));
    assertThat(three.subtract(Ranges.of(59, 70))).isEqualTo(ranges(10, 19, 30, 39, 50, 58));
  }

  @Test
  void lowestTakesPortsInOrder() {
    Ranges split = ranges(31000, 31002, 31010, 32000);

    // three from the first range, two from the second
    assertThat(split.lowest(5)).isEqualTo(ranges(31000, 31002, 31010, 31011));
    assertThat(split.lowest(3)).isEqualTo(Ranges.of(31000, 31002));
    assertThat(split.lowest(1)).isEqualTo(Ranges.of(31000, 31000));
    assertThat(split.lowest(0).isEmpty()).isTrue();
    // 3 + 991 = 994 is all there is
    assertThat(split.lowest(10_000)).isEqualTo(split);
    assertThat(split.lowest(10_000).size()).isEqualTo(994);
  }

  @Test
  void fromTheWireFormUnsortedAndOverlapping() {
    Value.Ranges wire = new Value.Ranges(List.of(
        Value.Range.of(10, 20), Value.Range.of(1, 5), Value.Range.of(6, 8), Value.Range.of(15, 30)));

    // [1-5] and [6-8] are adjacent: [1-8]; [10-20] and [15-30] overlap: [10-30]
    Ranges ranges = Ranges.of(wire);
    assertThat(ranges.toString()).isEqualTo("[1-8,10-30]");
    assertThat(ranges.toValue().range()).containsExactly(Value.Range.of(1, 8), Value.Range.of(10, 30));
    assertThat(Ranges.of(ranges.toValue())).isEqualTo(ranges);
  }

  @Test
  void equalSetsAreEqualHowEverBuilt() {
    Ranges a = ranges(5, 9, 1, 4);
    Ranges b = Ranges.of(1, 9);

    assertThat(a).isEqualTo(b);
    assertThat(a.hashCode()).isEqualTo(b.hashCode());
    assertThat(Ranges.empty().toString()).isEqualTo("[]");
  }

  @Test
  void invalidRangesAreRefused() {
    assertThatThrownBy(() -> Ranges.of(5, 3)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[5-3]");
    assertThatThrownBy(() -> Ranges.of(-1, 3)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void boundsAtLongMaxValueDoNotWrapAround() {
    long max = Long.MAX_VALUE;

    assertThat(Ranges.of(0, max).subtract(Ranges.of(10, max))).isEqualTo(Ranges.of(0, 9));
    assertThat(Ranges.of(5, max).union(Ranges.of(10, 20))).isEqualTo(Ranges.of(5, max));
    assertThat(Ranges.of(5, max).contains(Ranges.of(10, 20))).isTrue();
    assertThat(Ranges.of(0, max).lowest(3)).isEqualTo(Ranges.of(0, 2));
    assertThat(Ranges.of(max - 1, max).subtract(Ranges.of(max, max))).isEqualTo(Ranges.of(max - 1, max - 1));
  }
}
