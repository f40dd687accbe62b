package archy.film.fetch;

import archy.quic.QuicNetwork;
import archy.quic.QuicResponse;
import archy.quic.QuicTarget;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;

/**
 * One §5 request that may be answered 402 (PROTOCOLS.md §5.1, §5.2): sent with the session the {@link Payer} holds at
 * {@code server}; on a 402 the payer pays the {@code creqA} (within its caps) and the request goes once more with the
 * token and the session. The seeder fetch ({@code archy/paid-blobs/1}) and the relay fetch ({@code archy/relay/1})
 * share it, so both pay the same way.
 */
final class PaidQuic {
  private PaidQuic() {}

  /** The answer (any status; the caller closes it) and the sats paid to get it. */
  record Answer(QuicResponse response, long satsPaid) {}

  /**
   * @param payer null: a 402 is returned as it is
   * @throws PaymentDeclined when the payer will not pay
   */
  static Answer request(QuicNetwork quic, QuicTarget target, ObjectNode header, URI server, Payer payer)
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
    Payer.Payment payment = payer.payRequest(server, r.header().path("request").asText(), -1);
    header.put("token", payment.headers().get(BlobHttp.CASHU));
    payer.session(server).ifPresent(s -> header.put("session", s));
    QuicResponse paid = quic.client().request(target, header, true);
    if (paid.status() == 200) payer.rememberSession(server, paid.header().path("session").asText(null), true);
    return new Answer(paid, payment.sats());
  }
}
