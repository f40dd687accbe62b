package archy.nostr;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an event object with Jackson's streaming parser (no tree), checks its shape, recomputes the id
 * with the canonical serializer and verifies the BIP-340 signature.
 */
public final class EventParser {
  public static final JsonFactory JSON = JsonFactory.builder().build();
  private static final int MAX_KIND = 65535;

  private final SchnorrVerifier verifier;

  public EventParser(SchnorrVerifier verifier) {
    this.verifier = verifier;
  }

  /** Parses and verifies an event given as JSON text. */
  public Event parse(String json) throws InvalidEventException {
    try (JsonParser p = JSON.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) throw new InvalidEventException("event must be a JSON object");
      return read(p);
    } catch (IOException e) {
      throw new InvalidEventException("malformed JSON");
    }
  }

  /** Reads the event object whose START_OBJECT token is current, then verifies it. */
  public Event read(JsonParser p) throws IOException, InvalidEventException {
    String id = null, pubkey = null, content = null, sig = null;
    Long createdAt = null;
    Integer kind = null;
    List<List<String>> tags = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      switch (field) {
        case "id" -> id = string(p, value, "id");
        case "pubkey" -> pubkey = string(p, value, "pubkey");
        case "sig" -> sig = string(p, value, "sig");
        case "content" -> content = string(p, value, "content");
        case "created_at" -> createdAt = integer(p, value, "created_at");
        case "kind" -> {
          long k = integer(p, value, "kind");
          if (k < 0 || k > MAX_KIND) throw new InvalidEventException("kind must be between 0 and 65535");
          kind = (int) k;
        }
        case "tags" -> tags = tags(p, value);
        default -> p.skipChildren();
      }
    }
    if (id == null || pubkey == null || sig == null || content == null || createdAt == null || kind == null
        || tags == null) {
      throw new InvalidEventException("event is missing a required field");
    }
    if (!Hex.isLowerHex(id, 64)) throw new InvalidEventException("id must be 64 lowercase hex characters");
    if (!Hex.isLowerHex(pubkey, 64)) throw new InvalidEventException("pubkey must be 64 lowercase hex characters");
    if (!Hex.isLowerHex(sig, 128)) throw new InvalidEventException("sig must be 128 lowercase hex characters");
    if (createdAt < 0) throw new InvalidEventException("created_at must not be negative");
    String computed = EventJson.computeId(pubkey, createdAt, kind, tags, content);
    if (!computed.equals(id)) throw new InvalidEventException("event id does not match its content");
    if (!verifier.verify(Hex.decode(sig), Hex.decode(id), Hex.decode(pubkey))) {
      throw new InvalidEventException("bad signature");
    }
    return new Event(id, pubkey, createdAt, kind, tags, content, sig,
        EventJson.toJson(id, pubkey, createdAt, kind, tags, content, sig));
  }

  private static String string(JsonParser p, JsonToken t, String field) throws IOException, InvalidEventException {
    if (t != JsonToken.VALUE_STRING) throw new InvalidEventException(field + " must be a string");
    return p.getText();
  }

  private static long integer(JsonParser p, JsonToken t, String field) throws IOException, InvalidEventException {
    if (t != JsonToken.VALUE_NUMBER_INT) throw new InvalidEventException(field + " must be an integer");
    try {
      return p.getLongValue();
    } catch (IOException e) {
      throw new InvalidEventException(field + " is out of range");
    }
  }

  private static List<List<String>> tags(JsonParser p, JsonToken t) throws IOException, InvalidEventException {
    if (t != JsonToken.START_ARRAY) throw new InvalidEventException("tags must be an array");
    List<List<String>> tags = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (p.currentToken() != JsonToken.START_ARRAY) throw new InvalidEventException("each tag must be an array");
      List<String> tag = new ArrayList<>(3);
      while (p.nextToken() != JsonToken.END_ARRAY) {
        if (p.currentToken() != JsonToken.VALUE_STRING) throw new InvalidEventException("tag items must be strings");
        tag.add(p.getText());
      }
      tags.add(List.copyOf(tag));
    }
    return List.copyOf(tags);
  }
}
