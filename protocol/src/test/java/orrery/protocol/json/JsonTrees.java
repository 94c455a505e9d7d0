package orrery.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.Comparator;

/**
 * Compares JSON as trees, so that key order and number spelling ({@code 2} against {@code 2.0}) do not matter
 * but every key, value and nesting level does. Fixtures are parsed with a plain Jackson mapper, independent of
 * the {@link MesosJson} mapping under test.
 */
public final class JsonTrees {

  private static final ObjectMapper PLAIN = new ObjectMapper();

  /** Numbers are equal by value (a double field writes {@code 4.0} where a fixture may say {@code 4}). */
  private static final Comparator<JsonNode> BY_VALUE = (a, b) -> {
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue());
    }
    return a.equals(b) ? 0 : 1;
  };

  private JsonTrees() {}

  public static JsonNode tree(String json) {
    try {
      return PLAIN.readTree(json);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The tree of what {@link MesosJson} writes for {@code value}. */
  public static JsonNode written(Object value) {
    return tree(MesosJson.write(value));
  }

  public static void assertSameJson(JsonNode actual, JsonNode expected) {
    assertThat(actual.equals(BY_VALUE, expected))
        .withFailMessage("expected JSON%n  %s%nbut was%n  %s", expected, actual)
        .isTrue();
  }

  public static void assertWrites(Object value, String expectedJson) {
    assertSameJson(written(value), tree(expectedJson));
  }
}
