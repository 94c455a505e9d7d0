package orrery.agent.core;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.UUID;

/** Status-update uuids: 16 random bytes on the wire, printed in the usual UUID form for people. */
public final class Uuids {

  private Uuids() {}

  public static byte[] toBytes(UUID uuid) {
    return ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits())
        .array();
  }

  /** {@code 0f8fad5b-d9cb-469f-a165-70867728950e} for 16 bytes, base64 for anything else, "none" for null. */
  public static String toString(byte[] uuid) {
    if (uuid == null) {
      return "none";
    }
    if (uuid.length != 16) {
      return Base64.getEncoder().encodeToString(uuid);
    }
    ByteBuffer buffer = ByteBuffer.wrap(uuid);
    return new UUID(buffer.getLong(), buffer.getLong()).toString();
  }
}
