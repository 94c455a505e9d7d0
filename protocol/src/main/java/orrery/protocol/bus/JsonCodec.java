package orrery.protocol.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import orrery.protocol.json.MesosJson;

/**
 * Carries a protocol record over the event bus: as the same immutable object within one JVM, and as its Mesos JSON
 * between cluster members, so that clustered mode never depends on Java serialization.
 */
public final class JsonCodec<T> implements MessageCodec<T, T> {

  private final Class<T> type;

  public JsonCodec(Class<T> type) {
    this.type = type;
  }

  @Override
  public void encodeToWire(Buffer buffer, T value) {
    byte[] json = MesosJson.writeBytes(value);
    buffer.appendInt(json.length).appendBytes(json);
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    return MesosJson.read(buffer.getBytes(pos + 4, pos + 4 + length), type);
  }

  @Override
  public T transform(T value) {
    return value;
  }

  @Override
  public String name() {
    return "orrery:" + type.getName();
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
