package archy.relaybw;

import archy.nostr.Hex;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A checked {@code archy/relay/1} header (PROTOCOLS.md §5.2): what a relay request asks for, once the rails that
 * need nothing but the header and the requester's §5.0 identity have passed. Everything here is decided before the
 * relay looks anything up, so a refused request costs no catalog read and no upstream fetch.
 *
 * @param blake3 the blob, lowercase hex without the {@code blake3:} prefix
 * @param length bytes asked for from {@code offset}, or null for the rest of the blob
 */
record RelayRequest(String requester, String blake3, long offset, Long length, String token, String session) {

  /** A refusal: the §5 status, the metrics reason and the reason the requester reads. */
  record Refusal(int status, String counter, String reason) {}

  sealed interface Parsed {}

  record Ok(RelayRequest request) implements Parsed {}

  record Refused(Refusal refusal) implements Parsed {}

  /**
   * @param peer the §5.0-authenticated node key of the connection, if any
   * @param self this relay's node key: a path naming it is a loop
   */
  static Parsed parse(JsonNode h, Optional<String> peer, String self) {
    if (peer.isEmpty()) return refused(401, "auth", "auth-required: a relay request needs the §5.0 auth event");
    String requester = peer.get();
    String content = h.path("content").isTextual() ? h.get("content").asText() : "";
    if (!content.startsWith("blake3:") || !Hex.isLowerHex(content.substring(7), 64)) {
      return refused(400, "content", "content must be blake3:<64 lowercase hex> (never a URL or a sha256)");
    }
    JsonNode ttl = h.get("ttl");
    if (ttl == null || !ttl.isIntegralNumber() || ttl.asLong() != 1) {
      return refused(400, "ttl", "ttl must be 1: single hop only");
    }
    JsonNode pathNode = h.get("path");
    List<String> path = new ArrayList<>();
    if (pathNode != null && pathNode.isArray()) pathNode.forEach(k -> path.add(k.isTextual() ? k.asText() : ""));
    if (path.isEmpty() || !path.get(0).equals(requester)) {
      return refused(401, "path", "path[0] must be the authenticated requester's node key");
    }
    if (path.contains(self) || requester.equals(self)) {
      return refused(400, "loop", "loop: this relay's own key is already in path");
    }
    JsonNode offsetNode = h.get("offset");
    JsonNode lengthNode = h.get("length");
    boolean badOffset = offsetNode != null && !offsetNode.isNull() && (!offsetNode.canConvertToLong() || offsetNode.asLong() < 0);
    boolean badLength = lengthNode != null && !lengthNode.isNull() && (!lengthNode.canConvertToLong() || lengthNode.asLong() < 0);
    if (badOffset || badLength) return refused(400, "range", "offset and length must be whole numbers, 0 or more");
    long offset = offsetNode == null || offsetNode.isNull() ? 0 : offsetNode.asLong();
    Long length = lengthNode == null || lengthNode.isNull() ? null : lengthNode.asLong();
    return new Ok(new RelayRequest(requester, content.substring(7), offset, length, text(h, "token"), text(h, "session")));
  }

  private static String text(JsonNode h, String field) {
    JsonNode v = h.get(field);
    return v != null && v.isTextual() && !v.asText().isBlank() ? v.asText().strip() : null;
  }

  private static Parsed refused(int status, String counter, String reason) {
    return new Refused(new Refusal(status, counter, reason));
  }
}
