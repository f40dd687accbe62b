package archy.relay;

import archy.negentropy.Negentropy;
import archy.plugin.Origin;
import jakarta.websocket.Session;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** The state of one WebSocket client: its subscriptions, NIP-42 identity, rate limit and output queue. */
final class Connection {
  final Session session;
  final Outbox outbox;
  final String remoteAddress;
  final String challenge;
  final TokenBucket eventRate;
  final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
  /** NIP-77 sessions by subscription id, ready once their records are read. */
  final Map<String, CompletableFuture<Negentropy>> negentropy = new ConcurrentHashMap<>();
  private final Set<String> authed = ConcurrentHashMap.newKeySet();
  private volatile Origin origin;

  Connection(Session session, Outbox outbox, String remoteAddress, String challenge, TokenBucket eventRate) {
    this.session = session;
    this.outbox = outbox;
    this.remoteAddress = remoteAddress;
    this.challenge = challenge;
    this.eventRate = eventRate;
    this.origin = Origin.client(remoteAddress, Set.of());
  }

  void authenticated(String pubkey) {
    authed.add(pubkey);
    origin = Origin.client(remoteAddress, authed);
  }

  boolean isAuthed() {
    return !authed.isEmpty();
  }

  Origin origin() {
    return origin;
  }

  boolean send(String message) {
    return outbox.send(message);
  }

  /** Sends a text frame already encoded as UTF-8. */
  boolean send(byte[] utf8) {
    return outbox.send(utf8);
  }
}
