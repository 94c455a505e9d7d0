package orrery.protocol.resources;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import orrery.protocol.mesos.Resource;

/**
 * Writes a bag as the Mesos list of resources. An empty bag is still a value ({@code "total": []}): the mapper
 * leaves empty fields out, and a required resources field left out would not read back.
 */
final class ResourcesSerializer extends StdSerializer<Resources> {

  ResourcesSerializer() {
    super(Resources.class);
  }

  @Override
  public void serialize(Resources value, JsonGenerator generator, SerializerProvider provider) throws IOException {
    generator.writeStartArray();
    for (Resource resource : value.toList()) {
      provider.defaultSerializeValue(resource, generator);
    }
    generator.writeEndArray();
  }

  @Override
  public boolean isEmpty(SerializerProvider provider, Resources value) {
    return false;
  }
}
