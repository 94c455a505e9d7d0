package orrery.protocol.resources;

import static orrery.protocol.json.JsonTrees.assertWrites;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import orrery.protocol.json.MesosJson;
import orrery.protocol.mesos.Resource;
import orrery.protocol.mesos.Value;
import org.junit.jupiter.api.Test;

/** Bags of resources with Mesos arithmetic: fixed-point scalars, ranges cut and merged, sets by item. */
class ResourcesTest {

  private static Resources cpus(double value) {
    return Resources.builder().scalar(Resources.CPUS, value).build();
  }

  @Test
  void addingATenthTenThousandTimesIsExactlyAThousand() {
    Resources sum = Resources.empty();
    for (int i = 0; i < 10_000; i++) {
      sum = sum.plus(cpus(0.1));
    }

    // 10 000 * 100 thousandths = 1 000 000 thousandths = 1000 cpus, with no drift
    assertThat(sum.scalarMillis(Resources.CPUS)).isEqualTo(1_000_000L);
    assertThat(sum.scalar(Resources.CPUS)).isEqualTo(1000.0);
    assertThat(sum).isEqualTo(cpus(1000));
    // Why fixed point: the same sum in doubles ends at 1000.0000000001588.
    double naive = 0;
    for (int i = 0; i < 10_000; i++) {
      naive += 0.1;
    }
    assertThat(naive).isNotEqualTo(1000.0);
  }

  @Test
  void subtractingATenthTenThousandTimesEmptiesTheBag() {
    Resources left = cpus(1000);
    for (int i = 0; i < 10_000; i++) {
      left = left.minus(cpus(0.1));
    }

    assertThat(left.isEmpty()).isTrue();
    assertThat(left).isEqualTo(Resources.empty());
  }

  @Test
  void pointOnePlusPointTwoIsPointThree() {
    // 100 + 200 = 300 thousandths; in doubles 0.1 + 0.2 = 0.30000000000000004
    Resources sum = cpus(0.1).plus(cpus(0.2));

    assertThat(sum).isEqualTo(cpus(0.3));
    assertThat(sum.scalar(Resources.CPUS)).isEqualTo(0.3);
  }

  @Test
  void agentMinusATask() {
    Resources agent = Resources.parse("cpus:4;mem:8192;ports:[31000-32000]");
    Resources task = Resources.parse("cpus:0.5;mem:512;ports:[31000-31000]");

    // cpus 4 - 0.5 = 3.5; mem 8192 - 512 = 7680; ports lose 31000
    assertThat(agent.minus(task)).isEqualTo(Resources.parse("cpus:3.5;mem:7680;ports:[31001-32000]"));
    assertThat(agent.contains(task)).isTrue();
    assertThat(agent.minus(task).plus(task)).isEqualTo(agent);
  }

  @Test
  void containsChecksEveryKind() {
    Resources agent = Resources.parse("cpus:2;mem:1024;ports:[31000-31009];disks:{ssd0,ssd1}");

    assertThat(agent.contains(Resources.parse("cpus:2;mem:1024"))).isTrue();
    assertThat(agent.contains(Resources.parse("cpus:2.001"))).isFalse();
    assertThat(agent.contains(Resources.parse("gpus:1"))).isFalse();
    assertThat(agent.contains(Resources.parse("ports:[31009-31010]"))).isFalse();
    assertThat(agent.contains(Resources.parse("disks:{ssd1}"))).isTrue();
    assertThat(agent.contains(Resources.parse("disks:{ssd2}"))).isFalse();
    assertThat(agent.contains(Resources.empty())).isTrue();
    assertThat(Resources.empty().contains(agent)).isFalse();
  }

  @Test
  void minusSaturatesAtZeroAndIgnoresWhatIsNotHeld() {
    Resources held = Resources.parse("cpus:1;mem:256");

    // cpus 1 - 2 would be -1: the entry is dropped instead; gpus were never held.
    assertThat(held.minus(Resources.parse("cpus:2;gpus:1"))).isEqualTo(Resources.parse("mem:256"));
    assertThat(held.minus(Resources.parse("cpus:2;gpus:1")).scalarMillis(Resources.CPUS)).isZero();
    assertThat(held.minus(Resources.parse("ports:[1-5]"))).isEqualTo(held);
  }

