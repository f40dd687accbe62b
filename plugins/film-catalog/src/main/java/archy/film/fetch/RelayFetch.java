package archy.film.fetch;

import archy.quic.QuicNetwork;
import archy.quic.QuicResponse;
import archy.quic.QuicTarget;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;

/**
 * The requester's side of {@code archy/relay/1} (PROTOCOLS.md §5.2): asks a {@link KnownRelay} to fetch a blob by
 * BLAKE3 and stream it on, §5.0-authenticated with this node's key (the relay needs to know who asks, and
 * {@code path} names it), dialling the advertised endpoint with its certificate pinned. A 402 is paid through the
 * {@link Payer} like a seeder's ({@link PaidQuic}); the relay's sessions are kept under {@link #server}, apart from
 * a direct download's at the same node (the relay's {@code relay-bandwidth} credit pays nothing else, nor the
 * reverse). The caller verifies the bytes: a relay is trusted with nothing but carrying them.
 */
public final class RelayFetch {
  public static final String ALPN = "archy/relay/1";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final QuicNetwork quic;
  private final String self;

  /** @param self this node's key, the requester named in {@code path} */
  public RelayFetch(QuicNetwork quic, String self) {
    this.quic = quic;
    this.self = self;
  }

  /** The relay answered something other than the bytes: its status and reason (a refusal, or a 402 not paid). */
  public static final class Refused extends IOException {
    private final int status;

    public Refused(int status, String reason) {
      super(status + " " + reason);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  /** A relay's 200: the blob's size and the bytes from the offset asked (the caller closes it). */
  public record Opened(QuicResponse response, long size, long satsPaid) implements AutoCloseable {
    public InputStream body() {
      return response.body();
    }

    @Override
    public void close() {
      response.close();
    }
  }

  /** The payer's key for a relay's sessions and caps: {@code relay+quic://host:port}. */
  public static URI server(KnownRelay relay) {
    return URI.create("relay+quic://" + relay.hostPort());
  }

  /**
   * @param payer pays a 402 within its caps; null: a 402 is a {@link Refused}
   * @throws Refused when the relay refuses (or this node is the relay: a loop, refused before dialling)
   * @throws PaymentDeclined when the payer will not pay
   */
  public Opened open(KnownRelay relay, String blake3, long offset, Payer payer) throws IOException, PaymentDeclined {
    if (relay.pubkey().equals(self)) throw new Refused(400, "loop: the relay is this node itself");
    ObjectNode header = JSON.createObjectNode().put("content", "blake3:" + blake3).put("ttl", 1).put("offset", offset);
    header.putArray("path").add(self);
    QuicTarget target = new QuicTarget(relay.hostPort(), ALPN, relay.fingerprint());
    PaidQuic.Answer answer = PaidQuic.request(quic, target, header, server(relay), "blake3:" + blake3, payer);
    QuicResponse r = answer.response();
    if (r.status() != 200) {
      r.close();
      String reason = r.header().path("reason").asText(r.status() == 402 ? "payment required" : "");
      throw new Refused(r.status(), reason);
    }
    return new Opened(r, r.header().path("size").asLong(-1), answer.satsPaid());
  }
}
