package archy.quic;

import archy.nostr.Event;
import archy.nostr.EventParser;
import archy.nostr.EventSigner;
import archy.nostr.InvalidEventException;
import archy.nostr.Keys;
import archy.nostr.Schnorr;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * The §5.0 {@code auth} event (kind 27235): binds a node key to this connection by naming both certificates, so
 * an event replayed on another connection, to another server or for another protocol fails.
 */
final class QuicAuth {
  static final int KIND = 27235;
  static final long MAX_SKEW_SECONDS = 60;
  private static final EventParser PARSER = new EventParser(Schnorr.verifier());

  private QuicAuth() {}

  /** The failure's reason goes into the 401 answer. */
  static final class Refused extends Exception {
    Refused(String reason) {
      super(reason);
    }
  }

  static Event sign(Keys keys, Clock clock, QuicTarget target, String ownCertificate) {
    return EventSigner.sign(keys, clock.instant().getEpochSecond(), KIND, List.of(
        List.of("u", "quic://" + target.hostPort() + "/" + target.alpn()),
        List.of("server", target.fingerprint()),
        List.of("client", ownCertificate)), "");
  }

  /**
   * @param hostPorts the {@code host:port} names this server answers to
   * @return the authenticated peer
   */
  static QuicPeer verify(JsonNode auth, Clock clock, Set<String> hostPorts, String alpn, String serverCertificate,
                         String clientCertificate) throws Refused {
    if (!auth.isObject()) throw new Refused("auth must be a kind 27235 event");
    Event event;
    try {
      event = PARSER.parse(auth.toString());
    } catch (InvalidEventException e) {
      throw new Refused("auth: " + e.getMessage());
    }
    if (event.kind() != KIND) throw new Refused("auth must be a kind 27235 event");
    long skew = Math.abs(clock.instant().getEpochSecond() - event.createdAt());
    if (skew > MAX_SKEW_SECONDS) throw new Refused("auth created_at is more than 60 s away");
    String u = event.firstTagValue("u");
    if (u == null || !hostPorts.stream().anyMatch(h -> u.equals("quic://" + h + "/" + alpn))) {
      throw new Refused("auth u tag must be quic://<this server>/" + alpn);
    }
    if (!serverCertificate.equals(event.firstTagValue("server"))) {
      throw new Refused("auth server tag is not this server's certificate");
    }
    if (!clientCertificate.equals(event.firstTagValue("client"))) {
      throw new Refused("auth client tag is not the certificate this connection presented");
    }
    return new QuicPeer.Node(event.pubkey());
  }
}