  @Test
  void shortfallNamesWhatIsMissing() {
    Resources offered = Resources.parse("cpus:1;mem:256;ports:[80-80]");
    Resources wanted = Resources.parse("cpus:1.5;mem:128;ports:[80-81]");

    // cpus 1.5 - 1 = 0.5 short; mem enough; port 81 missing
    assertThat(offered.shortfall(wanted)).isEqualTo(Resources.parse("cpus:0.5;ports:[81-81]"));
    assertThat(offered.shortfall(wanted).toString()).isEqualTo("cpus:0.5;ports:[81-81]");
  }

  @Test
  void equalityDoesNotDependOnBuildOrder() {
    Resources one = Resources.builder()
        .scalar(Resources.MEM, 1024).scalar(Resources.CPUS, 1.5)
        .ranges(Resources.PORTS, Ranges.of(31005, 32000)).ranges(Resources.PORTS, Ranges.of(31000, 31004))
        .set("disks", List.of("b", "a")).build();
    Resources other = Resources.builder()
        .set("disks", List.of("a")).set("disks", List.of("b"))
        .ranges(Resources.PORTS, Ranges.of(31000, 32000))
        .scalar(Resources.CPUS, 1).scalar(Resources.CPUS, 0.5).scalar(Resources.MEM, 1024).build();

    assertThat(one).isEqualTo(other);
    assertThat(one.hashCode()).isEqualTo(other.hashCode());
    assertThat(one.toString()).isEqualTo("cpus:1.5;mem:1024;ports:[31000-32000];disks:{a,b}");
  }

  @Test
  void zeroEntriesAreDropped() {
    Resources zeroes = Resources.builder().scalar(Resources.GPUS, 0).ranges(Resources.PORTS, Ranges.empty())
        .set("disks", List.of()).build();
    // 0.0004 rounds to 0 thousandths
    Resources belowResolution = cpus(0.0004);
    Resources usedUp = Resources.parse("cpus:1;mem:64").minus(Resources.parse("cpus:1"));

    assertThat(zeroes.isEmpty()).isTrue();
    assertThat(zeroes).isEqualTo(Resources.empty());
    assertThat(belowResolution.isEmpty()).isTrue();
    assertThat(usedUp.scalarNames()).containsExactly(Resources.MEM);
    assertThat(usedUp).isEqualTo(Resources.parse("mem:64"));
    assertThat(usedUp.toList()).hasSize(1);
  }

  @Test
  void scalarsRoundToThousandths() {
    // 0.12345 * 1000 = 123.45 -> 123; 0.0005 * 1000 = 0.5 -> 1 (half up)
    assertThat(cpus(0.12345).scalarMillis(Resources.CPUS)).isEqualTo(123);
    assertThat(cpus(0.0005).scalarMillis(Resources.CPUS)).isEqualTo(1);
  }

  @Test
  void setsAreUnitedAndCutByItem() {
    Resources disks = Resources.parse("disks:{ssd0,ssd1,ssd2}");

    assertThat(disks.minus(Resources.parse("disks:{ssd1}")).set("disks")).containsExactly("ssd0", "ssd2");
    assertThat(disks.plus(Resources.parse("disks:{ssd2,ssd3}")).set("disks"))
        .containsExactly("ssd0", "ssd1", "ssd2", "ssd3");
    assertThat(disks.minus(disks).isEmpty()).isTrue();
    assertThat(disks.set("gpus")).isEmpty();
  }

  @Test
  void rangesInABagSplitAndMerge() {
    Resources ports = Resources.parse("ports:[31000-32000]");

    Resources split = ports.minus(Resources.parse("ports:[31005-31005]"));
    assertThat(split.ranges(Resources.PORTS).toString()).isEqualTo("[31000-31004,31006-32000]");
    assertThat(split.plus(Resources.parse("ports:[31005-31005]"))).isEqualTo(ports);
  }

