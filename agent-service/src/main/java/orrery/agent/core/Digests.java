package orrery.agent.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Short, stable names for things whose own names cannot serve as file or cgroup names. */
public final class Digests {

  private Digests() {}

  /** The first {@code bytes} bytes of the SHA-256 of {@code text}, in hex. */
  public static String sha256Hex(String text, int bytes) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
