package orrery.protocol.resources;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import orrery.protocol.mesos.Value;

/**
 * Ranges checked against the plainest model of a set of integers, a {@link BitSet}: small bounds (0..200) so that
 * random pieces overlap, touch and leave holes often. A second group uses bounds anywhere up to
 * {@link Long#MAX_VALUE}, where only laws can be checked, to keep the arithmetic honest at the edge.
 */
class RangesPropertiesTest {

  private static final int MODEL_BOUND = 200;

  /** Pieces as the wire carries them: unsorted, overlapping, adjacent, as a framework may send them. */
  @Provide
  Arbitrary<Value.Ranges> small() {
    return pieces(Arbitraries.longs().between(0, MODEL_BOUND), 15, MODEL_BOUND);
  }

  @Provide
  Arbitrary<Value.Ranges> wide() {
    return pieces(Arbitraries.longs().between(0, Long.MAX_VALUE), Long.MAX_VALUE, Long.MAX_VALUE);
  }

  private static Arbitrary<Value.Ranges> pieces(Arbitrary<Long> begins, long maxLength, long maxBound) {
    Arbitrary<Value.Range> piece = Combinators.combine(begins, Arbitraries.longs().between(0, maxLength))
        .as((begin, length) -> Value.Range.of(begin, length > maxBound - begin ? maxBound : begin + length));
    return piece.list().ofMaxSize(6).map(Value.Ranges::new);
  }

  private static BitSet model(Value.Ranges wire) {
    BitSet set = new BitSet(MODEL_BOUND + 1);
    for (Value.Range range : wire.range()) {
      set.set(range.begin().intValue(), range.end().intValue() + 1);
    }
    return set;
  }

  private static BitSet model(Ranges ranges) {
    return model(ranges.toValue());
  }

  private static BitSet union(BitSet a, BitSet b) {
    BitSet result = (BitSet) a.clone();
    result.or(b);
    return result;
  }

  private static BitSet minus(BitSet a, BitSet b) {
    BitSet result = (BitSet) a.clone();
    result.andNot(b);
    return result;
  }

  // --- against the model -------------------------------------------------------------------------------

  @Property
  void holdsExactlyTheIntegersOfItsPieces(@ForAll("small") Value.Ranges x) {
    Ranges ranges = Ranges.of(x);

    assertThat(model(ranges)).isEqualTo(model(x));
    assertThat(ranges.size()).isEqualTo(model(x).cardinality());
    for (int i = 0; i <= MODEL_BOUND + 1; i++) {
      assertThat(ranges.contains(i)).as("contains(%d)", i).isEqualTo(model(x).get(i));
    }
  }

  @Property
  void unionIsSetUnion(@ForAll("small") Value.Ranges x, @ForAll("small") Value.Ranges y) {
    assertThat(model(Ranges.of(x).union(Ranges.of(y)))).isEqualTo(union(model(x), model(y)));
  }

  @Property
  void subtractIsSetDifference(@ForAll("small") Value.Ranges x, @ForAll("small") Value.Ranges y) {
    assertThat(model(Ranges.of(x).subtract(Ranges.of(y)))).isEqualTo(minus(model(x), model(y)));
  }

  @Property
  void containsIsSubset(@ForAll("small") Value.Ranges x, @ForAll("small") Value.Ranges y) {
    boolean subset = minus(model(y), model(x)).isEmpty();

    assertThat(Ranges.of(x).contains(Ranges.of(y))).isEqualTo(subset);
  }

  @Property
  void lowestTakesTheSmallestIntegers(@ForAll("small") Value.Ranges x, @ForAll @IntRange(min = 0, max = 250) int n) {
    BitSet expected = new BitSet();
    BitSet all = model(x);
    int taken = 0;
    for (int i = all.nextSetBit(0); i >= 0 && taken < n; i = all.nextSetBit(i + 1)) {
      expected.set(i);
      taken++;
    }

    assertThat(model(Ranges.of(x).lowest(n))).isEqualTo(expected);
  }

  @Property
  void equalSetsAreEqualObjects(@ForAll("small") Value.Ranges x, @ForAll("small") Value.Ranges y) {
    // The canonical form makes equals a question about the integers, not about how the pieces came.
    Ranges folded = x.range().stream()
        .map(r -> Ranges.of(r.begin(), r.end()))
        .reduce(Ranges.empty(), Ranges::union);

    assertThat(folded).isEqualTo(Ranges.of(x));
    assertThat(Ranges.of(x).equals(Ranges.of(y))).isEqualTo(model(x).equals(model(y)));
  }

  // --- laws, at any magnitude ------------------------------------------------------------------------------

  @Property
  void unionContainsBothSides(@ForAll("wide") Value.Ranges x, @ForAll("wide") Value.Ranges y) {
    Ranges both = Ranges.of(x).union(Ranges.of(y));

    assertThat(both.contains(Ranges.of(x))).isTrue();
    assertThat(both.contains(Ranges.of(y))).isTrue();
    assertCanonical(both);
  }

  @Property
  void differenceAndIntersectionRebuildTheWhole(@ForAll("wide") Value.Ranges xs, @ForAll("wide") Value.Ranges ys) {
    Ranges x = Ranges.of(xs);
    Ranges y = Ranges.of(ys);
    Ranges difference = x.subtract(y);
    Ranges intersection = x.subtract(difference);

    // (x \ y) u (x n y) = x, and both parts lie inside x
    assertThat(difference.union(intersection)).isEqualTo(x);
    assertThat(x.contains(difference)).isTrue();
    assertThat(x.contains(intersection)).isTrue();
    assertThat(y.contains(intersection)).isTrue();
    assertCanonical(difference);
    assertCanonical(intersection);
  }

  @Property
  void differenceHoldsNothingOfWhatWasTaken(@ForAll("wide") Value.Ranges xs, @ForAll("wide") Value.Ranges ys) {
    Ranges difference = Ranges.of(xs).subtract(Ranges.of(ys));

    // Checked at every boundary of the holes, where an off-by-one would show.
    for (Value.Range hole : Ranges.of(ys).toValue().range()) {
      assertThat(difference.contains(hole.begin())).isFalse();
      assertThat(difference.contains(hole.end())).isFalse();
    }
    assertThat(difference.subtract(Ranges.of(ys))).isEqualTo(difference);
  }

  @Property
  void lowestIsAPrefix(@ForAll("wide") Value.Ranges xs, @ForAll @IntRange(min = 0, max = 50) int n) {
    Ranges x = Ranges.of(xs);
    Ranges lowest = x.lowest(n);

    assertThat(x.contains(lowest)).isTrue();
    assertThat(lowest.lowest(n)).isEqualTo(lowest);
    assertCanonical(lowest);
  }

  /** Sorted, disjoint and not even touching: the invariant that makes equals mean set equality. */
  private static void assertCanonical(Ranges ranges) {
    List<Value.Range> list = ranges.toValue().range();
    for (int i = 1; i < list.size(); i++) {
      assertThat(list.get(i).begin() - 1).as("gap before %s in %s", list.get(i), ranges)
          .isGreaterThan(list.get(i - 1).end());
    }
  }
}
