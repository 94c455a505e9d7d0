package orrery.registry.core;

/** Input the registry refuses, changing nothing; the code follows HTTP (400, 404, 409). */
public final class RegistryRejection extends RuntimeException {

  private final int code;

  public RegistryRejection(int code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public int code() {
    return code;
  }
}
