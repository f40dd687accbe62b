package archy.plugin;

import java.util.Set;

/**
 * Who is asking: a WebSocket client (its address and the pubkeys it authenticated with NIP-42), or the
 * node itself (a plugin publishing or syncing events).
 */
public record Origin(String remoteAddress, Set<String> authedPubkeys, boolean internal) {
  public static final Origin INTERNAL = new Origin("internal", Set.of(), true);

  public static Origin client(String remoteAddress, Set<String> authedPubkeys) {
    return new Origin(remoteAddress, Set.copyOf(authedPubkeys), false);
  }

  public boolean isAuthedAs(String pubkey) {
    return authedPubkeys.contains(pubkey);
  }
}
