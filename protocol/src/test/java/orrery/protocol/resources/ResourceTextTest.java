package orrery.protocol.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import orrery.protocol.json.ProtocolException;
import orrery.protocol.mesos.Attribute;
import orrery.protocol.mesos.Value;
import org.junit.jupiter.api.Test;

/** The agent's {@code --resources} and {@code --attributes} flags in the Mesos text syntax. */
class ResourceTextTest {

  private static ProtocolException parseFails(String text) {
    ProtocolException e = catchThrowableOfType(ProtocolException.class, () -> Resources.parse(text));
    assertThat(e).as("parsing '%s' should fail", text).isNotNull();
    return e;
  }

  @Test
  void theUsualAgentFlag() {
    Resources bag = Resources.parse("cpus:4;mem:8192;ports:[31000-32000]");

    assertThat(bag.scalar("cpus")).isEqualTo(4.0);
    assertThat(bag.scalar("mem")).isEqualTo(8192.0);
    assertThat(bag.ranges("ports")).isEqualTo(Ranges.of(31000, 32000));
    assertThat(bag).isEqualTo(Resources.builder().scalar("cpus", 4).scalar("mem", 8192)
        .ranges("ports", Ranges.of(31000, 32000)).build());
  }

  @Test
  void theUnreservedRoleMayBeWrittenOut() {
    assertThat(Resources.parse("cpus(*):2;mem(*):512")).isEqualTo(Resources.cpusMem(2, 512));
  }

  @Test
  void setsRangesWithSeveralPiecesAndSpaces() {
    Resources bag = Resources.parse(" disks:{ssd0, ssd1} ; ports:[31000-31099, 31200-31299] ; gpus : 1 ;");

    assertThat(bag.set("disks")).containsExactly("ssd0", "ssd1");
    assertThat(bag.ranges("ports")).isEqualTo(Ranges.of(31000, 31099).union(Ranges.of(31200, 31299)));
    assertThat(bag.scalar("gpus")).isEqualTo(1.0);
  }

  @Test
  void aNameGivenTwiceAddsUp() {
    // 1 + 0.5 cpus; the two port ranges are adjacent and merge
    assertThat(Resources.parse("cpus:1;cpus:0.5;ports:[1-2];ports:[3-4]"))
        .isEqualTo(Resources.parse("cpus:1.5;ports:[1-4]"));
  }

  @Test
  void emptyTextIsNoResources() {
    assertThat(Resources.parse("").isEmpty()).isTrue();
    assertThat(Resources.parse("   ").isEmpty()).isTrue();
    assertThat(Resources.parse(null).isEmpty()).isTrue();
  }

  @Test
  void theJsonListForm() {
    Resources bag = Resources.parse("""
        [{"name": "cpus", "type": "SCALAR", "scalar": {"value": 2}},
         {"name": "ports", "type": "RANGES", "ranges": {"range": [{"begin": 8000, "end": 8009}]}, "role": "*"},
         {"name": "disks", "type": "SET", "set": {"item": ["ssd0"]}}]
        """);

    assertThat(bag).isEqualTo(Resources.parse("cpus:2;ports:[8000-8009];disks:{ssd0}"));
  }

  @Test
  void reservationsAreRefusedByName() {
    ProtocolException e = parseFails("cpus(web):2;mem:512");

    assertThat(e.field()).isEqualTo("resources");
    assertThat(e.reason()).isEqualTo("'cpus(web)': only unreserved resources (role '*') are supported");
  }

  @Test
  void unclosedRoleIsRefusedNotACrash() {
    assertThat(parseFails("cpus(:2").reason()).contains("'cpus('");
    assertThat(parseFails("cpus(*:2").reason()).contains("'cpus(*'");
    assertThat(parseFails("cpus():2").reason()).contains("'cpus()'");
  }

  @Test
  void notANumber() {
    ProtocolException e = parseFails("cpus:abc");

    assertThat(e.field()).isEqualTo("resources");
    assertThat(e.reason()).isEqualTo("cpus: 'abc' is not a number");
  }

