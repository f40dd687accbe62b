package archy.quic;

import java.util.Optional;

/** Who sent a request (PROTOCOLS.md §5.0): a node proven by a valid {@code auth} event, or nobody in particular. */
public sealed interface QuicPeer {
  QuicPeer ANONYMOUS = new Anonymous();

  /** The authenticated node's Nostr public key (hex), if any. */
  default Optional<String> nodeKey() {
    return this instanceof Node node ? Optional.of(node.pubkey()) : Optional.empty();
  }

  record Anonymous() implements QuicPeer {}

  record Node(String pubkey) implements QuicPeer {}
}
