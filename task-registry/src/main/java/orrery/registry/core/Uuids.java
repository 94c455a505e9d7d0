package orrery.registry.core;

import java.util.Base64;

/** Status-update uuids as comparable strings (the wire form, base64). */
final class Uuids {

  private Uuids() {}

  static String encode(byte[] uuid) {
    return Base64.getEncoder().encodeToString(uuid);
  }
}
