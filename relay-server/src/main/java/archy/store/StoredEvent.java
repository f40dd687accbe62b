package archy.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A stored event as a query returns it: the fields read policies need, plus its JSON as stored.
 *
 * <p>The JSON stays in the UTF-8 bytes SQLite or PostgreSQL handed over, because a REQ answer copies them
 * straight into the frame ({@link #jsonUtf8()}); only a caller that parses it decodes a String ({@link #json()}).
 * The array is shared, not copied: callers must not change it.
 */
public record StoredEvent(String id, String pubkey, int kind, long createdAt, byte[] jsonUtf8) {
  public StoredEvent {
    Objects.requireNonNull(jsonUtf8, "jsonUtf8");
  }

  public StoredEvent(String id, String pubkey, int kind, long createdAt, String json) {
    this(id, pubkey, kind, createdAt, json.getBytes(StandardCharsets.UTF_8));
  }

  /** The event's JSON decoded; each call decodes again. */
  public String json() {
    return new String(jsonUtf8, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StoredEvent s && id.equals(s.id) && pubkey.equals(s.pubkey) && kind == s.kind
        && createdAt == s.createdAt && Arrays.equals(jsonUtf8, s.jsonUtf8);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, pubkey, kind, createdAt, Arrays.hashCode(jsonUtf8));
  }

  @Override
  public String toString() {
    return "StoredEvent[id=" + id + ", kind=" + kind + ", createdAt=" + createdAt + ", " + jsonUtf8.length + " bytes]";
  }
}
