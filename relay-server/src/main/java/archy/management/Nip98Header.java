package archy.management;

import archy.nostr.Event;
import archy.nostr.EventSigner;
import archy.nostr.Keys;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** The NIP-98 {@code Authorization} header a client sends with a NIP-86 call (used by {@code archy admin}). */
public final class Nip98Header {
  private Nip98Header() {}

  /** {@code Nostr <base64 kind 27235>} for {@code method url} carrying {@code body}, made at {@code now}. */
  public static String sign(Keys keys, String url, String method, byte[] body, long now) {
    List<List<String>> tags = List.of(List.of("u", url), List.of("method", method),
        List.of("payload", Nip98Auth.sha256Hex(body)));
    Event event = EventSigner.sign(keys, now, Nip98Auth.KIND, tags, "");
    return "Nostr " + Base64.getEncoder().encodeToString(event.json().getBytes(StandardCharsets.UTF_8));
  }
}
