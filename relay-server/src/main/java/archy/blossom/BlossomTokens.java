package archy.blossom;

import archy.nostr.Event;
import archy.nostr.EventSigner;
import archy.nostr.Keys;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * BUD-11 authorizations this node signs when it is the client (fetch-through, film downloads, uploads to other
 * servers): a kind 24242 event in {@code Authorization: Nostr <base64url>}, scoped to one server and, when known,
 * one blob, valid for a few minutes. What it proves is the node key, so another node's {@code free_peers} applies.
 */
public final class BlossomTokens {
  private static final long VALID_SECONDS = 300;

  private BlossomTokens() {}

  /**
   * @param serverHost the host the token is for (a {@code server} tag)
   * @param sha256     the blob it covers (an {@code x} tag), or null
   */
  public static String header(Keys keys, String verb, String serverHost, String sha256, long now) {
    List<List<String>> tags = new ArrayList<>();
    tags.add(List.of("t", verb));
    tags.add(List.of("expiration", Long.toString(now + VALID_SECONDS)));
    if (serverHost != null) tags.add(List.of("server", serverHost));
    if (sha256 != null) tags.add(List.of("x", sha256));
    Event event = EventSigner.sign(keys, now, BlossomAuth.KIND, tags, verb + " blob");
    return "Nostr " + Base64.getUrlEncoder().withoutPadding()
        .encodeToString(event.json().getBytes(StandardCharsets.UTF_8));
  }
}
