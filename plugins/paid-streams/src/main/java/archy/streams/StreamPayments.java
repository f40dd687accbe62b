package archy.streams;

import archy.ecash.gate.PaymentGate;
import archy.ecash.gate.Redeem;
import archy.ecash.token.InvalidTokenException;
import archy.ecash.token.Proof;
import archy.ecash.token.Token;
import archy.nostr.Event;
import archy.nostr.Hex;
import archy.nostr.Keys;
import archy.nostr.Nip44;
import archy.plugin.EventConsumer;
import archy.plugin.EventGateway.Published;
import archy.plugin.Origin;
import archy.plugin.Recipient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kind 21083 payments (PROTOCOLS.md §7): never stored. The content is NIP-44 to the node key, {@code {"token":…}};
 * the token is redeemed through ecash-gate (allow-listed mints, swap first), and exactly the sats it brought are
 * added to the (payer, stream) balance, once per token; then the payer's subscriptions are caught up. A token
 * already credited to this payer and stream is the "I'm back" signal: no credit, the newest paid observation again.
 */
final class StreamPayments implements EventConsumer {
  private static final Logger log = LoggerFactory.getLogger(StreamPayments.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Keys nodeKeys;
  private final Offers offers;
  private final Grants grants;
  private final PaymentGate gate;
  private final StreamDelivery delivery;

  StreamPayments(Keys nodeKeys, Offers offers, Grants grants, PaymentGate gate, StreamDelivery delivery) {
    this.nodeKeys = nodeKeys;
    this.offers = offers;
    this.grants = grants;
    this.gate = gate;
    this.delivery = delivery;
  }

  @Override
  public boolean consumes(int kind) {
    return kind == Offer.PAYMENT_KIND;
  }

  @Override
  public CompletableFuture<Published> consume(Event event, Origin origin, List<? extends Recipient> subscriptions) {
    if (!origin.isAuthedAs(event.pubkey())) {
      return done(false, "auth-required: authenticate (NIP-42) as the payer before paying for a stream");
    }
    Offer offer = offers.get(event.firstTagValue("a"));
    if (offer == null) return done(false, "invalid: the a tag names no stream offer held here");
    if (!offer.priced()) return done(false, "invalid: this stream is free: no payment is needed");
    String token;
    try {
      JsonNode body = JSON.readTree(Nip44.decrypt(event.content(), Nip44.conversationKey(nodeKeys.secretHex(), event.pubkey())));
      token = body.path("token").asText("");
    } catch (Nip44.DecryptException e) {
      return done(false, "invalid: content is not NIP-44 to this relay's key (" + e.getMessage() + ")");
    } catch (Exception e) {
      return done(false, "invalid: content must be NIP-44 encrypted JSON {\"token\":\"cashuB…\"}");
    }
    if (token.isEmpty()) return done(false, "invalid: the payment carries no token");
    CompletableFuture<Published> answer = new CompletableFuture<>();
    List<Recipient> mine = new ArrayList<>(subscriptions);
    Thread.ofVirtual().name("paid-streams-payment").start(() -> {
      try {
        answer.complete(pay(event.pubkey(), offer, token, mine));
      } catch (Exception e) {
        log.warn("paid-streams: a payment failed: {}", e.getMessage());
        answer.complete(new Published(false, "error: the payment could not be processed; try again"));
      }
    });
    return answer;
  }

  private Published pay(String payer, Offer offer, String token, List<Recipient> subscriptions) throws SQLException {
    String hash;
    try {
      hash = tokenHash(Token.decode(token));
    } catch (InvalidTokenException e) {
      return new Published(false, "invalid: not a Cashu token (" + e.getMessage() + ")");
    }
    var earlier = grants.paidBy(hash);
    if (earlier.isPresent()) {
      if (!earlier.get().equals(payer + " " + offer.address())) return new Published(false, "invalid: token already redeemed");
      for (Recipient r : subscriptions) delivery.resendNewest(r, offer);
      return new Published(true, "duplicate: this token was credited before; resending");
    }
    String session = sessionOf(payer, offer);
    Redeem redeem = gate.redeem(token, PaymentGate.PAID_STREAMS, offer.address(), session);
    long sats = switch (redeem) {
      case Redeem.Credited credited -> credited.bytes();
      case Redeem.Deferred deferred -> deferred.bytes();
      case Redeem.Refused refused -> -1;
    };
    if (redeem instanceof Redeem.Refused refused) {
      String prefix = refused.httpStatus() >= 500 || refused.httpStatus() == 409 ? "error: " : "invalid: ";
      return new Published(false, prefix + refused.reason());
    }
    Grants.Credit credit = grants.credit(hash, payer, offer.address(), sats);
    if (credit == Grants.Credit.CREDITED) {
      // The gate's session is only the way in: its units move to this plugin's grant, once.
      gate.debit(session, PaymentGate.PAID_STREAMS, offer.address(), sats);
    }
    switch (credit) {
      case OTHER_OWNER -> {
        return new Published(false, "invalid: token already redeemed");
      }
      case DUPLICATE -> {
        for (Recipient r : subscriptions) delivery.resendNewest(r, offer);
        return new Published(true, "duplicate: this token was credited before; resending");
      }
      case CREDITED -> {
        log.info("paid-streams: {} sat credited for stream {}", sats, offer.address());
        for (Recipient r : subscriptions) {
          if (r.isOpen()) delivery.catchUpLater(r, offer);
        }
        return new Published(true, "");
      }
    }
    throw new IllegalStateException();
  }

  /** The gate session of (payer, stream): a fixed name, so a retry of a lost answer lands where the first went. */
  static String sessionOf(String payer, Offer offer) {
    return sha256(payer + " " + offer.address()).substring(0, 64);
  }

  /** One identity per token however its proofs are ordered or encoded (SHA-256 over the sorted Ys). */
  static String tokenHash(Token token) {
    List<String> ys = new ArrayList<>();
    for (Proof p : token.proofs()) ys.add(p.y().toHex());
    ys.sort(null);
    return sha256(String.join("", ys));
  }

  private static String sha256(String s) {
    try {
      return Hex.encode(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static CompletableFuture<Published> done(boolean ok, String message) {
    return CompletableFuture.completedFuture(new Published(ok, message));
  }
}
