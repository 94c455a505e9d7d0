package orrery.protocol.recordio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RecordIO as the scheduler API streams events: length in decimal bytes, a newline, the record. HTTP chunking
 * and TCP may cut the stream anywhere, so the decoder must give the same records however the bytes arrive.
 */
class RecordIoTest {

  private static final String HEARTBEAT = "{\"type\":\"HEARTBEAT\"}";
  private static final String ERROR = "{\"type\":\"ERROR\",\"error\":{\"message\":\"café\"}}";

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> strings(List<byte[]> records) {
    return records.stream().map(r -> new String(r, StandardCharsets.UTF_8)).toList();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  @Test
  void encodePrefixesTheLengthInBytes() {
    // {"type":"HEARTBEAT"} is 1 + 6 + 1 + 11 + 1 = 20 bytes
    assertThat(new String(RecordIo.encode(utf8(HEARTBEAT)), StandardCharsets.UTF_8))
        .isEqualTo("20\n" + HEARTBEAT);
  }

  @Test
  void lengthCountsBytesNotCharacters() {
    // "é" is two bytes in UTF-8: the record is 43 characters but 44 bytes
    assertThat(ERROR).hasSize(43);
    assertThat(new String(RecordIo.encode(utf8(ERROR)), StandardCharsets.UTF_8)).startsWith("44\n");
  }

  @Test
  void encodesAnEmptyRecord() {
    assertThat(RecordIo.encode(new byte[0])).containsExactly('0', '\n');
  }

  @Test
  void decodesSeveralRecordsFromOneChunk() {
    byte[] stream = concat(RecordIo.encode(utf8(HEARTBEAT)), RecordIo.encode(utf8(ERROR)),
        RecordIo.encode(utf8(HEARTBEAT)));

    assertThat(strings(new RecordIo.Decoder().feed(stream))).containsExactly(HEARTBEAT, ERROR, HEARTBEAT);
  }

  @Test
  void decodesWhateverTheSplitInTwo() {
    byte[] stream = concat(RecordIo.encode(utf8(HEARTBEAT)), RecordIo.encode(utf8(ERROR)));

    // every cut, including inside the length header, on the newline and inside the two-byte "é"
    for (int cut = 0; cut <= stream.length; cut++) {
      RecordIo.Decoder decoder = new RecordIo.Decoder();
      List<byte[]> records = new ArrayList<>(decoder.feed(Arrays.copyOfRange(stream, 0, cut)));
      records.addAll(decoder.feed(Arrays.copyOfRange(stream, cut, stream.length)));

      assertThat(strings(records)).as("cut at byte %d", cut).containsExactly(HEARTBEAT, ERROR);
    }
  }

  @Test
  void decodesWhateverTheSplitInThree() {
    byte[] stream = concat(RecordIo.encode(utf8(ERROR)), RecordIo.encode(utf8(HEARTBEAT)));

    for (int first = 0; first <= stream.length; first++) {
      for (int second = first; second <= stream.length; second++) {
        RecordIo.Decoder decoder = new RecordIo.Decoder();
        List<byte[]> records = new ArrayList<>(decoder.feed(Arrays.copyOfRange(stream, 0, first)));
        records.addAll(decoder.feed(Arrays.copyOfRange(stream, first, second)));
        records.addAll(decoder.feed(Arrays.copyOfRange(stream, second, stream.length)));

        assertThat(strings(records)).as("cuts at %d and %d", first, second).containsExactly(ERROR, HEARTBEAT);
      }
    }
  }

  @Test
  void decodesByteByByte() {
    byte[] stream = concat(RecordIo.encode(utf8(HEARTBEAT)), RecordIo.encode(new byte[0]),
        RecordIo.encode(utf8(ERROR)));
    RecordIo.Decoder decoder = new RecordIo.Decoder();
    List<String> records = new ArrayList<>();

    for (byte b : stream) {
      records.addAll(strings(decoder.feed(new byte[] {b})));
    }

    assertThat(records).containsExactly(HEARTBEAT, "", ERROR);
  }

  @Test
  void aPartialRecordYieldsNothingYet() {
    RecordIo.Decoder decoder = new RecordIo.Decoder();

    assertThat(decoder.feed(utf8("20\n{\"type\""))).isEmpty();
    assertThat(decoder.feed(new byte[0])).isEmpty();
    assertThat(strings(decoder.feed(utf8(":\"HEARTBEAT\"}2")))).containsExactly(HEARTBEAT);
    assertThat(strings(decoder.feed(utf8("\n{}")))).containsExactly("{}");
  }

  @Test
  void refusesANonDigitHeader() {
    assertThatThrownBy(() -> new RecordIo.Decoder().feed(utf8("{\"type\":\"HEARTBEAT\"}")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("not a RecordIO stream: unexpected byte 123 in a length header");
    assertThatThrownBy(() -> new RecordIo.Decoder().feed(utf8("2x\n{}")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("unexpected byte 120");
    assertThatThrownBy(() -> new RecordIo.Decoder().feed(utf8("-2\n{}")))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void refusesAnEmptyOrHugeHeader() {
    assertThatThrownBy(() -> new RecordIo.Decoder().feed(utf8("\n{}")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("not a RecordIO stream: empty length header");
    // 100 000 000 000 bytes is far above the 64 MiB limit
    assertThatThrownBy(() -> new RecordIo.Decoder().feed(utf8("100000000000\n")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("larger than allowed");
    // thirteen digits cannot be a length at all
    assertThatThrownBy(() -> new RecordIo.Decoder().feed(utf8("1000000000000\n")))
        .isInstanceOf(IllegalStateException.class);
  }
}
