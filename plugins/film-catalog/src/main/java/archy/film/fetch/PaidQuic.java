package archy.film.fetch;

import archy.quic.QuicNetwork;
import archy.quic.QuicPinningException;
import archy.quic.QuicResponse;
import archy.quic.QuicTarget;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;

/**
 * One §5 request that may be answered 402 (PROTOCOLS.md §5.1, §5.2): sent with the session the {@link Payer} holds at
 * {@code server}; on a 402 the payer pays the {@code creqA} (within its caps) and the request goes once more with the
 * token and the session. The seeder fetch ({@code archy/paid-blobs/1}) and the relay fetch ({@code archy/relay/1})
 * share it, so both pay the same way. A paid request whose answer is lost (the stream reset, the connection gone,
 * no header in time) is sent again with the very same token, as {@link BlobHttp} does on HTTP: the server credits a
 * token once and answers a replay as the first time, so a new token would only pay twice.
 */
final class PaidQuic {
  /** Sends of the paid request in all: the first, and retries of a lost answer with the same token. */
  static final int ATTEMPTS = 3;

  private PaidQuic() {}

  /** The answer (any status; the caller closes it) and the sats paid to get it. */
  record Answer(QuicResponse response, long satsPaid) {}

  /**
   * @param what  what is asked ({@code blake3:<hex>}), for the payer's record
   * @param payer null: a 402 is returned as it is
   * @throws PaymentDeclined when the payer will not pay
   */
  static Answer request(QuicNetwork quic, QuicTarget target, ObjectNode header, URI server, String what, Payer payer)
      throws IOException, PaymentDeclined {
    if (payer != null) payer.session(server).ifPresent(s -> header.put("session", s));
    QuicResponse r = quic.client().request(target, header, true);
    if (payer == null) return new Answer(r, 0);
    if (r.status() != 402) {
      if (r.status() == 200) payer.rememberSession(server, r.header().path("session").asText(null), true);
      return new Answer(r, 0);
    }
    r.close();
    if (r.header().hasNonNull("session")) payer.rememberSession(server, r.header().get("session").asText(), false);
    Payer.Payment payment = payer.payRequest(server, r.header().path("request").asText(), what, -1);
    header.put("token", payment.headers().get(BlobHttp.CASHU));
    payer.session(server).ifPresent(s -> header.put("session", s));
    QuicResponse paid = sendPaid(quic, target, header);
    if (paid.status() == 200) payer.rememberSession(server, paid.header().path("session").asText(null), true);
    return new Answer(paid, payment.sats());
  }

  /** The paid request, sent again unchanged (the same token) while its answer is lost. */
  private static QuicResponse sendPaid(QuicNetwork quic, QuicTarget target, ObjectNode header) throws IOException {
    IOException lost = null;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      try {
        return quic.client().request(target, header, true);
      } catch (QuicPinningException wrongServer) {
        throw wrongServer; // not a lost answer: nothing was sent
      } catch (IOException e) {
        lost = e;
      }
    }
    throw lost;
  }
}