  @Test
  void aBuiltBagDoesNotChangeWhenItsBuilderGoesOn() {
    Resources.Builder builder = Resources.builder().set("disks", List.of("ssd0")).scalar(Resources.CPUS, 1);
    Resources built = builder.build();

    builder.set("disks", List.of("ssd1")).scalar(Resources.CPUS, 1);

    assertThat(built.set("disks")).containsExactly("ssd0");
    assertThat(built.scalar(Resources.CPUS)).isEqualTo(1.0);
  }

  @Test
  void toStringIsTheFlagSyntaxAndParsesBack() {
    Resources bag = Resources.builder().scalar(Resources.CPUS, 0.125).scalar(Resources.MEM, 8192)
        .scalar(Resources.DISK, 0.001).ranges(Resources.PORTS, Ranges.of(31000, 31010).union(Ranges.of(31020, 31020)))
        .set("zones", List.of("b", "a")).build();

    String text = bag.toString();

    // names in order within each kind: scalars, then ranges, then sets; no trailing zeros
    assertThat(text).isEqualTo("cpus:0.125;disk:0.001;mem:8192;ports:[31000-31010,31020-31020];zones:{a,b}");
    assertThat(Resources.parse(text)).isEqualTo(bag);
    assertThat(Resources.empty().toString()).isEmpty();
  }

  @Test
  void writesTheMesosResourceList() {
    Resources bag = Resources.parse("cpus:1.5;ports:[31000-31001];zones:{a}");

    assertWrites(bag, """
        [{"name": "cpus", "type": "SCALAR", "scalar": {"value": 1.5}},
         {"name": "ports", "type": "RANGES", "ranges": {"range": [{"begin": 31000, "end": 31001}]}},
         {"name": "zones", "type": "SET", "set": {"item": ["a"]}}]
        """);
    assertThat(MesosJson.read(MesosJson.write(bag), Resources.class)).isEqualTo(bag);
  }

  @Test
  void toListMarksTheAllocationRole() {
    List<Resource> list = Resources.parse("cpus:1;mem:64").toList("etl");

    assertThat(list).extracting(Resource::name).containsExactly("cpus", "mem");
    assertThat(list).allSatisfy(r -> {
      assertThat(r.role()).isEqualTo("*");
      assertThat(r.allocationInfo().role()).isEqualTo("etl");
    });
    // and reading it back forgets the marking: the bag is the same resources
    assertThat(Resources.of(list)).isEqualTo(Resources.parse("cpus:1;mem:64"));
  }

  @Test
  void ofMergesRepeatedAndOverlappingEntries() {
    Resources bag = Resources.of(List.of(
        Resource.scalar("cpus", 1),
        Resource.scalar("cpus", 0.25),
        new Resource("ports", Value.Type.RANGES, null,
            new Value.Ranges(List.of(Value.Range.of(31010, 31020), Value.Range.of(31000, 31012))), null, null, null)));

    // cpus 1 + 0.25; ports [31000-31012] and [31010-31020] overlap into one range
    assertThat(bag).isEqualTo(Resources.parse("cpus:1.25;ports:[31000-31020]"));
  }

  @Test
  void convenienceConstructors() {
    assertThat(Resources.cpusMem(2, 512)).isEqualTo(Resources.parse("cpus:2;mem:512"));
    assertThat(Resources.scalars(Map.of("cpus", 2.0, "gpus", 0.0))).isEqualTo(Resources.parse("cpus:2"));
    assertThat(Resources.parse("cpus:2;mem:512;ports:[1-2]").scalarsOnly()).isEqualTo(Resources.cpusMem(2, 512));
    assertThat(Resources.parse("cpus:2;mem:512").scalarMillis()).containsExactly(
        Map.entry("cpus", 2000L), Map.entry("mem", 512_000L));
    assertThat(Resources.parse("cpus:2;mem:512").toBuilder().scalar("cpus", 1).build())
        .isEqualTo(Resources.cpusMem(3, 512));
  }
}
