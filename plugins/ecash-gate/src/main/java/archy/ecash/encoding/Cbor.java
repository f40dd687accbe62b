package archy.ecash.encoding;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * CBOR for tokens ({@code cashuB}) and payment requests ({@code creqA}) as Jackson trees. Writing walks the tree by
 * hand because Jackson's serializers emit indefinite-length maps and arrays, while the reference encoders (and so
 * the published vectors) use definite lengths and a fixed key order; the tree's insertion order is the key order.
 */
public final class Cbor {
  private static final CBORMapper MAPPER = new CBORMapper();
  private static final CBORFactory FACTORY = MAPPER.getFactory();

  private Cbor() {}

  /** A new empty map whose keys will be written in insertion order. */
  public static ObjectNode map() {
    return JsonNodeFactory.instance.objectNode();
  }

  public static byte[] write(JsonNode tree) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (CBORGenerator g = FACTORY.createGenerator(out)) {
      write(g, tree);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // only an in-memory stream: cannot happen
    }
    return out.toByteArray();
  }

  /**
   * Reads exactly one CBOR item; trailing bytes are an error. Byte strings come back as binary nodes, and CBOR
   * {@code undefined} (which cashu-ts writes for absent fields) as a missing-or-null value.
   *
   * @throws IllegalArgumentException when the bytes are not one well-formed CBOR item
   */
  public static JsonNode read(byte[] bytes) {
    try (JsonParser p = FACTORY.createParser(bytes)) {
      if (p.nextToken() == null) throw new IllegalArgumentException("empty CBOR");
      JsonNode tree = MAPPER.readTree(p);
      if (p.nextToken() != null) throw new IllegalArgumentException("trailing bytes after the CBOR item");
      return tree;
    } catch (IOException e) {
      throw new IllegalArgumentException("malformed CBOR");
    }
  }

  private static void write(CBORGenerator g, JsonNode node) throws IOException {
    switch (node.getNodeType()) {
      case OBJECT -> {
        g.writeStartObject(node, node.size());
        for (Map.Entry<String, JsonNode> field : node.properties()) {
          g.writeFieldName(field.getKey());
          write(g, field.getValue());
        }
        g.writeEndObject();
      }
      case ARRAY -> {
        g.writeStartArray(node, node.size());
        for (JsonNode item : node) write(g, item);
        g.writeEndArray();
      }
      case STRING -> {
        // writeString switches to indefinite-length chunks past ~4000 characters; the UTF-8 path never does
        byte[] utf8 = node.textValue().getBytes(StandardCharsets.UTF_8);
        g.writeUTF8String(utf8, 0, utf8.length);
      }
      case BINARY -> g.writeBinary(node.binaryValue());
      case BOOLEAN -> g.writeBoolean(node.booleanValue());
      case NUMBER -> {
        if (node.isBigInteger()) g.writeNumber(node.bigIntegerValue());
        else if (node.canConvertToLong()) g.writeNumber(node.longValue());
        else throw new IllegalArgumentException("only integers are written to CBOR here");
      }
      case NULL -> g.writeNull();
      default -> throw new IllegalArgumentException("cannot write " + node.getNodeType() + " to CBOR");
    }
  }
}
