package orrery.protocol.resources;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import orrery.protocol.json.MesosJson;

/**
 * Laws of the resource bag over random bags of scalars (in thousandths, so that sums are exact), port ranges and
 * a set. Ranges and sets are unions, not multisets, so laws that take something away and add it back are stated
 * for the part that was not already held.
 */
class ResourcesPropertiesTest {

  private static final List<String> SCALARS = List.of("cpus", "mem", "disk", "gpus");

  @Provide
  Arbitrary<Resources> bags() {
    // up to 100 000 units in thousandths; zero included, which the bag must drop
    Arbitrary<Map<String, Long>> scalars = Arbitraries.maps(Arbitraries.of(SCALARS),
        Arbitraries.longs().between(0, 100_000_000L)).ofMaxSize(SCALARS.size());
    Arbitrary<Ranges> ports = Combinators.combine(Arbitraries.longs().between(31000, 31100),
            Arbitraries.longs().between(0, 20))
        .as((begin, length) -> Ranges.of(begin, begin + length))
        .list().ofMaxSize(4)
        .map(list -> list.stream().reduce(Ranges.empty(), Ranges::union));
    Arbitrary<Set<String>> zones = Arbitraries.of("a", "b", "c", "d").set().ofMaxSize(4);
    return Combinators.combine(scalars, ports, zones).as((s, p, z) -> {
      Resources.Builder builder = Resources.builder();
      s.forEach(builder::scalarMillis);
      return builder.ranges("ports", p).set("zones", z).build();
    });
  }

  /** The ranges and sets of a bag, without its scalars. */
  private static Resources nonScalars(Resources bag) {
    return bag.minus(bag.scalarsOnly());
  }

  @Property
  void plusIsCommutative(@ForAll("bags") Resources a, @ForAll("bags") Resources b) {
    assertThat(a.plus(b)).isEqualTo(b.plus(a));
  }

  @Property
  void plusIsAssociative(@ForAll("bags") Resources a, @ForAll("bags") Resources b, @ForAll("bags") Resources c) {
    assertThat(a.plus(b).plus(c)).isEqualTo(a.plus(b.plus(c)));
  }

  @Property
  void aSumContainsBothParts(@ForAll("bags") Resources a, @ForAll("bags") Resources b) {
    assertThat(a.plus(b).contains(a)).isTrue();
    assertThat(a.plus(b).contains(b)).isTrue();
  }

  @Property
  void addingThenTakingAwayGivesBackTheBag(@ForAll("bags") Resources a, @ForAll("bags") Resources b) {
    // b without the ports and zones a already holds: adding a port twice holds it once, so taking it away
    // again would take a's too.
    Resources fresh = b.minus(nonScalars(a));

    assertThat(a.plus(fresh).minus(fresh)).isEqualTo(a);
  }

  @Property
  void scalarsAddAndSubtractExactly(@ForAll("bags") Resources a, @ForAll("bags") Resources b) {
    Resources sa = a.scalarsOnly();
    Resources sb = b.scalarsOnly();

    assertThat(sa.plus(sb).minus(sb)).isEqualTo(sa);
    for (String name : SCALARS) {
      assertThat(sa.plus(sb).scalarMillis(name)).isEqualTo(sa.scalarMillis(name) + sb.scalarMillis(name));
    }
  }

  @Property
  void minusSaturatesPerScalar(@ForAll("bags") Resources a, @ForAll("bags") Resources b) {
    Resources left = a.minus(b);

    for (String name : SCALARS) {
      assertThat(left.scalarMillis(name)).isEqualTo(Math.max(0, a.scalarMillis(name) - b.scalarMillis(name)));
    }
    assertThat(a.contains(left)).isTrue();
  }

  @Property
  void whatIsContainedCanBeTakenAndReturned(@ForAll("bags") Resources a, @ForAll("bags") Resources b) {
    Resources part = a.minus(b);

    assertThat(a.minus(part).plus(part)).isEqualTo(a);
  }

  @Property
  void mutualContainmentIsEquality(@ForAll("bags") Resources a, @ForAll("bags") Resources b) {
    assertThat(a.contains(b) && b.contains(a)).isEqualTo(a.equals(b));
    assertThat(a.contains(a)).isTrue();
  }

  @Property
  void textFormRoundTrips(@ForAll("bags") Resources a) {
    assertThat(Resources.parse(a.toString())).isEqualTo(a);
  }

  @Property
  void jsonFormRoundTrips(@ForAll("bags") Resources a) {
    assertThat(MesosJson.read(MesosJson.write(a), Resources.class)).isEqualTo(a);
    assertThat(Resources.of(a.toList("etl"))).isEqualTo(a);
  }
}
