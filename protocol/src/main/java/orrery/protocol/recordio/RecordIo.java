package orrery.protocol.recordio;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Mesos RecordIO: each record is its length in bytes as decimal digits, a newline, then the bytes
 * ({@code 20\n{"type":"HEARTBEAT"}}). The HTTP scheduler API streams events this way.
 */
public final class RecordIo {

  private RecordIo() {}

  public static byte[] encode(byte[] record) {
    byte[] header = (record.length + "\n").getBytes(StandardCharsets.US_ASCII);
    byte[] framed = new byte[header.length + record.length];
    System.arraycopy(header, 0, framed, 0, header.length);
    System.arraycopy(record, 0, framed, header.length, record.length);
    return framed;
  }

  /**
   * Reassembles records from chunks that may split or join them anywhere. Not thread-safe: feed it from one
   * stream's handler.
   */
  public static final class Decoder {

    /** The largest record accepted; a longer length header means the stream is not RecordIO. */
    private static final long MAX_RECORD_BYTES = 64L * 1024 * 1024;

    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private long expected = -1;
    private final StringBuilder length = new StringBuilder();

    /** Feeds bytes and returns every record they complete, in order. */
    public List<byte[]> feed(byte[] chunk) {
      List<byte[]> records = new ArrayList<>();
      int i = 0;
      while (i < chunk.length) {
        if (expected < 0) {
          byte b = chunk[i++];
          if (b == '\n') {
            expected = parseLength();
            if (expected == 0) {
              records.add(new byte[0]);
              expected = -1;
            }
          } else if (b >= '0' && b <= '9' && length.length() < 12) {
            length.append((char) b);
          } else {
            throw new IllegalStateException("not a RecordIO stream: unexpected byte " + (b & 0xff)
                + " in a length header");
          }
        } else {
          int take = (int) Math.min(chunk.length - i, expected - pending.size());
          pending.write(chunk, i, take);
          i += take;
          if (pending.size() == expected) {
            records.add(pending.toByteArray());
            pending.reset();
            expected = -1;
          }
        }
      }
      return records;
    }

    private long parseLength() {
      if (length.length() == 0) {
        throw new IllegalStateException("not a RecordIO stream: empty length header");
      }
      long value = Long.parseLong(length.toString());
      length.setLength(0);
      if (value > MAX_RECORD_BYTES) {
        throw new IllegalStateException("RecordIO record of " + value + " bytes is larger than allowed");
      }
      return value;
    }
  }
}
