package orrery.protocol.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/**
 * The one JSON mapping of the Mesos v1 API: snake_case fields, enums by name, bytes as standard base64, absent
 * (null or empty repeated) fields left out as protobuf's JSON does, and unknown fields refused.
 *
 * <p>Every read failure becomes a {@link ProtocolException} that names the field by its path in the message.
 */
public final class MesosJson {

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .serializationInclusion(JsonInclude.Include.NON_EMPTY)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
      // Enums travel by name; a number would be read as a Java ordinal, which is not the .proto's number.
      .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
      // A number or boolean where text belongs is a client bug worth naming, not something to guess at.
      .withCoercionConfig(LogicalType.Textual, text -> text
          .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
      // `"executor": null` means absent, as for every other field, not a JSON null node that looks present.
      .withConfigOverride(JsonNode.class, o -> o.setSetterInfo(JsonSetter.Value.forValueNulls(Nulls.SKIP)))
      .build();

  private MesosJson() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  public static <T> T read(String json, Class<T> type) {
    try {
      return MAPPER.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw toProtocolException(e);
    }
  }

  public static <T> T read(byte[] json, Class<T> type) {
    try {
      return MAPPER.readValue(json, type);
    } catch (IOException e) {
      throw toProtocolException(e);
    }
  }

  public static <T> T read(Buffer json, Class<T> type) {
    return read(json.getBytes(), type);
  }

  public static <T> T fromJsonObject(JsonObject json, Class<T> type) {
    if (json == null) {
      throw ProtocolException.invalid("", "the message body must be a JSON object");
    }
    return read(json.toBuffer().getBytes(), type);
  }

  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] writeBytes(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** For transports that carry Vert.x JSON (the event-bus bridge, framework event addresses). */
  public static JsonObject toJsonObject(Object value) {
    return new JsonObject(Buffer.buffer(writeBytes(value)));
  }

  static ProtocolException toProtocolException(IOException e) {
    if (e instanceof JsonParseException parse) {
      return ProtocolException.invalid("", "is not valid JSON: " + parse.getOriginalMessage());
    }
    if (!(e instanceof JsonMappingException mapping)) {
      return ProtocolException.invalid("", "could not be read: " + e.getMessage());
    }
    String path = path(mapping.getPath());
    Throwable cause = mapping.getCause();
    if (mapping instanceof ValueInstantiationException && cause instanceof ProtocolException inner) {
      return inner.within(path);
    }
    if (cause instanceof ProtocolException inner) {
      return inner.within(path);
    }
    if (mapping instanceof UnrecognizedPropertyException) {
      return ProtocolException.invalid(path, "is not a known field of this message");
    }
    if (mapping instanceof InvalidFormatException format && format.getTargetType() != null
        && format.getTargetType().isEnum()) {
      return ProtocolException.invalid(path, "has the unknown value '" + format.getValue() + "'; expected one of "
          + Arrays.toString(format.getTargetType().getEnumConstants()));
    }
    if (mapping instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
      return ProtocolException.invalid(path, "must be " + describe(mismatch.getTargetType()));
    }
    return ProtocolException.invalid(path, "is invalid: " + mapping.getOriginalMessage());
  }

  private static String describe(Class<?> type) {
    if (type == byte[].class) {
      return "base64 text (standard alphabet, with padding)";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
      return "a number";
    }
    if (List.class.isAssignableFrom(type) || type.isArray()) {
      return "an array";
    }
    if (type.isEnum()) {
      return "one of " + Arrays.toString(type.getEnumConstants());
    }
    return "an object";
  }

  private static String path(List<JsonMappingException.Reference> references) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference reference : references) {
      if (reference.getFieldName() != null) {
        if (path.length() > 0) {
          path.append('.');
        }
        path.append(reference.getFieldName());
      } else if (reference.getIndex() >= 0) {
        path.append('[').append(reference.getIndex()).append(']');
      }
    }
    return path.toString();
  }
}