  @Test
  void negativeAndNonFiniteScalars() {
    assertThat(parseFails("mem:-1").reason()).isEqualTo("mem: '-1' must be a number of at least 0");
    assertThat(parseFails("mem:NaN").reason()).isEqualTo("mem: 'NaN' is not a number");
    assertThat(parseFails("mem:Infinity").reason()).isEqualTo("mem: 'Infinity' is not a number");
    // Java's parser would take these; the Mesos syntax does not.
    assertThat(parseFails("cpus:4d").reason()).isEqualTo("cpus: '4d' is not a number");
    assertThat(parseFails("cpus:0x1p3").reason()).isEqualTo("cpus: '0x1p3' is not a number");
  }

  @Test
  void backwardsRange() {
    ProtocolException e = parseFails("ports:[5-3]");

    assertThat(e.field()).isEqualTo("resources");
    assertThat(e.reason()).isEqualTo("ports: '5-3' is not a range like 31000-32000");
  }

  @Test
  void otherMalformedRangesAndSets() {
    assertThat(parseFails("ports:[1-2").reason()).isEqualTo("ports: '[1-2' is missing its closing ']'");
    assertThat(parseFails("ports:[1-2-3]").reason()).contains("'1-2-3' is not a range");
    assertThat(parseFails("ports:[a-b]").reason()).contains("'a-b' is not a range");
    assertThat(parseFails("disks:{ssd0").reason()).isEqualTo("disks: '{ssd0' is missing its closing '}'");
  }

  @Test
  void partsWithoutNameOrValue() {
    assertThat(parseFails("cpus").reason()).isEqualTo("'cpus' is not of the form name:value");
    assertThat(parseFails(":4").reason()).isEqualTo("':4' is not of the form name:value");
    assertThat(parseFails("(*):4").reason()).isEqualTo("'(*):4' has no name");
  }

  @Test
  void jsonListErrorsNameTheFlag() {
    ProtocolException e = parseFails("[{\"name\": \"cpus\", \"type\": \"SCALAR\", \"scalar\": {\"value\": -2}}]");

    assertThat(e.field()).isEqualTo("resources");
    assertThat(e.reason()).startsWith("is not a JSON list of resources").contains("must not be negative");
  }

  @Test
  void attributesTakeTheirTypeFromTheirValue() {
    List<Attribute> attributes = Attributes.parse("rack:r1;zone:a;level:3;ports:[1-2]");

    assertThat(attributes).extracting(Attribute::name, Attribute::type).containsExactly(
        tuple("rack", Value.Type.TEXT),
        tuple("zone", Value.Type.TEXT),
        tuple("level", Value.Type.SCALAR),
        tuple("ports", Value.Type.RANGES));
    assertThat(attributes.get(0).text().value()).isEqualTo("r1");
    assertThat(attributes.get(1).text().value()).isEqualTo("a");
    assertThat(attributes.get(2).scalar().value()).isEqualTo(3.0);
    assertThat(attributes.get(3).ranges().range()).containsExactly(Value.Range.of(1, 2));
  }

  @Test
  void attributeSetsAndEmptyText() {
    List<Attribute> attributes = Attributes.parse("disks:{ssd0,ssd1};os:debian-12");

    assertThat(attributes.get(0).type()).isEqualTo(Value.Type.SET);
    assertThat(attributes.get(0).set().item()).containsExactly("ssd0", "ssd1");
    // "debian-12" is no number, so it is text
    assertThat(attributes.get(1).text().value()).isEqualTo("debian-12");
    assertThat(Attributes.parse("")).isEmpty();
  }

  @Test
  void attributeErrorsNameTheAttributesFlag() {
    ProtocolException range = catchThrowableOfType(ProtocolException.class, () -> Attributes.parse("ports:[5-3]"));
    ProtocolException form = catchThrowableOfType(ProtocolException.class, () -> Attributes.parse("rack"));

    assertThat(range.field()).isEqualTo("attributes");
    assertThat(range.reason()).isEqualTo("ports: '5-3' is not a range like 31000-32000");
    assertThat(form.field()).isEqualTo("attributes");
  }
}
